"""Lattice rules: each fires on one broken thing and stays quiet on the near miss."""

from __future__ import annotations

import json

import pytest
from doctor_builders import (
    LISTENER,
    RULE,
    SG_CLIENT,
    SN,
    SNSA,
    SNVA,
    SVC,
    TARGET,
    TG,
    add,
    drop_edge,
    forward,
    healthy,
    link,
    perm,
    raw,
    set_auth_policy,
    stub,
)

from tui.doctor import run_doctor
from tui.model.kinds import EdgeKind as E
from tui.model.kinds import NodeKind as K
from tui.model.kinds import target_id


def fired(g, rule_id, node=None):
    return [f for f in run_doctor(g, rules=[rule_id]) if node is None or f.node == node]


def test_healthy_graph_has_no_findings():
    assert run_doctor(healthy()) == []


# --- sn-no-vpc / svc-no-network ------------------------------------------------------------
def test_sn_no_vpc_fires_when_association_not_active():
    g = healthy()
    raw(g, SNVA)["status"] = "DELETE_FAILED"
    (f,) = fired(g, "sn-no-vpc", SN)
    assert f.severity == "error"  # the network has a service
    assert f.evidence["vpc_associations"] == {SNVA: "DELETE_FAILED"}
    raw(g, SNVA)["status"] = "CREATE_IN_PROGRESS"
    assert fired(g, "sn-no-vpc", SN)[0].severity == "warning"


def test_svc_no_network_warning_while_association_in_progress():
    g = healthy()
    raw(g, SNSA)["status"] = "CREATE_IN_PROGRESS"
    (f,) = fired(g, "svc-no-network", SVC)
    assert f.severity == "warning" and "in progress" in f.message


def test_sn_no_vpc_quiet_with_active_association():
    assert fired(healthy(), "sn-no-vpc") == []


def test_svc_no_network_fires_without_active_association():
    g = healthy()
    drop_edge(g, SNSA, SVC, E.ASSOCIATED)
    (f,) = fired(g, "svc-no-network")
    assert f.node == SVC


def test_svc_no_network_quiet_when_associated():
    assert fired(healthy(), "svc-no-network") == []


# --- assoc-failed ------------------------------------------------------------------------------
@pytest.mark.parametrize("node", [SNVA, SNSA])
def test_assoc_failed_fires_with_failure_code(node):
    g = healthy()
    raw(g, node).update(status="CREATE_FAILED", failureCode="AccessDenied",
                        failureMessage="not allowed")
    (f,) = fired(g, "assoc-failed", node)
    assert f.evidence["failureCode"] == "AccessDenied"
    assert "not allowed" in f.message


def test_assoc_failed_quiet_on_in_progress():
    g = healthy()
    raw(g, SNVA)["status"] = "CREATE_IN_PROGRESS"
    assert fired(g, "assoc-failed") == []


# --- assoc-sg-blocks ---------------------------------------------------------------------------
def test_assoc_sg_blocks_fires_when_listener_port_not_admitted():
    g = healthy()
    raw(g, SG_CLIENT)["IpPermissions"] = [perm(443, cidr="10.0.0.0/16")]
    (f,) = fired(g, "assoc-sg-blocks", SNVA)
    assert f.evidence["securityGroupIds"] == ["sg-client"]
    assert "port 80" in f.evidence["blocked"][0]
    assert "sg-client" in f.fix and "--port 80 --cidr 10.0.0.0/16" in f.fix


@pytest.mark.parametrize("ingress", [
    [perm(proto="-1", cidr="0.0.0.0/0")],          # all protocols
    [perm(1, to=1024, cidr="10.0.0.0/8")],         # a range containing 80
    [perm(80, group="sg-other")],                  # from a group: still admits something
])
def test_assoc_sg_blocks_quiet_when_port_admitted(ingress):
    g = healthy()
    raw(g, SG_CLIENT)["IpPermissions"] = ingress
    assert fired(g, "assoc-sg-blocks") == []


def test_assoc_sg_blocks_quiet_without_groups_and_info_when_group_not_loaded():
    g = healthy()
    raw(g, SNVA)["securityGroupIds"] = []
    drop_edge(g, SNVA, SG_CLIENT, E.IN)
    assert fired(g, "assoc-sg-blocks") == []
    g = healthy()
    raw(g, SNVA)["securityGroupIds"] = ["sg-gone"]
    drop_edge(g, SNVA, SG_CLIENT, E.IN)
    (f,) = fired(g, "assoc-sg-blocks")
    assert f.severity == "info" and "sg-gone" in f.message


# --- auth --------------------------------------------------------------------------------------
@pytest.mark.parametrize("owner", [SVC, SN])
def test_auth_no_policy_fires_on_iam_without_policy(owner):
    g = healthy()
    raw(g, owner)["authType"] = "AWS_IAM"
    (f,) = fired(g, "auth-no-policy", owner)
    assert "put-auth-policy" in f.fix


