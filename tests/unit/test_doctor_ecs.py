"""ECS <-> Lattice rules (config, role, security groups): fire / stay quiet."""

from __future__ import annotations

import json

import pytest
from doctor_builders import (
    ECS_SVC,
    MANAGED,
    PL,
    ROLE,
    SG_TASK,
    SUBNET,
    TARGET,
    TASK,
    TD,
    TG,
    add,
    drop_edge,
    healthy,
    lattice_config,
    link,
    perm,
    raw,
    stub,
)

from tui.doctor import run_doctor
from tui.model.kinds import EdgeKind as E
from tui.model.kinds import NodeKind as K


def fired(g, rule_id, node=None):
    return [f for f in run_doctor(g, rules=[rule_id]) if node is None or f.node == node]


ECS_RULES = ["ecs-portname-missing", "ecs-tg-missing", "ecs-tg-not-ip", "ecs-tg-vpc-mismatch",
             "ecs-role-missing", "ecs-role-trust", "ecs-role-policy", "ecs-too-many-tgs",
             "ecs-external-launch", "ecs-rollout-failed", "ecs-tasks-not-registered",
             "ecs-sg-no-lattice"]


@pytest.mark.parametrize("rule_id", ECS_RULES)
def test_quiet_on_healthy_service(rule_id):
    assert fired(healthy(), rule_id) == []


def test_portname_missing_lists_available_names():
    g = healthy()
    lattice_config(g)["portName"] = "http"
    (f,) = fired(g, "ecs-portname-missing", ECS_SVC)
    assert f.evidence["named_port_mappings"] == ["web"]
    assert "'http'" in f.message


def test_portname_missing_unnamed_mappings_and_unloaded_td():
    g = healthy()
    del raw(g, TD)["containerDefinitions"][0]["portMappings"][0]["name"]
    (f,) = fired(g, "ecs-portname-missing")
    assert f.evidence["named_port_mappings"] == [] and '"name": "web"' in f.fix
    g.nodes[TD]["missing"] = True
    (f,) = fired(g, "ecs-portname-missing")
    assert f.severity == "info"


def test_tg_missing_fires_only_for_own_account():
    g = healthy()
    gone = TG.replace("tg-1", "tg-gone")
    stub(g, gone, K.TARGET_GROUP)
    lattice_config(g)["targetGroupArn"] = gone
    (f,) = fired(g, "ecs-tg-missing", ECS_SVC)
    assert gone in f.message
    lattice_config(g)["targetGroupArn"] = gone.replace("111122223333", "444455556666")
    assert fired(g, "ecs-tg-missing") == []


def test_tg_not_ip():
    g = healthy()
    raw(g, TG)["type"] = "INSTANCE"
    (f,) = fired(g, "ecs-tg-not-ip", ECS_SVC)
    assert f.evidence["type"] == "INSTANCE"


def test_tg_vpc_mismatch_vpc_and_account():
    g = healthy()
    raw(g, TG)["config"]["vpcIdentifier"] = "vpc-b"
    (f,) = fired(g, "ecs-tg-vpc-mismatch", ECS_SVC)
    assert f.evidence["tg_vpc"] == "vpc-b" and f.evidence["service_vpc"] == "vpc-a"
    g = healthy()
    lattice_config(g)["targetGroupArn"] = TG.replace("111122223333", "444455556666")
    (f,) = fired(g, "ecs-tg-vpc-mismatch")
    assert "444455556666" in f.message


def test_role_missing():
    g = healthy()
    g.remove_node(ROLE)
    (f,) = fired(g, "ecs-role-missing", ECS_SVC)
    assert ROLE in f.message
    lattice_config(g)["roleArn"] = ""
    assert "(none)" in fired(g, "ecs-role-missing")[0].message


def test_role_missing_is_info_when_get_role_denied():
    g = healthy()
    g.remove_node(ROLE)
    stub(g, ROLE, K.IAM_ROLE)
    g.graph["errors"] = [{"service": "iam", "operation": "GetRole", "resource": ROLE,
                          "code": "AccessDenied", "message": "", "kind": "iam_role"}]
    g.graph["incomplete_kinds"] = {"iam_role": g.graph["errors"]}
    (f,) = fired(g, "ecs-role-missing")
    assert f.severity == "info" and "AccessDenied" in f.message


