"""`trellis graph`, `trellis snapshot`, `trellis diff` as a user runs them, on snapshot files."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from tui.model import fixtures as f
from tui.model.graph import build_graph
from tui.snapshot import load_snapshot, save_snapshot

ROOT = Path(__file__).resolve().parents[2]


def trellis(*args: str, tmp: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull}
    return subprocess.run([sys.executable, "-m", "tui", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)  # fmt: skip


@pytest.fixture
def snap(tmp_path: Path) -> Path:
    path = tmp_path / "old.json"
    save_snapshot(path, f.sample_inventory())
    return path


def test_graph_json_to_stdout_is_node_link(snap, tmp_path):
    out = trellis("graph", "--snapshot", snap, tmp=tmp_path)
    assert out.returncode == 0, out.stderr
    g = nx.node_link_graph(json.loads(out.stdout), edges="edges")
    assert g.has_edge(f.L_ORDERS, f.TG_ORDERS, key="forwards_to") and f.TG_SHARED in g


@pytest.mark.parametrize(("fmt", "marker"), [
    ("mermaid", "flowchart LR"), ("dot", "digraph trellis {"), ("graphml", "<graphml"),
])  # fmt: skip
def test_graph_formats_to_a_file(snap, tmp_path, fmt, marker):
    target = tmp_path / f"g.{fmt}"
    out = trellis("graph", "--snapshot", snap, "--format", fmt, "-o", target, tmp=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout == "" and marker in target.read_text()
    if fmt == "graphml":
        expected = build_graph(load_snapshot(snap)[0])
        assert len(nx.read_graphml(io.BytesIO(target.read_bytes()))) == len(expected)


def test_snapshot_resave_with_redaction(snap, tmp_path):
    target = tmp_path / "red.json"
    out = trellis("snapshot", "--snapshot", snap, "-o", target, "--redact", tmp=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "saved" in out.stderr and f.ACCOUNT not in target.read_text()
    doc = json.loads(target.read_text())
    assert doc["format"] == "trellis-snapshot" and doc["redacted"] is True


def test_diff_text_and_json(snap, tmp_path):
    inv = f.sample_inventory()
    inv.records["target"][1]["raw"]["status"] = "HEALTHY"
    new = tmp_path / "new.json"
    save_snapshot(new, inv)
    text = trellis("diff", snap, new, tmp=tmp_path)
    assert text.returncode == 0, text.stderr
    assert "Changed nodes (1)" in text.stdout and '"UNHEALTHY" → "HEALTHY"' in text.stdout
    data = json.loads(trellis("diff", snap, new, "--format", "json", tmp=tmp_path).stdout)
    assert [n["id"] for n in data["changed_nodes"]] == [f.T_ORDERS_2]
    same = trellis("diff", snap, snap, tmp=tmp_path)
    assert same.returncode == 0 and same.stdout.strip() == "No changes."


@pytest.mark.parametrize("args", [
    ("graph", "--snapshot", "{tmp}/missing.json"),
    ("graph", "--snapshot", "{corrupt}"),
    ("graph", "--snapshot", "{snap}", "--format", "png"),
    ("graph", "--snapshot", "{snap}", "-o", "{tmp}/no/such/dir/g.json"),
    ("snapshot", "--snapshot", "{snap}"),
    ("diff", "{snap}"),
    ("diff", "{snap}", "{corrupt}"),
    ("diff", "{snap}", "{snap}", "--format", "yaml"),
    ("graph", "--snapshot", "{damaged}"),
    ("doctor", "--snapshot", "{damaged}"),
    ("diff", "{snap}", "{damaged}"),
    ("graph", "--snapshot", "{snap}", "--endpoint-url", "http://127.0.0.1:9"),
    ("graph", "--endpoint-url", "notaurl", "--region", "us-east-1"),
    ("graph", "--endpoint-url", "ftp://127.0.0.1:5", "--region", "us-east-1"),
    ("graph", "--endpoint-url", "http://a b:5", "--region", "us-east-1"),
    ("graph", "--endpoint-url", "http://127.0.0.1:99999", "--region", "us-east-1"),
    ("graph", "--endpoint-url", "http://[::1", "--region", "us-east-1"),
    ("graph", "--endpoint-url", "http://127.0.0.1:9", "--region", "bad region!"),
    ("nosuchcommand",),
    ("attach", "--region", "us-east-1,eu-west-1", "--cluster", "c", "--service", "s",
     "--target-group", "t", "--port-name", "p", "--role", "r"),
    ("detach", "--profile", "a,b", "--cluster", "c", "--service", "s", "--target-group", "t"),
])  # fmt: skip
def test_usage_errors_exit_2_with_one_line(snap, tmp_path, args):
    corrupt = tmp_path / "corrupt.json"
    corrupt.write_text('{"format": "trellis-snapshot", "version": 1, "inv')
    # Valid JSON in the snapshot format, but a task's attachments are not a list of objects.
    doc = json.loads(Path(snap).read_text())
    next(iter(doc["inventory"]["records"]["ecs_task"]))["raw"]["attachments"] = "x"
    damaged = tmp_path / "damaged.json"
    damaged.write_text(json.dumps(doc))
    argv = [a.format(tmp=tmp_path, snap=snap, corrupt=corrupt, damaged=damaged) for a in args]
    out = trellis(*argv, tmp=tmp_path)
    assert out.returncode == 2, (out.stdout, out.stderr)
    assert "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) <= 2  # argparse: usage line + error line
    assert "error" in out.stderr


def test_verify_against_a_damaged_snapshot_is_one_line(snap, tmp_path, monkeypatch):
    doc = json.loads(Path(snap).read_text())
    next(iter(doc["inventory"]["records"]["ecs_task"]))["raw"]["attachments"] = "x"
    damaged = tmp_path / "damaged.json"
    damaged.write_text(json.dumps(doc))
    good = ROOT / "tests" / "fixtures" / "ecspresso" / "good" / "ecspresso.yml"
    for name in ("ACCOUNT_ID", "EXECUTION_ROLE_ARN", "LATTICE_ROLE_ARN", "SG_SHOP_PROD_TASKS",
                 "SUBNET_PROD_A", "SUBNET_PROD_B", "TG_NOTIFICATIONS"):
        monkeypatch.setenv(name, "arn:aws:iam::123456789012:role/x")  # any value: never used
    out = trellis("verify", "--ecspresso", good, "--snapshot", damaged, tmp=tmp_path)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "damaged record" in out.stderr and len(out.stderr.strip().splitlines()) == 1
