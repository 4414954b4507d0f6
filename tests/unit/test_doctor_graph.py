"""Inventory -> build_graph -> doctor, on the model's shared fixture, and the CLI on a snapshot."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tui.doctor import check_ecs_service, run_doctor
from tui.doctor.reach import reach_from_vpc
from tui.model import fixtures as fx
from tui.model.graph import build_graph
from tui.model.kinds import NodeKind as K

ROOT = Path(__file__).resolve().parents[2]


def graph(mutate=None):
    inv = fx.sample_inventory()
    if mutate:
        mutate(inv)
    return build_graph(inv)


def pairs(findings):
    return {(f.rule, f.node) for f in findings if f.severity != "info"}


def test_fixture_problems_found_on_the_right_nodes():
    found = pairs(run_doctor(graph()))
    assert {
        ("svc-no-network", fx.SVC_ORPHAN),
        ("rule-dead-end", fx.RULE_ZERO),
        ("tg-empty", fx.TG_BILLING),
        ("tg-some-unhealthy", fx.TG_ORDERS),
        ("sn-no-vpc", fx.SN_LONELY),
    } <= found
    # cross-account target group (a stub) and the default rule are not judged
    assert not {n for r, n in found if n in (fx.RULE_SHARED, fx.RULE_DEFAULT, fx.TG_SHARED)}


def test_denied_get_role_is_reported_as_unchecked_not_missing():
    found = [f for f in run_doctor(graph()) if f.node == fx.ECS_API and f.rule.startswith(
        "ecs-role")]
    assert [(f.rule, f.severity) for f in found] == [("ecs-role-missing", "info")]


def test_role_ctx_is_read_from_the_inventory():
    def strip_policies(inv):
        for rec in inv.of(K.IAM_ROLE):
            rec["ctx"]["attachedPolicies"] = []

    assert not [f for f in run_doctor(graph()) if f.rule == "ecs-role-policy"]
    found = [f for f in run_doctor(graph(strip_policies)) if f.rule == "ecs-role-policy"]
    assert {f.node for f in found} == {fx.ECS_ORDERS, fx.ECS_CANARY}
    assert all(f.severity == "error" for f in found)


def test_prefix_list_from_inventory_lets_sg_rule_pass():
    def open_web(inv):
        pl = inv.prefix_lists[0]["PrefixListId"]
        for rec in inv.of(K.SECURITY_GROUP):
            if rec["raw"]["GroupId"] == "sg-web":
                rec["raw"]["IpPermissions"] = [{"IpProtocol": "tcp", "FromPort": 8080,
                                                "ToPort": 8080,
                                                "PrefixListIds": [{"PrefixListId": pl}]}]

    assert "ecs-sg-no-lattice" in {f.rule for f in check_ecs_service(graph(), fx.ECS_ORDERS)}
    assert "ecs-sg-no-lattice" not in {
        f.rule for f in check_ecs_service(graph(open_web), fx.ECS_ORDERS)}


def test_reach_on_fixture():
    by_name = {r.name: r for r in reach_from_vpc(graph(), "vpc-a")}
    assert by_name["orphan"].failed.name == "service-network"
    assert by_name["orders"].failed.name == "security-groups"  # sg-lattice has no ingress


# --- the command line ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def snapshot(tmp_path_factory):
    from tui.snapshot import save_snapshot

    path = tmp_path_factory.mktemp("doctor") / "snap.json"
    save_snapshot(path, fx.sample_inventory())
    return path


def trellis(*args):
    return subprocess.run([sys.executable, "-m", "tui", "doctor", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


def test_cli_text_exit_1_on_errors(snapshot):
    out = trellis("--snapshot", snapshot)
    assert out.returncode == 1, out.stderr
    assert "ERRORS" in out.stdout and "svc-no-network" in out.stdout and "fix:" in out.stdout
    assert "Traceback" not in out.stderr


def test_cli_json_filters_and_exit_0_without_errors(snapshot):
    out = trellis("--snapshot", snapshot, "--format", "json", "--rule", "tg-some-unhealthy",
                  "--rule", "tg-unused")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert {d["rule"] for d in data} == {"tg-some-unhealthy", "tg-unused"}
    assert all(set(d) == {"rule", "severity", "node", "message", "evidence", "fix"} for d in data)
    out = trellis("--snapshot", snapshot, "--format", "json", "--severity", "error")
    assert {d["severity"] for d in json.loads(out.stdout)} == {"error"}


@pytest.mark.parametrize("args", [
    ("--rule", "no-such-rule"),
    ("--severity", "fatal"),
    ("--from-vpc", "vpc-zzz"),
])
def test_cli_usage_errors_exit_2_one_line(snapshot, args):
    out = trellis("--snapshot", snapshot, *args)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_cli_missing_snapshot_exit_2(tmp_path):
    out = trellis("--snapshot", tmp_path / "none.json")
    assert out.returncode == 2 and "Traceback" not in out.stderr


def test_cli_from_vpc(snapshot):
    out = trellis("--snapshot", snapshot, "--from-vpc", "vpc-a", "--format", "json")
    assert out.returncode == 1  # some services are unreachable from vpc-a
    data = {d["name"]: d for d in json.loads(out.stdout)}
    assert data["orphan"]["failed_hop"] == "service-network"
    text = trellis("--snapshot", snapshot, "--from-vpc", "vpc-a").stdout
    assert "blocked at security-groups" in text


def test_cli_list_rules():
    out = trellis("--list-rules")
    assert out.returncode == 0 and "ecs-sg-no-lattice" in out.stdout


def test_cli_list_rules_json():
    out = trellis("--list-rules", "--format", "json")
    rows = json.loads(out.stdout)
    assert out.returncode == 0 and {"rule", "severity", "area", "summary"} <= set(rows[0])
    assert "ecr-endpoint-no-private-dns" in {r["rule"] for r in rows}


def test_cli_reader_closing_the_pipe_is_not_a_traceback(snapshot):
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui", "doctor", "--snapshot", str(snapshot), "--format", "json"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    proc.stdout.readline()  # `| head -1`: read one line, then leave
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=60) in (0, 1, 141)
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr, stderr