@pytest.mark.parametrize("doc", [
    {"Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                    "Action": "sts:AssumeRole"}]},
    {"Statement": [{"Effect": "Deny", "Principal": {"Service": "ecs.amazonaws.com"},
                    "Action": "sts:AssumeRole"}]},
    {"Statement": [{"Effect": "Allow", "Principal": {"Service": ["ecs.amazonaws.com"]},
                    "Action": "sts:TagSession"}]},
])
def test_role_trust_fires(doc):
    g = healthy()
    raw(g, ROLE)["AssumeRolePolicyDocument"] = doc
    (f,) = fired(g, "ecs-role-trust", ECS_SVC)
    assert "ecs.amazonaws.com" in f.fix


def test_role_trust_accepts_list_and_url_encoded_json():
    doc = {"Statement": [{"Effect": "Allow", "Action": ["sts:AssumeRole", "sts:TagSession"],
                          "Principal": {"Service": ["ecs.amazonaws.com", "ec2.amazonaws.com"]}}]}
    g = healthy()
    raw(g, ROLE)["AssumeRolePolicyDocument"] = json.dumps(doc).replace('"', "%22")
    assert fired(g, "ecs-role-trust") == []


def _ctx(g):
    return g.nodes[ROLE]["ctx"]


def test_role_policy_fires_without_lattice_permissions():
    g = healthy()
    _ctx(g)["attachedPolicies"] = []
    _ctx(g)["inlinePolicies"] = {"other": {"Statement": [
        {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}}
    (f,) = fired(g, "ecs-role-policy", ECS_SVC)
    assert f.severity == "error"
    assert f.evidence["missing_actions"] == ["vpc-lattice:RegisterTargets",
                                             "vpc-lattice:DeregisterTargets"]
    assert MANAGED in f.fix


def test_role_policy_equivalent_inline_statements_are_fine():
    g = healthy()
    _ctx(g)["attachedPolicies"] = []
    _ctx(g)["inlinePolicies"] = {"lattice": {"Statement": [
        {"Effect": "Allow", "Action": ["vpc-lattice:*Targets", "vpc-lattice:GetTargetGroup"],
         "Resource": "*"},
        {"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"}]}}
    assert fired(g, "ecs-role-policy") == []


def test_role_policy_partial_inline_is_warning_and_deny_is_error():
    g = healthy()
    _ctx(g)["attachedPolicies"] = []
    _ctx(g)["inlinePolicies"] = {"lattice": {"Statement": [
        {"Effect": "Allow", "Action": ["vpc-lattice:RegisterTargets",
                                       "vpc-lattice:DeregisterTargets"], "Resource": "*"}]}}
    (f,) = fired(g, "ecs-role-policy")
    assert f.severity == "warning" and "vpc-lattice:ListTargets" in f.evidence[
        "recommended_missing"]
    g = healthy()  # managed policy attached, but an inline Deny overrides it
    _ctx(g)["inlinePolicies"] = {"deny": {"Statement": [
        {"Effect": "Deny", "Action": "vpc-lattice:RegisterTargets", "Resource": "*"}]}}
    (f,) = fired(g, "ecs-role-policy")
    assert f.severity == "error" and f.evidence["missing_actions"] == [
        "vpc-lattice:RegisterTargets"]


def test_role_policy_info_when_attached_documents_unknown():
    g = healthy()
    _ctx(g)["attachedPolicies"] = [{"PolicyName": "custom",
                                    "PolicyArn": "arn:aws:iam::111122223333:policy/custom"}]
    (f,) = fired(g, "ecs-role-policy")
    assert f.severity == "info" and "custom" in f.message


def test_too_many_tgs():
    g = healthy()
    cfgs = raw(g, ECS_SVC)["deployments"][0]["vpcLatticeConfigurations"]
    cfgs.extend(dict(cfgs[0]) for _ in range(5))
    (f,) = fired(g, "ecs-too-many-tgs", ECS_SVC)
    assert "6 Lattice configs" in f.message
    del cfgs[5]
    assert fired(g, "ecs-too-many-tgs") == []


def test_external_launch():
    g = healthy()
    raw(g, ECS_SVC)["launchType"] = "EXTERNAL"
    raw(g, ECS_SVC)["deployments"][0]["launchType"] = "EXTERNAL"
    (f,) = fired(g, "ecs-external-launch", ECS_SVC)
    raw(g, ECS_SVC)["deployments"][0]["vpcLatticeConfigurations"] = []
    assert f and fired(g, "ecs-external-launch") == []


def test_vpc_lattice_configurations_read_from_primary_deployment_only():
    g = healthy()
    dep = raw(g, ECS_SVC)["deployments"]
    dep[0]["status"] = "ACTIVE"  # old deployment had the config; the PRIMARY one has none
    dep.append({"id": "ecs-svc/2", "status": "PRIMARY", "taskDefinition": TD,
                "launchType": "EXTERNAL", "vpcLatticeConfigurations": []})
    assert fired(g, "ecs-external-launch") == []


def test_rollout_failed_shows_reason_and_events():
    g = healthy()
    raw(g, ECS_SVC)["deployments"][0].update(rolloutState="FAILED",
                                             rolloutStateReason="circuit breaker triggered")
    raw(g, ECS_SVC)["events"] = [{"message": f"event {i}"} for i in range(8)]
    (f,) = fired(g, "ecs-rollout-failed", ECS_SVC)
    assert "circuit breaker" in f.message and len(f.evidence["recent_events"]) == 5


def test_tasks_not_registered():
    g = healthy()
    raw(g, TARGET)["id"] = "10.0.9.9"
    (f,) = fired(g, "ecs-tasks-not-registered", ECS_SVC)
    assert f.severity == "error" and f.evidence["missing_task_ips"] == ["10.0.1.10"]
    raw(g, TASK)["lastStatus"] = "STOPPED"
    assert fired(g, "ecs-tasks-not-registered") == []


def test_tasks_not_registered_partial_is_warning():
    g = healthy()
    task2 = TASK.replace("task1", "task2")
    add(g, task2, K.ECS_TASK, {"taskArn": task2, "lastStatus": "RUNNING", "attachments": [
        {"type": "ElasticNetworkInterface",
         "details": [{"name": "privateIPv4Address", "value": "10.0.1.77"}]}]})
    link(g, ECS_SVC, task2, E.CONTAINS)
    (f,) = fired(g, "ecs-tasks-not-registered")
    assert f.severity == "warning" and f.evidence["missing_task_ips"] == ["10.0.1.77"]


# --- ecs-sg-no-lattice -------------------------------------------------------------------------
def test_sg_no_lattice_fires_without_prefix_list_ingress():
    g = healthy()
    raw(g, SG_TASK)["IpPermissions"] = [perm(8080, cidr="10.0.0.0/16")]
    (f,) = fired(g, "ecs-sg-no-lattice", ECS_SVC)
    assert f.evidence["blocked_ports"] == {
        "8080": ["target port for web", "health-check port of web"]}
    assert f"PrefixListId={PL}" in f.fix and "sg-task" in f.fix


def test_sg_no_lattice_checks_health_check_port_too():
    g = healthy()
    raw(g, TG)["config"]["healthCheck"]["port"] = 8081
    raw(g, TG)["config"]["healthCheck"]["enabled"] = True
    (f,) = fired(g, "ecs-sg-no-lattice")
    assert list(f.evidence["blocked_ports"]) == ["8081"]


@pytest.mark.parametrize("ingress", [
    [perm(proto="-1", pl=PL)],
    [perm(8000, to=8100, pl=PL)],
    [perm(8080, cidr="169.254.0.0/16")],
    [perm(proto="-1", cidr="0.0.0.0/0")],
])
def test_sg_no_lattice_quiet_when_admitted(ingress):
    g = healthy()
    raw(g, SG_TASK)["IpPermissions"] = ingress
    assert fired(g, "ecs-sg-no-lattice") == []


def test_sg_no_lattice_wrong_prefix_list_fires_and_unknown_list_is_info():
    g = healthy()
    raw(g, SG_TASK)["IpPermissions"] = [perm(8080, pl="pl-s3")]
    assert fired(g, "ecs-sg-no-lattice")[0].severity == "error"
    g.graph["prefix_lists"] = []
    (f,) = fired(g, "ecs-sg-no-lattice")
    assert f.severity == "info"


def test_sg_no_lattice_info_when_security_groups_not_loaded():
    g = healthy()
    g.graph["incomplete_kinds"] = {"security_group": [
        {"service": "ec2", "operation": "DescribeSecurityGroups", "resource": "",
         "code": "UnauthorizedOperation", "message": "", "kind": "security_group"}]}
    (f,) = fired(g, "ecs-sg-no-lattice")
    assert f.severity == "info" and "DescribeSecurityGroups" in f.message
    drop_edge(g, ECS_SVC, SUBNET, E.IN)  # unrelated edge removal changes nothing
    assert fired(g, "ecs-sg-no-lattice")[0].severity == "info"
