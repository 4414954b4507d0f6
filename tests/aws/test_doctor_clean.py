"""A healthy topology gives no error findings, through the loader and through the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tui.config import AppConfig
from tui.doctor import run_doctor
from tui.model.graph import build_graph
from tui.sandbox import Sandbox
from tui.source import load_inventory_for

ROOT = Path(__file__).resolve().parents[2]


def test_clean_scale_topology_has_no_error_findings():
    # scale:small is built to be correct: IAM-auth services carry an allow policy, private
    # subnets reach ECR through endpoints, task SGs admit the vpc-lattice prefix list.
    with Sandbox(seed="scale:small") as box:
        graph = build_graph(load_inventory_for(AppConfig(connection=box.connection())))
        cli = subprocess.run(
            [sys.executable, "-m", "tui", "doctor", "--endpoint-url", box.endpoint_url,
             "--region", box.region, "--format", "json", "--severity", "error"],
            cwd=ROOT, capture_output=True, text=True, timeout=240,
        )
    assert graph.number_of_nodes() > 100 and not graph.graph["errors"]
    errors = [f for f in run_doctor(graph) if f.severity == "error"]
    assert errors == []
    assert cli.returncode == 0, cli.stderr
    assert json.loads(cli.stdout) == []
