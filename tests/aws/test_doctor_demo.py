"""End to end: the demo seed's planted misconfigurations, found by the right rule on the right
node, through the real loader (HTTP to the sandbox) and through `trellis doctor` itself."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tui.config import AppConfig
from tui.doctor import run_doctor
from tui.model.graph import build_graph
from tui.model.kinds import EdgeKind, NodeKind
from tui.sandbox import Sandbox
from tui.sandbox.seeds.demo import DEMO_MISCONFIGURATION_KINDS, DEMO_MISCONFIGURATIONS
from tui.source import load_inventory_for

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo() -> Any:
    box = Sandbox(seed="demo").start()
    try:
        graph = build_graph(load_inventory_for(AppConfig(connection=box.connection())))
        cli = subprocess.run(
            [sys.executable, "-m", "tui", "doctor", "--endpoint-url", box.endpoint_url,
             "--region", box.region, "--format", "json"],
            cwd=ROOT, capture_output=True, text=True, timeout=240,
        )
    finally:
        box.stop()
    return graph, run_doctor(graph), cli


def _nodes(graph: Any, name: str, kind: str) -> set[str]:
    return {n for n, d in graph.nodes(data=True) if d.get("name") == name and d["kind"] == kind}


def _placed_on(graph: Any, node: str) -> set[str]:
    """The node itself, plus - for a service network - its VPC associations (where the
    association's security groups, and so assoc-sg-blocks, live)."""
    out = {node}
    if graph.nodes[node]["kind"] == NodeKind.SERVICE_NETWORK:
        out |= {u for u, _, k in graph.in_edges(node, keys=True) if k == EdgeKind.ASSOCIATED}
    return out


@pytest.mark.parametrize("rule_id, name, why", DEMO_MISCONFIGURATIONS,
                         ids=[f"{r}:{n}" for r, n, _ in DEMO_MISCONFIGURATIONS])
def test_planted_misconfiguration_is_found(demo, rule_id, name, why):
    graph, findings, _ = demo
    nodes = _nodes(graph, name, DEMO_MISCONFIGURATION_KINDS[name])
    assert nodes, f"{name} not in the graph"
    targets = set().union(*(_placed_on(graph, n) for n in nodes))
    hits = [f for f in findings if f.rule == rule_id and f.node in targets
            and not f.message.startswith("could not check")]
    assert hits, f"{rule_id} did not fire on {name} ({why})"
    assert all(f.fix for f in hits)


def test_nothing_left_unchecked(demo):
    _, findings, _ = demo
    assert not [f for f in findings if f.message.startswith("could not check")]


def test_cli_against_the_sandbox(demo):
    graph, findings, cli = demo
    assert cli.returncode == 1, cli.stderr[-2000:]
    data = json.loads(cli.stdout)
    assert {(d["rule"], d["node"]) for d in data} == {(f.rule, f.node) for f in findings}