def test_auth_no_policy_quiet_with_policy():
    g = healthy()
    raw(g, SVC)["authType"] = "AWS_IAM"
    set_auth_policy(g, SVC, json.dumps({"Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "vpc-lattice-svcs:Invoke",
         "Resource": "*"}]}))
    assert fired(g, "auth-no-policy") == []


@pytest.mark.parametrize("statements", [
    [{"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"}],
    [{"Effect": "Allow", "Principal": "*", "Action": "vpc-lattice-svcs:Invoke", "Resource": "*"},
     {"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "vpc-lattice-svcs:*",
      "Resource": "*"}],
    [],
])
def test_auth_policy_denies_fires(statements):
    g = healthy()
    raw(g, SVC)["authType"] = "AWS_IAM"
    pol = set_auth_policy(g, SVC, json.dumps({"Version": "2012-10-17", "Statement": statements}))
    (f,) = fired(g, "auth-policy-denies", SVC)  # placed on the owner
    assert SVC in f.fix and f.evidence["auth_policy"] == pol


def test_auth_policy_not_enforced_when_auth_type_none():
    g = healthy()
    set_auth_policy(g, SVC, json.dumps({"Statement": []}))
    assert fired(g, "auth-policy-denies") == []


def test_auth_policy_denies_quiet_with_allow_or_conditional_deny():
    g = healthy()
    raw(g, SVC)["authType"] = "AWS_IAM"
    set_auth_policy(g, SVC, json.dumps({"Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1:root"},
         "Action": "vpc-lattice-svcs:Invoke", "Resource": "*"},
        {"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*",
         "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-1"}}}]}))
    assert fired(g, "auth-policy-denies") == []


# --- svc-no-listener ---------------------------------------------------------------------------
def test_svc_no_listener():
    g = healthy()
    assert fired(g, "svc-no-listener") == []
    g.remove_node(LISTENER)
    (f,) = fired(g, "svc-no-listener")
    assert f.node == SVC


# --- listener-dead-end / rule-dead-end ---------------------------------------------------------
def test_listener_dead_end_fixed_response_without_rules():
    g = healthy()
    raw(g, LISTENER)["defaultAction"] = {"fixedResponse": {"statusCode": 404}}
    drop_edge(g, LISTENER, TG, E.FORWARDS_TO)
    (f,) = fired(g, "listener-dead-end", LISTENER)
    assert "404" in f.message


def test_listener_fixed_default_behind_forwarding_rule_is_fine():
    g = healthy()
    raw(g, LISTENER)["defaultAction"] = {"fixedResponse": {"statusCode": 404}}
    add(g, RULE, K.RULE, {"arn": RULE, "name": "api", "priority": 1, "isDefault": False,
                          "action": forward((TG, 1))})
    link(g, LISTENER, RULE, E.CONTAINS)
    assert fired(g, "listener-dead-end") == []
    assert fired(g, "rule-dead-end") == []


def test_listener_dead_end_weight_zero():
    g = healthy()
    raw(g, LISTENER)["defaultAction"] = forward((TG, 0))
    (f,) = fired(g, "listener-dead-end")
    assert "weight 0" in f.message


def test_listener_dead_end_no_healthy_target():
    g = healthy()
    raw(g, TARGET)["status"] = "UNHEALTHY"
    (f,) = fired(g, "listener-dead-end")
    assert "no healthy target" in f.message and "fails open" in f.message
    assert f.evidence[TG] == "weight 100, 1 UNHEALTHY"


def test_listener_dead_end_empty_group_does_not_claim_fail_open():
    g = healthy()
    g.remove_node(TARGET)
    (f,) = fired(g, "listener-dead-end")
    assert "fails open" not in f.message and f.evidence[TG].endswith("no targets")


def test_listener_quiet_when_targets_unknown():
    g = healthy()
    g.remove_node(TARGET)
    g.graph["errors"] = [{"service": "vpc-lattice", "operation": "ListTargets", "resource": TG,
                          "code": "AccessDeniedException", "message": "", "kind": "target"}]
    g.graph["incomplete_kinds"] = {"target": g.graph["errors"]}
    assert fired(g, "listener-dead-end") == []
    (info,) = fired(g, "tg-empty")
    assert info.severity == "info" and "ListTargets" in info.message


def test_rule_dead_end_fires_on_weight_zero_and_fixed_response():
    g = healthy()
    add(g, RULE, K.RULE, {"arn": RULE, "name": "old", "isDefault": False,
                          "action": forward((TG, 0))})
    link(g, LISTENER, RULE, E.CONTAINS)
    (f,) = fired(g, "rule-dead-end", RULE)
    assert f.severity == "error"
    raw(g, RULE)["action"] = {"fixedResponse": {"statusCode": 403}}
    (f,) = fired(g, "rule-dead-end", RULE)
    assert f.severity == "warning"


