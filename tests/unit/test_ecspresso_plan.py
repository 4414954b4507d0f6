"""Planning an ecspresso service into a hand-built inventory, and verifying it with the doctor."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tui.doctor.findings import Finding
from tui.ecspresso.plan import place_in_graph, place_planned
from tui.ecspresso.project import Project
from tui.ecspresso.report import render_json, render_text
from tui.ecspresso.verify import verdicts, verify_plan
from tui.model.graph import build_graph
from tui.model.inventory import Inventory
from tui.model.kinds import EdgeKind, NodeKind, ec2_arn

ACCOUNT, REGION = "111122223333", "us-east-1"
LATTICE = f"arn:aws:vpc-lattice:{REGION}:{ACCOUNT}"
TG_GOOD = f"{LATTICE}:targetgroup/tg-0good"
TG_ALB = f"{LATTICE}:targetgroup/tg-0alb"
TG_OTHER_VPC = f"{LATTICE}:targetgroup/tg-0othervpc"
TG_NONE = f"{LATTICE}:targetgroup/tg-0doesnotexist"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/ecsInfrastructureRoleForVpcLattice"
CLUSTER = f"arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/c1"
LIVE_SERVICE = f"arn:aws:ecs:{REGION}:{ACCOUNT}:service/c1/web"
PL = "pl-0lattice"


def _sg(gid: str, vpc: str, perms: list[dict[str, Any]]) -> dict[str, Any]:
    return {"GroupId": gid, "GroupName": gid, "VpcId": vpc, "OwnerId": ACCOUNT,
            "IpPermissions": perms, "IpPermissionsEgress": [
                {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]}


def _tg(arn: str, kind: str, vpc: str | None, port: int = 8080, hc_port: int = 8080) -> dict:
    config: dict[str, Any] = {"port": port, "protocol": "HTTP", "healthCheck": {
        "enabled": True, "protocol": "HTTP", "port": hc_port, "path": "/healthz"}}
    if vpc:
        config["vpcIdentifier"] = vpc
    return {"arn": arn, "id": arn.rsplit("/", 1)[-1], "name": arn.rsplit("/", 1)[-1][4:],
            "type": kind, "config": config, "status": "ACTIVE",
            "serviceArns": [f"{LATTICE}:service/svc-web"]}


def inventory() -> Inventory:
    """vpc-a: subnet-a1 (private, ECR + S3 endpoints), sg-tasks (8080 from the Lattice prefix
    list), sg-closed (8080 from the VPC only); vpc-b: subnet-b1. A Lattice service forwards to
    tg-good / tg-alb / tg-othervpc. Cluster c1 runs 'web' (unattached) with one task."""
    inv = Inventory(account=ACCOUNT, region=REGION)
    inv.prefix_lists = [{"PrefixListId": PL,
                         "PrefixListName": f"com.amazonaws.{REGION}.vpc-lattice"}]
    for vpc, cidr in (("vpc-a", "10.0.0.0/16"), ("vpc-b", "10.1.0.0/16")):
        inv.add(NodeKind.VPC, {"VpcId": vpc, "CidrBlock": cidr, "OwnerId": ACCOUNT,
                               "State": "available"})
    for sub, vpc, cidr in (("subnet-a1", "vpc-a", "10.0.1.0/24"),
                           ("subnet-b1", "vpc-b", "10.1.1.0/24")):
        inv.add(NodeKind.SUBNET, {"SubnetId": sub, "VpcId": vpc, "CidrBlock": cidr,
                                  "OwnerId": ACCOUNT, "State": "available"})
        inv.add(NodeKind.ROUTE_TABLE, {
            "RouteTableId": f"rtb-{sub}", "VpcId": vpc, "OwnerId": ACCOUNT,
            "Associations": [{"SubnetId": sub, "Main": False}],
            "Routes": [{"DestinationCidrBlock": cidr, "GatewayId": "local"}]})
    for svc in ("ecr.api", "ecr.dkr"):
        inv.add(NodeKind.VPC_ENDPOINT, {
            "VpcEndpointId": f"vpce-{svc.replace('.', '')}", "VpcId": "vpc-a",
            "VpcEndpointType": "Interface", "ServiceName": f"com.amazonaws.{REGION}.{svc}",
            "SubnetIds": ["subnet-a1"], "PrivateDnsEnabled": True, "State": "available",
            "Groups": [{"GroupId": "sg-vpce"}], "OwnerId": ACCOUNT})
    inv.add(NodeKind.VPC_ENDPOINT, {
        "VpcEndpointId": "vpce-s3", "VpcId": "vpc-a", "VpcEndpointType": "Gateway",
        "ServiceName": f"com.amazonaws.{REGION}.s3", "RouteTableIds": ["rtb-subnet-a1"],
        "State": "available", "OwnerId": ACCOUNT})
    tcp = {"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080}
    inv.add(NodeKind.SECURITY_GROUP, _sg("sg-tasks", "vpc-a", [
        {**tcp, "PrefixListIds": [{"PrefixListId": PL}]}]))
    inv.add(NodeKind.SECURITY_GROUP, _sg("sg-closed", "vpc-a", [
        {**tcp, "IpRanges": [{"CidrIp": "10.0.0.0/16"}]}]))
    inv.add(NodeKind.SECURITY_GROUP, _sg("sg-vpce", "vpc-a", [
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
         "IpRanges": [{"CidrIp": "10.0.0.0/16"}]}]))
    for tg in (_tg(TG_GOOD, "IP", "vpc-a"), _tg(TG_ALB, "ALB", "vpc-a"),
               _tg(TG_OTHER_VPC, "IP", "vpc-b")):
        inv.add(NodeKind.TARGET_GROUP, tg)
    svc = f"{LATTICE}:service/svc-web"
    inv.add(NodeKind.SERVICE, {"arn": svc, "id": "svc-web", "name": "web", "status": "ACTIVE"})
    inv.add(NodeKind.LISTENER, {
        "arn": f"{svc}/listener/listener-web", "id": "listener-web", "name": "http",
        "serviceArn": svc, "protocol": "HTTP", "port": 80,
        "defaultAction": {"forward": {"targetGroups": [
            {"targetGroupIdentifier": t, "weight": 1} for t in (TG_GOOD, TG_ALB, TG_OTHER_VPC)]}}})
    inv.add(NodeKind.IAM_ROLE, {
        "Arn": ROLE, "RoleName": ROLE.rsplit("/", 1)[-1],
        "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"Service": "ecs.amazonaws.com"},
            "Action": "sts:AssumeRole"}]}},
        attachedPolicies=[{"PolicyName": "AmazonECSInfrastructureRolePolicyForVpcLattice",
                           "PolicyArn": "arn:aws:iam::aws:policy/"
                           "AmazonECSInfrastructureRolePolicyForVpcLattice"}])
    inv.add(NodeKind.ECS_CLUSTER, {"clusterArn": CLUSTER, "clusterName": "c1",
                                   "status": "ACTIVE"})
    td = f"arn:aws:ecs:{REGION}:{ACCOUNT}:task-definition/web:1"
    inv.add(NodeKind.TASK_DEFINITION, {"taskDefinitionArn": td, "family": "web", "revision": 1,
                                       "containerDefinitions": [{"name": "app", "portMappings": [
                                           {"name": "http", "containerPort": 8080}]}]})
    net = {"awsvpcConfiguration": {"subnets": ["subnet-a1"], "securityGroups": ["sg-tasks"]}}
    inv.add(NodeKind.ECS_SERVICE, {
        "serviceArn": LIVE_SERVICE, "serviceName": "web", "clusterArn": CLUSTER,
        "status": "ACTIVE", "taskDefinition": td, "launchType": "FARGATE",
        "networkConfiguration": net, "desiredCount": 1, "runningCount": 1,
        "deployments": [{"id": "ecs-svc/1", "status": "PRIMARY", "taskDefinition": td,
                         "rolloutState": "COMPLETED", "networkConfiguration": net}]})
    inv.add(NodeKind.ECS_TASK, {
        "taskArn": f"arn:aws:ecs:{REGION}:{ACCOUNT}:task/c1/abc", "clusterArn": CLUSTER,
        "group": "service:web", "lastStatus": "RUNNING", "taskDefinitionArn": td,
        "startedBy": "ecs-svc/1"})
    return inv


def project(name: str = "web", tg: str = TG_GOOD, sg: str = "sg-tasks",
            subnet: str = "subnet-a1", cluster: str = "c1", port: int = 8080,
            port_name: str = "http", configs: list[dict[str, str]] | None = None) -> Project:
    if configs is None:
        configs = [{"portName": port_name, "roleArn": ROLE, "targetGroupArn": tg}]
    service_def = {"launchType": "FARGATE", "desiredCount": 2, "networkConfiguration": {
        "awsvpcConfiguration": {"subnets": [subnet], "securityGroups": [sg]}},
        "vpcLatticeConfigurations": configs}
    task_def = {"family": name, "networkMode": "awsvpc", "containerDefinitions": [
        {"name": "app", "image": f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/{name}:1",
         "portMappings": [{"name": "http", "containerPort": port}]}]}
    return Project(Path("ecspresso.yml"), REGION, cluster, name, service_def, task_def)


def _edges(g, node: str, kind: str) -> list[tuple[str, dict]]:
    return [(v, d) for _, v, d in g.out_edges(node, data=True) if d["kind"] == kind]


def test_new_service_is_placed_with_every_edge() -> None:
    plan = place_planned(inventory(), project(name="api"))
    g, sid = plan.graph, plan.service_id
    assert sid == f"arn:aws:ecs:{REGION}:{ACCOUNT}:service/c1/api"
    assert not plan.replaced_live
    assert g.nodes[sid]["planned"] is True and g.nodes[sid]["kind"] == NodeKind.ECS_SERVICE
    assert g.nodes[plan.task_definition_id]["planned"] is True
    [(tg, data)] = _edges(g, sid, EdgeKind.ATTACHED)
    assert (tg, data["port_name"], data["role_arn"]) == (TG_GOOD, "http", ROLE)
    uses = {v for v, _ in _edges(g, sid, EdgeKind.USES)}
    assert uses == {plan.task_definition_id, ROLE}
    assert [v for v, _ in _edges(g, sid, EdgeKind.IN)] == [
        ec2_arn(REGION, ACCOUNT, "subnet", "subnet-a1")]
    sg = ec2_arn(REGION, ACCOUNT, "security-group", "sg-tasks")
    assert any(d["kind"] == EdgeKind.GUARDS for _, v, d in g.out_edges(sg, data=True) if v == sid)
    assert any(v == sid for v, _ in _edges(g, CLUSTER, EdgeKind.CONTAINS))
    assert LIVE_SERVICE in g and not g.nodes[LIVE_SERVICE].get("planned")  # untouched


def test_live_service_is_replaced_and_its_old_tasks_left_out() -> None:
    graph = build_graph(inventory())
    plan = place_in_graph(graph, project(name="web"))
    g = plan.graph
    assert plan.replaced_live and plan.service_id == LIVE_SERVICE
    raw = g.nodes[LIVE_SERVICE]["raw"]
    [primary] = raw["deployments"]
    assert primary["status"] == "PRIMARY"
    assert primary["vpcLatticeConfigurations"][0]["targetGroupArn"] == TG_GOOD
    assert g.nodes[LIVE_SERVICE]["planned"] is True
    assert not [v for v, _ in _edges(g, LIVE_SERVICE, EdgeKind.CONTAINS)]
    # The input graph is not modified.
    assert not graph.nodes[LIVE_SERVICE].get("planned")
    assert not _edges(graph, LIVE_SERVICE, EdgeKind.ATTACHED)


def test_clean_plan_verifies_without_errors() -> None:
    report = verify_plan(place_planned(inventory(), project(name="api")))
    assert not report.has_errors, [f.to_dict() for f in report.findings]
    [verdict] = report.verdicts
    assert verdict.line == "http → good (tg-0good): OK"


@pytest.mark.parametrize("kwargs, rule", [
    ({"tg": TG_ALB}, "ecs-tg-not-ip"),
    ({"tg": TG_OTHER_VPC}, "ecs-tg-vpc-mismatch"),
    ({"sg": "sg-closed"}, "ecs-sg-no-lattice"),
    ({"tg": TG_NONE}, "ecs-tg-missing"),
    ({"port": 9090}, "hc-port-mismatch"),
    ({"port_name": "grpc"}, "ecs-portname-missing"),
])
def test_each_misconfiguration_fails_its_config(kwargs: dict, rule: str) -> None:
    report = verify_plan(place_planned(inventory(), project(name="api", **kwargs)))
    assert report.has_errors
    [verdict] = report.verdicts
    assert verdict.status == "FAIL" and rule in verdict.rules, verdict.line
    assert verdict.line.startswith(f"{kwargs.get('port_name', 'http')} → ")
    assert verdict.line.endswith(f": FAIL: {', '.join(verdict.rules)}")


def test_missing_cluster_subnet_and_sg_are_reported() -> None:
    plan = place_planned(inventory(), project(cluster="nope", subnet="subnet-gone",
                                              sg="sg-gone"))
    rules = {f.rule for f in verify_plan(plan).findings if f.severity == "error"}
    assert {"ecspresso-cluster-missing", "ecspresso-subnet-missing",
            "ecspresso-security-group-missing"} <= rules


def test_verdicts_attribute_findings_to_the_right_config() -> None:
    configs = [{"portName": "http", "roleArn": ROLE, "targetGroupArn": TG_GOOD},
               {"portName": "http", "roleArn": ROLE, "targetGroupArn": TG_ALB}]
    plan = place_planned(inventory(), project(name="api", configs=configs))
    sid = plan.service_id
    findings = [
        Finding("ecs-tg-not-ip", "error", sid, "target group alb has type ALB",
                {"targetGroup": TG_ALB}),
        Finding("ecr-no-endpoints", "warning", sid, "no ECR route", {"subnets": ["subnet-a1"]}),
        Finding("hc-port-mismatch", "error", TG_GOOD, "health checks go to 81"),
    ]
    good, alb = verdicts(plan, findings)
    assert good.status == "FAIL" and good.rules == ("hc-port-mismatch",)
    assert alb.status == "FAIL" and alb.rules == ("ecs-tg-not-ip",)
    only_warning = verdicts(plan, findings[1:2])
    assert [v.line for v in only_warning] == ["http → good (tg-0good): WARN: ecr-no-endpoints",
                                              "http → alb (tg-0alb): WARN: ecr-no-endpoints"]


def test_runtime_only_findings_on_planned_groups_are_dropped() -> None:
    plan = place_planned(inventory(), project(name="api"))

    def doctor(graph, sid):
        return [Finding("tg-empty", "error", TG_GOOD, "no targets"),
                Finding("tg-empty", "error", TG_ALB, "no targets (not ours)")]

    report = verify_plan(plan, doctor=doctor)
    assert [f.node for f in report.findings] == [TG_ALB]


def test_reports_render_as_text_and_json() -> None:
    report = verify_plan(place_planned(inventory(), project(name="api", sg="sg-closed")))
    text = render_text(report)
    assert "ERRORS" in text and "[ecs-sg-no-lattice]" in text and "fix: " in text
    assert "http → good (tg-0good): FAIL: ecs-sg-no-lattice" in text
    assert text.rstrip().endswith("error finding(s))")
    data = json.loads(render_json(report))
    assert data["ok"] is False and data["planned"] is True
    assert data["verdicts"][0]["verdict"] == "FAIL"
    assert {"rule", "severity", "node", "message", "fix"} <= set(data["findings"][0])
