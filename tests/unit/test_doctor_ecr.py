"""Private subnets & ECR rules (seed 004): fire / stay quiet."""

from __future__ import annotations

import pytest
from doctor_builders import (
    ECS_SVC,
    EP_API,
    EP_DKR,
    EP_S3,
    RTB,
    SG_ENDPOINT,
    SG_TASK,
    SUBNET,
    TD,
    VPC,
    add,
    drop_edge,
    healthy,
    link,
    perm,
    raw,
)

from tui.doctor import run_doctor
from tui.model.kinds import EdgeKind as E
from tui.model.kinds import NodeKind as K


def fired(g, rule_id, node=None):
    return [f for f in run_doctor(g, rules=[rule_id]) if node is None or f.node == node]


ECR_RULES = ["ecr-no-endpoints", "ecr-endpoint-sg", "ecr-endpoint-no-private-dns",
             "ecr-task-egress"]


@pytest.mark.parametrize("rule_id", ECR_RULES)
def test_quiet_on_healthy_private_service(rule_id):
    assert fired(healthy(), rule_id) == []


@pytest.mark.parametrize("gone, missing", [
    (EP_DKR, "ecr.dkr"), (EP_API, "ecr.api"), (EP_S3, "s3 gateway on rtb-private")])
def test_no_endpoints_names_what_is_missing(gone, missing):
    g = healthy()
    g.remove_node(gone)
    (f,) = fired(g, "ecr-no-endpoints", ECS_SVC)
    assert f.evidence["missing"] == [missing]
    assert f.evidence["private_subnets"] == {"subnet-a1": ["rtb-private"]}
    assert "create-vpc-endpoint" in f.fix


def test_s3_gateway_on_another_route_table_does_not_count():
    g = healthy()
    raw(g, EP_S3)["RouteTableIds"] = ["rtb-other"]
    (f,) = fired(g, "ecr-no-endpoints")
    assert f.evidence["missing"] == ["s3 gateway on rtb-private"]


def test_deleted_endpoint_does_not_count():
    g = healthy()
    raw(g, EP_DKR)["State"] = "deleted"
    assert fired(g, "ecr-no-endpoints")[0].evidence["missing"] == ["ecr.dkr"]


@pytest.mark.parametrize("route, public_ip", [
    ({"DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": "nat-1"}, "DISABLED"),
    ({"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-1"}, "ENABLED"),
])
def test_no_endpoints_quiet_with_route_out(route, public_ip):
    g = healthy()
    for ep in (EP_API, EP_DKR, EP_S3):
        g.remove_node(ep)
    raw(g, RTB)["Routes"].append(route)
    raw(g, ECS_SVC)["deployments"][0]["networkConfiguration"]["awsvpcConfiguration"][
        "assignPublicIp"] = public_ip
    assert fired(g, "ecr-no-endpoints") == []


def test_igw_without_public_ip_is_still_private():
    g = healthy()
    g.remove_node(EP_DKR)
    raw(g, RTB)["Routes"].append({"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-1"})
    assert len(fired(g, "ecr-no-endpoints")) == 1


def test_subnet_without_explicit_table_uses_main_table():
    g = healthy()
    drop_edge(g, SUBNET, RTB, E.USES)
    raw(g, RTB)["Associations"] = []
    main = add(g, RTB.replace("rtb-private", "rtb-main"), K.ROUTE_TABLE, {
        "RouteTableId": "rtb-main", "VpcId": "vpc-a", "Associations": [{"Main": True}],
        "Routes": [{"DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": "nat-1"}]})
    link(g, VPC, main, E.CONTAINS)
    g.remove_node(EP_DKR)
    assert fired(g, "ecr-no-endpoints") == []  # the main table has a NAT route


def test_no_endpoints_quiet_for_non_ecr_images():
    g = healthy()
    g.remove_node(EP_DKR)
    raw(g, TD)["containerDefinitions"][0]["image"] = "public.example/nginx:1"
    assert fired(g, "ecr-no-endpoints") == []


def test_endpoint_sg_fires_on_endpoint_node():
    g = healthy()
    raw(g, SG_ENDPOINT)["IpPermissions"] = [perm(443, cidr="10.9.0.0/16")]
    found = fired(g, "ecr-endpoint-sg")
    assert {f.node for f in found} == {EP_API, EP_DKR}
    assert found[0].evidence["blocked_subnets"] == ["subnet-a1"]
    assert "ECS service web" in found[0].message


@pytest.mark.parametrize("ingress", [
    [perm(443, group="sg-task")],
    [perm(443, cidr="10.0.1.0/24")],
    [perm(proto="-1", cidr="0.0.0.0/0")],
])
def test_endpoint_sg_quiet_when_443_admitted(ingress):
    g = healthy()
    raw(g, SG_ENDPOINT)["IpPermissions"] = ingress
    assert fired(g, "ecr-endpoint-sg") == []


def test_endpoint_sg_wrong_port_fires():
    g = healthy()
    raw(g, SG_ENDPOINT)["IpPermissions"] = [perm(80, cidr="10.0.0.0/16")]
    assert len(fired(g, "ecr-endpoint-sg")) == 2


def test_endpoint_no_private_dns():
    g = healthy()
    raw(g, EP_DKR)["PrivateDnsEnabled"] = False
    (f,) = fired(g, "ecr-endpoint-no-private-dns")
    assert f.node == EP_DKR and "--private-dns-enabled" in f.fix
    raw(g, EP_S3)["PrivateDnsEnabled"] = False  # gateway endpoints have no private DNS
    assert len(fired(g, "ecr-endpoint-no-private-dns")) == 1


def test_task_egress():
    g = healthy()
    raw(g, SG_TASK)["IpPermissionsEgress"] = [perm(80, cidr="0.0.0.0/0")]
    (f,) = fired(g, "ecr-task-egress", ECS_SVC)
    assert "sg-task" in f.fix
    raw(g, SG_TASK)["IpPermissionsEgress"].append(perm(443, cidr="10.0.0.0/16"))
    assert fired(g, "ecr-task-egress") == []


def test_no_private_dns_quiet_on_deleted_endpoint():
    g = healthy()
    raw(g, EP_DKR).update(PrivateDnsEnabled=False, State="deleted")
    assert fired(g, "ecr-endpoint-no-private-dns") == []


def test_no_endpoints_fix_creates_only_what_is_missing():
    g = healthy()
    g.remove_node(EP_DKR)
    (f,) = fired(g, "ecr-no-endpoints")
    assert ".ecr.dkr" in f.fix and ".ecr.api" not in f.fix and ".s3" not in f.fix
    assert "--subnet-ids subnet-a1" in f.fix


def test_endpoint_sg_fix_opens_443_from_the_blocked_subnet():
    g = healthy()
    raw(g, SG_ENDPOINT)["IpPermissions"] = [perm(443, cidr="10.9.0.0/16")]
    fix = fired(g, "ecr-endpoint-sg")[0].fix
    assert "--port 443 --cidr 10.0.1.0/24" in fix and "<" not in fix
