"""Hand-built graphs for doctor tests, in the exact vocabulary of tui.model.kinds.

``healthy()`` is one working path - client VPC -> service network -> service -> listener ->
target group -> ECS task in a private subnet with ECR endpoints - on which no rule may fire.
Tests break one thing at a time with ``raw(g, node)`` / ``add`` / ``drop_edge``.
"""

from __future__ import annotations

import copy
from typing import Any

import networkx as nx

from tui.model.kinds import EdgeKind as E
from tui.model.kinds import NodeKind as K
from tui.model.kinds import auth_policy_id, ec2_arn, target_id

ACCOUNT = "111122223333"
REGION = "us-east-1"
PL = "pl-lattice1"
_L = f"arn:aws:vpc-lattice:{REGION}:{ACCOUNT}"
_ECS = f"arn:aws:ecs:{REGION}:{ACCOUNT}"


def ec2(rtype: str, rid: str) -> str:
    return ec2_arn(REGION, ACCOUNT, rtype, rid)


VPC = ec2("vpc", "vpc-a")
SUBNET = ec2("subnet", "subnet-a1")
RTB = ec2("route-table", "rtb-private")
SG_TASK = ec2("security-group", "sg-task")
SG_CLIENT = ec2("security-group", "sg-client")
SG_ENDPOINT = ec2("security-group", "sg-endpoint")
EP_API = ec2("vpc-endpoint", "vpce-api")
EP_DKR = ec2("vpc-endpoint", "vpce-dkr")
EP_S3 = ec2("vpc-endpoint", "vpce-s3")
SN = f"{_L}:servicenetwork/sn-1"
SVC = f"{_L}:service/svc-1"
SNVA = f"{_L}:servicenetworkvpcassociation/snva-1"
SNSA = f"{_L}:servicenetworkserviceassociation/snsa-1"
LISTENER = f"{SVC}/listener/listener-1"
RULE = f"{LISTENER}/rule/rule-1"
TG = f"{_L}:targetgroup/tg-1"
TARGET = target_id(TG, "10.0.1.10", 8080)
CLUSTER = f"{_ECS}:cluster/c1"
ECS_SVC = f"{_ECS}:service/c1/web"
TASK = f"{_ECS}:task/c1/task1"
TD = f"{_ECS}:task-definition/web:1"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/ecsInfrastructureRole"
MANAGED = "arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForVpcLattice"
IMAGE = f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/web:1"


def new_graph() -> nx.MultiDiGraph:
    return nx.MultiDiGraph(
        account=ACCOUNT, region=REGION, accounts=[ACCOUNT], regions=[REGION],
        prefix_lists=[{"PrefixListId": PL, "PrefixListName": f"com.amazonaws.{REGION}.vpc-lattice"},
                      {"PrefixListId": "pl-s3", "PrefixListName": f"com.amazonaws.{REGION}.s3"}],
        errors=[], incomplete_kinds={},
    )


def add(g: nx.MultiDiGraph, nid: str, kind: str, raw: dict[str, Any] | None = None,
        name: str | None = None, **attrs: Any) -> str:
    status = (raw or {}).get("status") or (raw or {}).get("State") or (raw or {}).get("lastStatus")
    g.add_node(nid, kind=str(kind), name=name or nid.rsplit("/", 1)[-1], region=REGION,
               account=ACCOUNT, raw=raw or {}, **({"status": status} if status else {}), **attrs)
    return nid


def link(g: nx.MultiDiGraph, u: str, v: str, kind: str, **attrs: Any) -> None:
    g.add_edge(u, v, key=str(kind), kind=str(kind), **attrs)


def drop_edge(g: nx.MultiDiGraph, u: str, v: str, kind: str) -> None:
    g.remove_edge(u, v, key=str(kind))


def raw(g: nx.MultiDiGraph, nid: str) -> dict[str, Any]:
    return g.nodes[nid]["raw"]


def stub(g: nx.MultiDiGraph, nid: str, kind: str) -> str:
    g.add_node(nid, kind=str(kind), name=nid.rsplit("/", 1)[-1], region=REGION,
               account=nid.split(":")[4], raw={}, missing=True)
    return nid


def perm(port: int | None = None, proto: str = "tcp", to: int | None = None, *,
         cidr: str | None = None, pl: str | None = None, group: str | None = None) -> dict:
    p: dict[str, Any] = {"IpProtocol": proto, "IpRanges": [], "PrefixListIds": [],
                         "UserIdGroupPairs": []}
    if port is not None:
        p["FromPort"], p["ToPort"] = port, to if to is not None else port
    if cidr:
        p["IpRanges"].append({"CidrIp": cidr})
    if pl:
        p["PrefixListIds"].append({"PrefixListId": pl})
    if group:
        p["UserIdGroupPairs"].append({"GroupId": group})
    return p


