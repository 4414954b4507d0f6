"""A small hand-made inventory for the wizard's pure tests (one account, one region)."""

from __future__ import annotations

from tui.model.inventory import Inventory

ACCOUNT = "123456789012"
REGION = "us-east-1"
ECS = f"arn:aws:ecs:{REGION}:{ACCOUNT}"
LATTICE = f"arn:aws:vpc-lattice:{REGION}:{ACCOUNT}"
CLUSTER = f"{ECS}:cluster/shop"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/ecs-lattice"
PL = "pl-0lattice"


def tg_arn(tid: str) -> str:
    return f"{LATTICE}:targetgroup/{tid}"


TG_GOOD = tg_arn("tg-0000000000000good")


def _service(
    name: str,
    *,
    td: str = "web:3",
    configs=None,
    subnets=("subnet-a",),
    sgs=("sg-web",),
    launch="FARGATE",
) -> dict:
    return {
        "serviceArn": f"{ECS}:service/shop/{name}",
        "serviceName": name,
        "clusterArn": CLUSTER,
        "status": "ACTIVE",
        "launchType": launch,
        "taskDefinition": f"{ECS}:task-definition/{td}",
        "networkConfiguration": {
            "awsvpcConfiguration": {"subnets": list(subnets), "securityGroups": list(sgs)}
        },
        "deployments": [
            {
                "id": f"ecs-svc/{name}1",
                "status": "PRIMARY",
                "vpcLatticeConfigurations": list(configs or []),
            }
        ],
    }


def _tg(tid: str, name: str, *, kind="IP", vpc="vpc-1", hc_port=None) -> dict:
    hc = {"enabled": True, "protocol": "HTTP", "path": "/"}
    if hc_port:
        hc["port"] = hc_port
    return {
        "arn": tg_arn(tid),
        "id": tid,
        "name": name,
        "type": kind,
        "status": "ACTIVE",
        "config": {"vpcIdentifier": vpc, "port": 8080, "protocol": "HTTP", "healthCheck": hc},
    }


def _role(name: str, principal: str, policies=()) -> tuple[dict, dict]:
    raw = {
        "Arn": f"arn:aws:iam::{ACCOUNT}:role/{name}",
        "RoleName": name,
        "AssumeRolePolicyDocument": {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": principal}, "Action": "sts:AssumeRole"}
            ],
        },
    }
    attached = [{"PolicyName": p, "PolicyArn": f"arn:aws:iam::aws:policy/{p}"} for p in policies]
    return raw, {"attachedPolicies": attached}


def cfg(tid: str, port: str = "web-8080") -> dict:
    return {"roleArn": ROLE, "targetGroupArn": tg_arn(tid), "portName": port}


def inventory() -> Inventory:
    inv = Inventory(account=ACCOUNT, region=REGION)
    inv.add("ecs_cluster", {"clusterArn": CLUSTER, "clusterName": "shop", "status": "ACTIVE"})
    inv.add("ecs_service", _service("web"))
    inv.add("ecs_service", _service("edge", launch="EXTERNAL"))
    inv.add("ecs_service", _service("plain", td="plain:1"))
    inv.add("ecs_service", _service("closed", sgs=("sg-closed",)))
    inv.add("ecs_service", _service("one", configs=[cfg("tg-0000000000000good")]))
    inv.add(
        "ecs_service", _service("full", configs=[cfg(f"tg-00000000000000{i}f") for i in range(5)])
    )
    inv.add(
        "ecs_service",
        _service("two", configs=[cfg("tg-0000000000000good"), cfg("tg-00000000000000hc")]),
    )
    inv.add(
        "task_definition",
        {
            "taskDefinitionArn": f"{ECS}:task-definition/web:3",
            "family": "web",
            "revision": 3,
            "networkMode": "awsvpc",
            "containerDefinitions": [
                {
                    "name": "web",
                    "portMappings": [
                        {
                            "name": "web-8080",
                            "containerPort": 8080,
                            "protocol": "tcp",
                            "appProtocol": "http",
                        },
                        {"name": "metrics", "containerPort": 9100, "protocol": "tcp"},
                    ],
                }
            ],
        },
    )
    inv.add(
        "task_definition",
        {
            "taskDefinitionArn": f"{ECS}:task-definition/plain:1",
            "family": "plain",
            "revision": 1,
            "networkMode": "awsvpc",
            "containerDefinitions": [
                {"name": "app", "portMappings": [{"containerPort": 80, "protocol": "tcp"}]}
            ],
        },
    )
    inv.add("subnet", {"SubnetId": "subnet-a", "VpcId": "vpc-1"})
    inv.add(
        "security_group",
        {
            "GroupId": "sg-web",
            "VpcId": "vpc-1",
            "IpPermissions": [
                {
                    "IpProtocol": "tcp",
                    "FromPort": 8080,
                    "ToPort": 8080,
                    "PrefixListIds": [{"PrefixListId": PL}],
                }
            ],
        },
    )
    inv.add(
        "security_group",
        {
            "GroupId": "sg-closed",
            "VpcId": "vpc-1",
            "IpPermissions": [
                {
                    "IpProtocol": "tcp",
                    "FromPort": 443,
                    "ToPort": 443,
                    "IpRanges": [{"CidrIp": "10.0.0.0/16"}],
                }
            ],
        },
    )
    inv.prefix_lists.append(
        {"PrefixListId": PL, "PrefixListName": f"com.amazonaws.{REGION}.vpc-lattice"}
    )
    inv.add("target_group", _tg("tg-0000000000000good", "web-tg"))
    inv.add("target_group", _tg("tg-0000000000000inst", "inst-tg", kind="INSTANCE"))
    inv.add("target_group", _tg("tg-000000000000other", "other-vpc-tg", vpc="vpc-2"))
    inv.add("target_group", _tg("tg-00000000000000hc", "hc-tg", hc_port=9000))
    inv.add("target_group", _tg("tg-0000000000000idle", "idle-tg"))
    inv.add(
        "listener",
        {
            "arn": f"{LATTICE}:service/svc-1/listener/listener-1",
            "name": "http",
            "defaultAction": {
                "forward": {
                    "targetGroups": [
                        {"targetGroupIdentifier": tg_arn("tg-0000000000000good"), "weight": 100},
                        {"targetGroupIdentifier": "tg-00000000000000hc", "weight": 0},
                    ]
                }
            },
        },
    )
    for raw, ctx in (
        _role(
            "ecs-lattice", "ecs.amazonaws.com", ["AmazonECSInfrastructureRolePolicyForVpcLattice"]
        ),
        _role("ecs-bare", "ecs.amazonaws.com"),
        # An AWS-managed policy trellis does not fetch: it might grant the Lattice actions.
        _role("ecs-admin", "ecs.amazonaws.com", ["AdministratorAccess"]),
        _role("lambda-role", "lambda.amazonaws.com"),
    ):
        inv.add("iam_role", raw, **ctx)
    return inv
