"""The engine: registry, sorting, filtering, missing data, per-node and per-service entry points."""

from __future__ import annotations

import json

import pytest
from doctor_builders import (
    ECS_SVC,
    EP_DKR,
    LISTENER,
    SG_ENDPOINT,
    SG_TASK,
    SNVA,
    SVC,
    TARGET,
    TG,
    healthy,
    raw,
)

from tui.doctor import (
    REGISTRY,
    UnknownRule,
    check_ecs_service,
    findings_for,
    rule_ids,
    run_doctor,
)

ISSUE_RULE_IDS = {
    "sn-no-vpc", "svc-no-network", "assoc-failed", "assoc-sg-blocks", "auth-no-policy",
    "auth-policy-denies", "listener-dead-end", "rule-dead-end", "tls-needs-tcp-tg", "tg-unused",
    "tg-empty", "tg-all-unhealthy", "tg-some-unhealthy", "hc-port-mismatch",
    "ecs-portname-missing", "ecs-tg-not-ip", "ecs-tg-vpc-mismatch", "ecs-role-missing",
    "ecs-role-trust", "ecs-role-policy", "ecs-too-many-tgs", "ecs-external-launch",
    "ecs-rollout-failed", "ecs-tasks-not-registered", "ecs-sg-no-lattice", "ecr-no-endpoints",
    "ecr-endpoint-sg", "ecr-endpoint-no-private-dns",
}


def broken():
    """Three problems at three severities."""
    g = healthy()
    raw(g, SG_TASK)["IpPermissions"] = []                       # ecs-sg-no-lattice: error
    raw(g, SNVA).update(status="CREATE_FAILED")                 # assoc-failed + sn-no-vpc...
    raw(g, TARGET)["status"] = "UNHEALTHY"                      # tg-all-unhealthy: error
    return g


def test_every_issue_rule_is_registered_with_a_cited_docstring():
    assert set(rule_ids()) >= ISSUE_RULE_IDS
    for rule in REGISTRY.values():
        assert "AWS" in rule.doc, rule.id  # each docstring cites the AWS behaviour
        assert rule.severity in ("error", "warning", "info")


def test_findings_sorted_by_severity_rule_node():
    findings = run_doctor(broken())
    keys = [(("error", "warning", "info").index(f.severity), f.rule, f.node) for f in findings]
    assert keys == sorted(keys)
    assert {f.severity for f in findings} >= {"error"}


def test_min_severity_and_rule_filters():
    g = broken()
    every = run_doctor(g)
    errors = run_doctor(g, min_severity="error")
    assert errors and all(f.severity == "error" for f in errors)
    assert len(errors) < len(every) or all(f.severity == "error" for f in every)
    only = run_doctor(g, rules=["assoc-failed"])
    assert [f.rule for f in only] == ["assoc-failed"]
    with pytest.raises(UnknownRule, match="nope"):
        run_doctor(g, rules=["nope"])


def test_warning_filter_keeps_errors_and_warnings():
    g = healthy()
    raw(g, LISTENER)["defaultAction"] = {"fixedResponse": {"statusCode": 404}}
    found = run_doctor(g, min_severity="warning")
    assert all(f.severity in ("error", "warning") for f in found)


def test_json_shape():
    for f in run_doctor(broken()):
        d = json.loads(json.dumps(f.to_dict()))
        assert list(d) == ["rule", "severity", "node", "message", "evidence", "fix"]
        assert isinstance(d["evidence"], list | dict) and d["fix"]


def test_kind_not_loaded_gives_info_not_a_verdict():
    g = healthy()
    g.remove_node(TARGET)  # as if ListTargets had failed account-wide
    g.graph["incomplete_kinds"] = {"target": [
        {"service": "vpc-lattice", "operation": "ListTargets", "resource": "",
         "code": "AccessDeniedException", "message": "", "kind": "target"}]}
    found = run_doctor(g)
    assert not [f for f in found if f.rule == "tg-empty" and f.severity != "info"]
    (info,) = [f for f in found if f.rule == "tg-empty"]
    assert "target not loaded" in info.message and "ListTargets" in info.message
    assert run_doctor(g, min_severity="warning") == []


def test_stub_nodes_are_not_judged():
    g = healthy()
    g.nodes[TG]["missing"] = True
    assert not [f for f in run_doctor(g) if f.node == TG]


def test_findings_for_one_node_includes_findings_placed_by_other_nodes():
    g = healthy()
    raw(g, SG_ENDPOINT)["IpPermissions"] = []
    raw(g, EP_DKR)["PrivateDnsEnabled"] = False
    rules = {f.rule for f in findings_for(g, EP_DKR)}
    assert rules == {"ecr-endpoint-sg", "ecr-endpoint-no-private-dns"}
    assert findings_for(g, SVC) == []
    previous = run_doctor(g)
    assert findings_for(g, EP_DKR, previous) == findings_for(g, EP_DKR)


def test_check_ecs_service_covers_service_groups_and_endpoints_only():
    g = healthy()
    raw(g, SG_TASK)["IpPermissions"] = []                 # service
    raw(g, TG)["config"]["healthCheck"]["port"] = 9999    # attached target group
    raw(g, EP_DKR)["PrivateDnsEnabled"] = False           # endpoint in the service's VPC
    raw(g, SNVA)["status"] = "CREATE_FAILED"              # Lattice side: not this service's rules
    found = check_ecs_service(g, ECS_SVC)
    assert {(f.rule, f.node) for f in found} == {
        ("ecs-sg-no-lattice", ECS_SVC), ("hc-port-mismatch", TG),
        ("ecr-endpoint-no-private-dns", EP_DKR)}
    assert check_ecs_service(healthy(), ECS_SVC) == []


def test_check_ecs_service_on_a_planned_service_without_edges():
    """verify places a planned service with raw only: the rules must work from raw fields."""
    g = healthy()
    planned = ECS_SVC.replace("/web", "/planned")
    data = json.loads(json.dumps(raw(g, ECS_SVC)))
    data["deployments"][0]["vpcLatticeConfigurations"][0]["portName"] = "nope"
    g.add_node(planned, kind="ecs_service", name="planned", region="us-east-1",
               account="111122223333", raw=data, planned=True)
    rules = {f.rule for f in check_ecs_service(g, planned)}
    assert rules == {"ecs-portname-missing"}