ALL_EGRESS = [perm(proto="-1", cidr="0.0.0.0/0")]
TRUST = {"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"Service": "ecs.amazonaws.com"}, "Action": "sts:AssumeRole"}]}


def forward(*pairs: tuple[str, int]) -> dict:
    return {"forward": {"targetGroups": [{"targetGroupIdentifier": t, "weight": w}
                                         for t, w in pairs]}}


def _ec2_part(g: nx.MultiDiGraph) -> None:
    add(g, VPC, K.VPC, {"VpcId": "vpc-a", "CidrBlock": "10.0.0.0/16", "State": "available"})
    add(g, SUBNET, K.SUBNET, {"SubnetId": "subnet-a1", "VpcId": "vpc-a",
                              "CidrBlock": "10.0.1.0/24", "State": "available"})
    add(g, RTB, K.ROUTE_TABLE, {
        "RouteTableId": "rtb-private", "VpcId": "vpc-a",
        "Associations": [{"Main": False, "SubnetId": "subnet-a1", "RouteTableId": "rtb-private"}],
        "Routes": [{"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local",
                    "State": "active"}]})
    for nid, gid, ingress in (
        (SG_TASK, "sg-task", [perm(8080, pl=PL)]),
        (SG_CLIENT, "sg-client", [perm(80, cidr="10.0.0.0/16")]),
        (SG_ENDPOINT, "sg-endpoint", [perm(443, cidr="10.0.0.0/16")]),
    ):
        add(g, nid, K.SECURITY_GROUP, {"GroupId": gid, "GroupName": gid, "VpcId": "vpc-a",
                                       "IpPermissions": ingress,
                                       "IpPermissionsEgress": copy.deepcopy(ALL_EGRESS)})
    for nid, eid, svc in ((EP_API, "vpce-api", "ecr.api"), (EP_DKR, "vpce-dkr", "ecr.dkr")):
        add(g, nid, K.VPC_ENDPOINT, {
            "VpcEndpointId": eid, "VpcEndpointType": "Interface", "VpcId": "vpc-a",
            "ServiceName": f"com.amazonaws.{REGION}.{svc}", "State": "available",
            "SubnetIds": ["subnet-a1"], "Groups": [{"GroupId": "sg-endpoint"}],
            "PrivateDnsEnabled": True})
        link(g, nid, SUBNET, E.IN)
        link(g, SG_ENDPOINT, nid, E.GUARDS)
    add(g, EP_S3, K.VPC_ENDPOINT, {
        "VpcEndpointId": "vpce-s3", "VpcEndpointType": "Gateway", "VpcId": "vpc-a",
        "ServiceName": f"com.amazonaws.{REGION}.s3", "State": "available",
        "RouteTableIds": ["rtb-private"]})
    link(g, EP_S3, RTB, E.USES)
    for child in (SUBNET, RTB, SG_TASK, SG_CLIENT, SG_ENDPOINT, EP_API, EP_DKR, EP_S3):
        link(g, VPC, child, E.CONTAINS)
    link(g, SUBNET, RTB, E.USES)


def _lattice_part(g: nx.MultiDiGraph) -> None:
    add(g, SN, K.SERVICE_NETWORK, {"arn": SN, "id": "sn-1", "name": "net", "authType": "NONE"},
        name="net")
    add(g, SVC, K.SERVICE, {"arn": SVC, "id": "svc-1", "name": "orders", "authType": "NONE",
                            "status": "ACTIVE"}, name="orders")
    add(g, SNVA, K.SN_VPC_ASSOCIATION, {"arn": SNVA, "status": "ACTIVE", "vpcId": "vpc-a",
                                        "serviceNetworkArn": SN, "securityGroupIds": ["sg-client"]})
    link(g, VPC, SNVA, E.ASSOCIATED)
    link(g, SNVA, SN, E.ASSOCIATED)
    link(g, SNVA, SG_CLIENT, E.IN)
    add(g, SNSA, K.SN_SERVICE_ASSOCIATION, {"arn": SNSA, "status": "ACTIVE", "serviceArn": SVC,
                                            "serviceNetworkArn": SN})
    link(g, SN, SNSA, E.ASSOCIATED)
    link(g, SNSA, SVC, E.ASSOCIATED)
    add(g, LISTENER, K.LISTENER, {"arn": LISTENER, "name": "http", "port": 80, "protocol": "HTTP",
                                  "serviceArn": SVC, "defaultAction": forward((TG, 100))},
        name="http")
    link(g, SVC, LISTENER, E.CONTAINS)
    link(g, LISTENER, TG, E.FORWARDS_TO, via="default", weight=100)
    add(g, TG, K.TARGET_GROUP, {
        "arn": TG, "id": "tg-1", "name": "web", "type": "IP", "status": "ACTIVE",
        "serviceArns": [SVC],
        "config": {"port": 8080, "protocol": "HTTP", "vpcIdentifier": "vpc-a",
                   "healthCheck": {"enabled": True, "path": "/health", "port": 8080}}}, name="web")
    link(g, TG, VPC, E.IN)
    add(g, TARGET, K.TARGET, {"id": "10.0.1.10", "port": 8080, "status": "HEALTHY"})
    link(g, TG, TARGET, E.REGISTERED)


def _ecs_part(g: nx.MultiDiGraph) -> None:
    net = {"awsvpcConfiguration": {"subnets": ["subnet-a1"], "securityGroups": ["sg-task"],
                                   "assignPublicIp": "DISABLED"}}
    add(g, CLUSTER, K.ECS_CLUSTER, {"clusterArn": CLUSTER, "clusterName": "c1"})
    add(g, TD, K.TASK_DEFINITION, {
        "taskDefinitionArn": TD, "family": "web", "revision": 1, "networkMode": "awsvpc",
        "containerDefinitions": [{"name": "app", "image": IMAGE, "portMappings": [
            {"name": "web", "containerPort": 8080, "protocol": "tcp", "appProtocol": "http"}]}]})
    add(g, ECS_SVC, K.ECS_SERVICE, {
        "serviceArn": ECS_SVC, "serviceName": "web", "clusterArn": CLUSTER, "status": "ACTIVE",
        "launchType": "FARGATE", "taskDefinition": TD, "networkConfiguration": net,
        "desiredCount": 1, "runningCount": 1, "events": [],
        "deployments": [{"id": "ecs-svc/1", "status": "PRIMARY", "taskDefinition": TD,
                         "rolloutState": "COMPLETED", "networkConfiguration": net,
                         "vpcLatticeConfigurations": [
                             {"portName": "web", "roleArn": ROLE, "targetGroupArn": TG}]}]},
        name="web")
    add(g, ROLE, K.IAM_ROLE, {"RoleName": "ecsInfrastructureRole", "Arn": ROLE,
                              "AssumeRolePolicyDocument": copy.deepcopy(TRUST)},
        ctx={"attachedPolicies": [{"PolicyName": MANAGED.rsplit("/", 1)[-1],
                                   "PolicyArn": MANAGED}],
             "inlinePolicies": {}, "policyDocuments": {}})
    add(g, TASK, K.ECS_TASK, {
        "taskArn": TASK, "clusterArn": CLUSTER, "taskDefinitionArn": TD, "group": "service:web",
        "lastStatus": "RUNNING", "attachments": [{"type": "ElasticNetworkInterface", "details": [
            {"name": "subnetId", "value": "subnet-a1"},
            {"name": "privateIPv4Address", "value": "10.0.1.10"}]}]})
    link(g, CLUSTER, ECS_SVC, E.CONTAINS)
    link(g, ECS_SVC, TASK, E.CONTAINS)
    link(g, ECS_SVC, TD, E.USES)
    link(g, ECS_SVC, ROLE, E.USES)
    link(g, ECS_SVC, TG, E.ATTACHED, port_name="web", role_arn=ROLE)
    link(g, ECS_SVC, SUBNET, E.IN)
    link(g, SG_TASK, ECS_SVC, E.GUARDS)
    link(g, SG_TASK, TASK, E.GUARDS)
    link(g, TASK, SUBNET, E.IN)
    link(g, TASK, TD, E.USES)
    link(g, TARGET, TASK, E.BACKS)


def healthy() -> nx.MultiDiGraph:
    g = new_graph()
    _ec2_part(g)
    _lattice_part(g)
    _ecs_part(g)
    return g


def lattice_config(g: nx.MultiDiGraph) -> dict[str, Any]:
    return raw(g, ECS_SVC)["deployments"][0]["vpcLatticeConfigurations"][0]


def set_auth_policy(g: nx.MultiDiGraph, owner: str, policy: str | None, state: str = "Active"
                    ) -> str:
    nid = add(g, auth_policy_id(owner), K.AUTH_POLICY, {"policy": policy, "state": state})
    link(g, owner, nid, E.CONTAINS)
    return nid