def test_rule_dead_end_ignores_cross_account_group_and_default_rule():
    g = healthy()
    other = "arn:aws:vpc-lattice:us-east-1:444455556666:targetgroup/tg-shared"
    stub(g, other, K.TARGET_GROUP)
    add(g, RULE, K.RULE, {"arn": RULE, "name": "x", "action": forward((other, 1))})
    link(g, LISTENER, RULE, E.CONTAINS)
    assert fired(g, "rule-dead-end") == []
    raw(g, RULE).update(isDefault=True, action=forward((TG, 0)))
    assert fired(g, "rule-dead-end") == []


def test_rule_dead_end_missing_group_in_own_account():
    g = healthy()
    gone = TG.replace("tg-1", "tg-gone")
    stub(g, gone, K.TARGET_GROUP)
    add(g, RULE, K.RULE, {"arn": RULE, "name": "x", "action": forward((gone, 1))})
    link(g, LISTENER, RULE, E.CONTAINS)
    (f,) = fired(g, "rule-dead-end")
    assert f.evidence[gone] == "target group does not exist"


# --- tls-needs-tcp-tg --------------------------------------------------------------------------
def test_tls_needs_tcp_tg():
    g = healthy()
    raw(g, LISTENER).update(protocol="TLS_PASSTHROUGH", port=443)
    (f,) = fired(g, "tls-needs-tcp-tg", LISTENER)
    assert f.evidence["target_groups"] == {TG: "HTTP"}
    raw(g, TG)["config"]["protocol"] = "TCP"
    assert fired(g, "tls-needs-tcp-tg") == []


# --- target groups -----------------------------------------------------------------------------
def test_tg_unused_error_when_ecs_attached_info_otherwise():
    g = healthy()
    raw(g, TG)["serviceArns"] = []
    drop_edge(g, LISTENER, TG, E.FORWARDS_TO)
    (f,) = fired(g, "tg-unused", TG)
    assert f.severity == "error" and f.evidence["attached_ecs_services"]
    lone = add(g, TG.replace("tg-1", "tg-2"), K.TARGET_GROUP, {"type": "IP", "serviceArns": []})
    assert [x.severity for x in fired(g, "tg-unused", lone)] == ["info"]


def test_tg_unused_quiet_when_forwarded_to():
    assert fired(healthy(), "tg-unused") == []


def test_tg_empty():
    g = healthy()
    assert fired(g, "tg-empty") == []
    g.remove_node(TARGET)
    (f,) = fired(g, "tg-empty", TG)
    assert f.severity == "error"


def _second_target(g, status, reason=""):
    t2 = target_id(TG, "10.0.1.11", 8080)
    add(g, t2, K.TARGET, {"id": "10.0.1.11", "port": 8080, "status": status, "reasonCode": reason})
    link(g, TG, t2, E.REGISTERED)
    return t2


def test_tg_all_unhealthy_mentions_fail_open():
    g = healthy()
    raw(g, TARGET).update(status="UNHEALTHY", reasonCode="HealthCheckFailed")
    _second_target(g, "DRAINING")  # draining ones do not count
    (f,) = fired(g, "tg-all-unhealthy", TG)
    assert "fails open" in f.message
    assert f.evidence["reasonCodes"] == {"HealthCheckFailed": 1}
    assert fired(g, "tg-some-unhealthy") == []


def test_tg_some_unhealthy_with_reason_codes():
    g = healthy()
    _second_target(g, "UNHEALTHY", "ConnectionFailure")
    (f,) = fired(g, "tg-some-unhealthy", TG)
    assert f.evidence["reasonCodes"] == {"ConnectionFailure": 1}
    assert fired(g, "tg-all-unhealthy") == []


def test_tg_health_rules_quiet_when_healthy():
    g = healthy()
    _second_target(g, "INITIAL")
    assert fired(g, "tg-all-unhealthy") == [] and fired(g, "tg-some-unhealthy") == []


# --- hc-port-mismatch --------------------------------------------------------------------------
def test_hc_port_mismatch_fires_on_unmapped_port():
    g = healthy()
    raw(g, TG)["config"]["healthCheck"]["port"] = 9090
    (f,) = fired(g, "hc-port-mismatch", TG)
    assert f.evidence["container_ports"] == [8080]
    assert "port=8080" in f.fix


def test_hc_port_mismatch_quiet_on_default_port_or_disabled():
    g = healthy()
    del raw(g, TG)["config"]["healthCheck"]["port"]  # defaults to the target port
    assert fired(g, "hc-port-mismatch") == []
    raw(g, TG)["config"]["healthCheck"].update(port=9090, enabled=False)
    assert fired(g, "hc-port-mismatch") == []

