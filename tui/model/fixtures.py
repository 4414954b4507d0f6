"""A small hand-built Inventory for unit tests: every node kind and edge kind, plus the
things that go wrong (inactive association, weight 0, unhealthy/unbacked targets, a stopped
task, an empty and an unused target group, a cross-account reference, a failed call).

Topology (account 111122223333, us-east-1):
  vpc-a --snva-main(ACTIVE, sg-lattice)--> sn-main --snsa-orders(ACTIVE)--> svc-orders
                                                  --snsa-billing(CREATE_IN_PROGRESS)--> svc-billing
  sn-lonely (no VPC), svc-orphan (no network), vpc-b (no network)
  svc-orders / l-orders(HTTP:80): default -> tg-orders(90) + tg-canary(10)
      rule-api  (/api)   -> tg-api(100)
      rule-zero (/old)   -> tg-orders(0)
      rule-shared (/x)   -> tg in account 444455556666 (stub)
      rule-default (isDefault) -> tg-orders(100)
  svc-billing / l-billing: default -> tg-billing (no targets)
  tg-orders: 10.0.1.10 HEALTHY -> task-1 RUNNING; 10.0.1.11 UNHEALTHY -> task-2 RUNNING
  tg-api:    10.0.1.12 HEALTHY -> task-3 STOPPED; 10.0.1.99 HEALTHY -> (no task)
  tg-canary: 10.0.2.20 HEALTHY -> task-5 RUNNING
  tg-unused: nothing forwards to it; tg-lambda: a LAMBDA group
  cluster c1: orders (attached tg-orders via role ecs-lattice, loaded) with task-1, task-2;
              api (attached tg-api via role api-lattice, GetRole denied -> stub);
              canary (attached tg-canary) with task-5; task-4 runs without a service.
"""

from __future__ import annotations

import json

from tui.model.inventory import Inventory, LoadError
from tui.model.kinds import NodeKind as K
from tui.model.kinds import auth_policy_id, ec2_arn, target_id

ACCOUNT = "111122223333"
OTHER_ACCOUNT = "444455556666"
REGION = "us-east-1"
_L = f"arn:aws:vpc-lattice:{REGION}:{ACCOUNT}"
_ECS = f"arn:aws:ecs:{REGION}:{ACCOUNT}"


def ec2(rtype: str, rid: str) -> str:
    return ec2_arn(REGION, ACCOUNT, rtype, rid)


SN_MAIN = f"{_L}:servicenetwork/sn-main"
SN_LONELY = f"{_L}:servicenetwork/sn-lonely"
SVC_ORDERS = f"{_L}:service/svc-orders"
SVC_BILLING = f"{_L}:service/svc-billing"
SVC_ORPHAN = f"{_L}:service/svc-orphan"
SNVA_MAIN = f"{_L}:servicenetworkvpcassociation/snva-main"
SNSA_ORDERS = f"{_L}:servicenetworkserviceassociation/snsa-orders"
SNSA_BILLING = f"{_L}:servicenetworkserviceassociation/snsa-billing"
L_ORDERS = f"{SVC_ORDERS}/listener/listener-orders"
L_BILLING = f"{SVC_BILLING}/listener/listener-billing"
RULE_API = f"{L_ORDERS}/rule/rule-api"
RULE_ZERO = f"{L_ORDERS}/rule/rule-zero"
RULE_SHARED = f"{L_ORDERS}/rule/rule-shared"
RULE_DEFAULT = f"{L_ORDERS}/rule/rule-default"
TG_ORDERS = f"{_L}:targetgroup/tg-orders"
TG_CANARY = f"{_L}:targetgroup/tg-canary"
TG_API = f"{_L}:targetgroup/tg-api"
TG_BILLING = f"{_L}:targetgroup/tg-billing"
TG_UNUSED = f"{_L}:targetgroup/tg-unused"
TG_LAMBDA = f"{_L}:targetgroup/tg-lambda"
TG_SHARED = f"arn:aws:vpc-lattice:{REGION}:{OTHER_ACCOUNT}:targetgroup/tg-shared"
T_ORDERS_1 = target_id(TG_ORDERS, "10.0.1.10", 8080)
T_ORDERS_2 = target_id(TG_ORDERS, "10.0.1.11", 8080)
T_API_1 = target_id(TG_API, "10.0.1.12", 8080)
T_API_2 = target_id(TG_API, "10.0.1.99", 8080)
T_CANARY = target_id(TG_CANARY, "10.0.2.20", 8080)
T_LAMBDA = target_id(TG_LAMBDA, f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:hook", None)
AUTH_ORDERS = auth_policy_id(SVC_ORDERS)
ALS_MAIN = f"{_L}:accesslogsubscription/als-main"
RGW = f"{_L}:resourcegateway/rgw-1"
RCFG = f"{_L}:resourceconfiguration/rcfg-1"
CLUSTER = f"{_ECS}:cluster/c1"
ECS_ORDERS = f"{_ECS}:service/c1/orders"
ECS_API = f"{_ECS}:service/c1/api"
ECS_CANARY = f"{_ECS}:service/c1/canary"
TASK = {n: f"{_ECS}:task/c1/task{n}" for n in range(1, 6)}
TD_ORDERS = f"{_ECS}:task-definition/orders:3"
TD_API = f"{_ECS}:task-definition/api:1"
ROLE_LATTICE = f"arn:aws:iam::{ACCOUNT}:role/ecs-lattice"
ROLE_API = f"arn:aws:iam::{ACCOUNT}:role/api-lattice"
VPC_A, VPC_B = ec2("vpc", "vpc-a"), ec2("vpc", "vpc-b")
SUBNET_A1, SUBNET_A2, SUBNET_B1 = (
    ec2("subnet", s) for s in ("subnet-a1", "subnet-a2", "subnet-b1")
)
SG_WEB, SG_LATTICE, SG_ENDPOINT = (
    ec2("security-group", s) for s in ("sg-web", "sg-lattice", "sg-endpoint")
)
RTB_MAIN, RTB_PRIVATE = ec2("route-table", "rtb-main"), ec2("route-table", "rtb-private")
VPCE_S3, VPCE_ECR = ec2("vpc-endpoint", "vpce-s3"), ec2("vpc-endpoint", "vpce-ecr")


def _forward(*pairs: tuple[str, int]) -> dict:
    return {
        "forward": {"targetGroups": [{"targetGroupIdentifier": t, "weight": w} for t, w in pairs]}
    }


def _tg(tid: str, name: str, vpc: str = "vpc-a", kind: str = "IP", svcs=()) -> dict:
    config = {
        "port": 8080,
        "protocol": "HTTP",
        "vpcIdentifier": vpc,
        "ipAddressType": "IPV4",
        "healthCheck": {"enabled": True, "path": "/health", "port": 8080},
    }
    if kind == "LAMBDA":
        config = {"lambdaEventStructureVersion": "V2"}
    return {
        "arn": f"{_L}:targetgroup/{tid}",
        "id": tid,
        "name": name,
        "type": kind,
        "status": "ACTIVE",
        "config": config,
        "serviceArns": list(svcs),
    }


def _task(
    n: int,
    ip: str,
    subnet: str,
    status: str = "RUNNING",
    group: str = "service:orders",
    td: str = TD_ORDERS,
) -> dict:
    details = [
        {"name": "subnetId", "value": subnet},
        {"name": "privateIPv4Address", "value": ip},
        {"name": "networkInterfaceId", "value": f"eni-{n}"},
    ]
    return {
        "taskArn": TASK[n],
        "clusterArn": CLUSTER,
        "taskDefinitionArn": td,
        "group": group,
        "startedBy": "ecs-svc/1" if group.startswith("service:") else "me",
        "lastStatus": status,
        "desiredStatus": "RUNNING",
        "launchType": "FARGATE",
        "attachments": [
            {
                "id": f"att-{n}",
                "type": "ElasticNetworkInterface",
                "status": "ATTACHED",
                "details": details,
            }
        ],
        "containers": [{"name": "app", "networkInterfaces": [{"privateIpv4Address": ip}]}],
    }


def _ecs_service(name: str, td: str, tg: str, role: str, sgs=("sg-web",)) -> dict:
    net = {
        "awsvpcConfiguration": {
            "subnets": ["subnet-a1"],
            "securityGroups": list(sgs),
            "assignPublicIp": "DISABLED",
        }
    }
    lattice = [{"roleArn": role, "targetGroupArn": tg, "portName": "web"}]
    return {
        "serviceArn": f"{_ECS}:service/c1/{name}",
        "serviceName": name,
        "clusterArn": CLUSTER,
        "status": "ACTIVE",
        "desiredCount": 2,
        "runningCount": 2,
        "launchType": "FARGATE",
        "taskDefinition": td,
        "networkConfiguration": net,
        "deployments": [
            {
                "id": "ecs-svc/1",
                "status": "PRIMARY",
                "taskDefinition": td,
                "rolloutState": "COMPLETED",
                "networkConfiguration": net,
                "vpcLatticeConfigurations": lattice,
            },
            {
                "id": "ecs-svc/0",
                "status": "ACTIVE",
                "taskDefinition": td,
                "rolloutState": "COMPLETED",
            },
        ],
    }


def _ec2(inv: Inventory) -> None:
    tags = lambda n: [{"Key": "Name", "Value": n}]  # noqa: E731
    inv.add(
        K.VPC,
        {
            "VpcId": "vpc-a",
            "CidrBlock": "10.0.0.0/16",
            "OwnerId": ACCOUNT,
            "State": "available",
            "Tags": tags("main-vpc"),
        },
    )
    inv.add(
        K.VPC,
        {"VpcId": "vpc-b", "CidrBlock": "10.1.0.0/16", "OwnerId": ACCOUNT, "State": "available"},
    )
    for sid, vpc, cidr in (
        ("subnet-a1", "vpc-a", "10.0.1.0/24"),
        ("subnet-a2", "vpc-a", "10.0.2.0/24"),
        ("subnet-b1", "vpc-b", "10.1.1.0/24"),
    ):
        inv.add(
            K.SUBNET,
            {
                "SubnetId": sid,
                "VpcId": vpc,
                "CidrBlock": cidr,
                "OwnerId": ACCOUNT,
                "State": "available",
                "AvailabilityZone": f"{REGION}a",
            },
        )
    for gid, name in (
        ("sg-web", "web"),
        ("sg-lattice", "lattice-clients"),
        ("sg-endpoint", "endpoints"),
    ):
        inv.add(
            K.SECURITY_GROUP,
            {
                "GroupId": gid,
                "GroupName": name,
                "VpcId": "vpc-a",
                "OwnerId": ACCOUNT,
                "IpPermissions": [],
            },
        )
    inv.add(
        K.ROUTE_TABLE,
        {
            "RouteTableId": "rtb-main",
            "VpcId": "vpc-a",
            "OwnerId": ACCOUNT,
            "Associations": [{"Main": True, "RouteTableId": "rtb-main"}],
            "Routes": [],
        },
    )
    inv.add(
        K.ROUTE_TABLE,
        {
            "RouteTableId": "rtb-private",
            "VpcId": "vpc-a",
            "OwnerId": ACCOUNT,
            "Associations": [
                {"Main": False, "SubnetId": "subnet-a1", "RouteTableId": "rtb-private"}
            ],
            "Routes": [],
        },
    )
    inv.add(
        K.VPC_ENDPOINT,
        {
            "VpcEndpointId": "vpce-s3",
            "VpcEndpointType": "Gateway",
            "VpcId": "vpc-a",
            "ServiceName": f"com.amazonaws.{REGION}.s3",
            "State": "available",
            "RouteTableIds": ["rtb-private"],
            "OwnerId": ACCOUNT,
        },
    )
    inv.add(
        K.VPC_ENDPOINT,
        {
            "VpcEndpointId": "vpce-ecr",
            "VpcEndpointType": "Interface",
            "VpcId": "vpc-a",
            "ServiceName": f"com.amazonaws.{REGION}.ecr.dkr",
            "State": "available",
            "SubnetIds": ["subnet-a1"],
            "Groups": [{"GroupId": "sg-endpoint", "GroupName": "endpoints"}],
            "PrivateDnsEnabled": True,
            "OwnerId": ACCOUNT,
            "DnsEntries": [{"DnsName": "vpce-ecr.dkr.example.aws"}],
        },
    )


def _ecs(inv: Inventory) -> None:
    inv.add(K.ECS_CLUSTER, {"clusterArn": CLUSTER, "clusterName": "c1", "status": "ACTIVE"})
    for td, family, rev in ((TD_ORDERS, "orders", 3), (TD_API, "api", 1)):
        inv.add(
            K.TASK_DEFINITION,
            {
                "taskDefinitionArn": td,
                "family": family,
                "revision": rev,
                "status": "ACTIVE",
                "networkMode": "awsvpc",
                "requiresCompatibilities": ["FARGATE"],
                "executionRoleArn": f"arn:aws:iam::{ACCOUNT}:role/ecsTaskExecutionRole",
                "containerDefinitions": [
                    {
                        "name": "app",
                        "image": f"{family}:latest",
                        "portMappings": [{"name": "web", "containerPort": 8080, "protocol": "tcp"}],
                    }
                ],
            },
        )
    inv.add(K.ECS_SERVICE, _ecs_service("orders", TD_ORDERS, TG_ORDERS, ROLE_LATTICE))
    inv.add(K.ECS_SERVICE, _ecs_service("api", TD_API, TG_API, ROLE_API))
    inv.add(K.ECS_SERVICE, _ecs_service("canary", TD_ORDERS, TG_CANARY, ROLE_LATTICE))
    inv.add(K.ECS_TASK, _task(1, "10.0.1.10", "subnet-a1"))
    inv.add(K.ECS_TASK, _task(2, "10.0.1.11", "subnet-a1"))
    inv.add(K.ECS_TASK, _task(3, "10.0.1.12", "subnet-a1", "STOPPED", "service:api", TD_API))
    inv.add(K.ECS_TASK, _task(4, "10.0.1.40", "subnet-a1", group="family:orders"))
    inv.add(K.ECS_TASK, _task(5, "10.0.2.20", "subnet-a2", group="service:canary"))
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "sts:AssumeRole",
                "Principal": {"Service": "ecs.amazonaws.com"},
            }
        ],
    }
    policy = "arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForVpcLattice"
    inv.add(
        K.IAM_ROLE,
        {
            "RoleName": "ecs-lattice",
            "Arn": ROLE_LATTICE,
            "RoleId": "AROA1",
            "Path": "/",
            "AssumeRolePolicyDocument": trust,
        },
        attachedPolicies=[{"PolicyName": policy.rsplit("/", 1)[1], "PolicyArn": policy}],
        inlinePolicies={},
        policyDocuments={},
    )


def _lattice(inv: Inventory) -> None:
    for sid, name in (("sn-main", "main"), ("sn-lonely", "lonely")):
        inv.add(
            K.SERVICE_NETWORK,
            {"arn": f"{_L}:servicenetwork/{sid}", "id": sid, "name": name, "authType": "NONE"},
        )
    for sid, name, auth in (
        ("svc-orders", "orders", "AWS_IAM"),
        ("svc-billing", "billing", "NONE"),
        ("svc-orphan", "orphan", "NONE"),
    ):
        dns = {
            "domainName": f"{name}-0a1b.7d67968.vpc-lattice-svcs.{REGION}.on.aws",
            "hostedZoneId": "Z1",
        }
        inv.add(
            K.SERVICE,
            {
                "arn": f"{_L}:service/{sid}",
                "id": sid,
                "name": name,
                "authType": auth,
                "status": "ACTIVE",
                "dnsEntry": dns,
            },
        )
    inv.add(
        K.LISTENER,
        {
            "arn": L_ORDERS,
            "id": "listener-orders",
            "name": "http",
            "protocol": "HTTP",
            "port": 80,
            "serviceArn": SVC_ORDERS,
            "serviceId": "svc-orders",
            "defaultAction": _forward(("tg-orders", 90), (TG_CANARY, 10)),
        },
    )
    inv.add(
        K.LISTENER,
        {
            "arn": L_BILLING,
            "id": "listener-billing",
            "name": "http",
            "protocol": "HTTP",
            "port": 80,
            "serviceArn": SVC_BILLING,
            "defaultAction": _forward((TG_BILLING, 100)),
        },
    )
    ctx = {"listenerArn": L_ORDERS, "serviceArn": SVC_ORDERS}
    for rid, prio, path, action in (
        ("rule-api", 10, "/api", _forward((TG_API, 100))),
        ("rule-zero", 20, "/old", _forward((TG_ORDERS, 0))),
        ("rule-shared", 30, "/x", _forward((TG_SHARED, 100))),
    ):
        match = {"httpMatch": {"pathMatch": {"match": {"prefix": path}, "caseSensitive": False}}}
        inv.add(
            K.RULE,
            {
                "arn": f"{L_ORDERS}/rule/{rid}",
                "id": rid,
                "name": rid,
                "priority": prio,
                "isDefault": False,
                "match": match,
                "action": action,
            },
            **ctx,
        )
    inv.add(
        K.RULE,
        {
            "arn": RULE_DEFAULT,
            "id": "rule-default",
            "name": "default",
            "isDefault": True,
            "action": _forward((TG_ORDERS, 100)),
        },
        **ctx,
    )
    for raw in (
        _tg("tg-orders", "orders", svcs=[SVC_ORDERS]),
        _tg("tg-canary", "canary"),
        _tg("tg-api", "api"),
        _tg("tg-billing", "billing"),
        _tg("tg-unused", "unused"),
        _tg("tg-lambda", "lambda", kind="LAMBDA"),
    ):
        inv.add(K.TARGET_GROUP, raw)
    for tg, ip, status, reason in (
        (TG_ORDERS, "10.0.1.10", "HEALTHY", None),
        (TG_ORDERS, "10.0.1.11", "UNHEALTHY", "HealthCheckFailed"),
        (TG_API, "10.0.1.12", "HEALTHY", None),
        (TG_API, "10.0.1.99", "HEALTHY", None),
        (TG_CANARY, "10.0.2.20", "HEALTHY", None),
    ):
        raw = {"id": ip, "port": 8080, "status": status}
        if reason:
            raw["reasonCode"] = reason
        inv.add(K.TARGET, raw, targetGroupArn=tg)
    inv.add(
        K.TARGET,
        {"id": T_LAMBDA.split("/target/")[1][:-1], "status": "HEALTHY"},
        targetGroupArn=TG_LAMBDA,
    )
    inv.add(
        K.SN_VPC_ASSOCIATION,
        {
            "arn": SNVA_MAIN,
            "id": "snva-main",
            "status": "ACTIVE",
            "serviceNetworkArn": SN_MAIN,
            "vpcId": "vpc-a",
            "securityGroupIds": ["sg-lattice"],
        },
        serviceNetworkArn=SN_MAIN,
        vpcId="vpc-a",
    )
    for arn, svc, status in (
        (SNSA_ORDERS, SVC_ORDERS, "ACTIVE"),
        (SNSA_BILLING, SVC_BILLING, "CREATE_IN_PROGRESS"),
    ):
        inv.add(
            K.SN_SERVICE_ASSOCIATION,
            {
                "arn": arn,
                "id": arn.rsplit("/", 1)[1],
                "status": status,
                "serviceArn": svc,
                "serviceNetworkArn": SN_MAIN,
                "serviceNetworkName": "main",
            },
            serviceNetworkArn=SN_MAIN,
            serviceArn=svc,
        )
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                "Action": "vpc-lattice-svcs:Invoke",
                "Resource": "*",
            }
        ],
    }
    inv.add(
        K.AUTH_POLICY, {"policy": json.dumps(policy), "state": "Active"}, resourceArn=SVC_ORDERS
    )
    inv.add(
        K.ACCESS_LOG_SUBSCRIPTION,
        {
            "arn": ALS_MAIN,
            "id": "als-main",
            "resourceArn": SN_MAIN,
            "resourceId": "sn-main",
            "destinationArn": f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:lattice",
        },
    )
    inv.add(
        K.RESOURCE_GATEWAY,
        {
            "arn": RGW,
            "id": "rgw-1",
            "name": "gw",
            "status": "ACTIVE",
            "vpcIdentifier": "vpc-a",
            "subnetIds": ["subnet-a2"],
            "securityGroupIds": ["sg-web"],
        },
    )
    inv.add(
        K.RESOURCE_CONFIGURATION,
        {
            "arn": RCFG,
            "id": "rcfg-1",
            "name": "db",
            "type": "SINGLE",
            "status": "ACTIVE",
            "resourceGatewayId": "rgw-1",
        },
    )


def sample_inventory() -> Inventory:
    """A fresh copy each call (tests may mutate it)."""
    inv = Inventory(account=ACCOUNT, region=REGION)
    _ec2(inv)
    _ecs(inv)
    _lattice(inv)
    inv.prefix_lists.append(
        {
            "PrefixListId": "pl-0123",
            "AddressFamily": "IPv4",
            "PrefixListName": f"com.amazonaws.{REGION}.vpc-lattice",
        }
    )
    inv.errors.append(
        LoadError(
            "iam",
            "GetRole",
            ROLE_API,
            "AccessDenied",
            "User is not authorized to perform iam:GetRole",
            K.IAM_ROLE,
        )
    )
    return inv


def scale_inventory(services: int = 800, targets: int = 10, networks: int = 20) -> Inventory:
    """A synthetic account for speed tests: per service one association, one listener,
    three rules, one target group with ``targets`` targets, and an ECS service whose tasks
    back them. ~28 nodes per service (800 -> ~22k nodes)."""
    inv = Inventory(account=ACCOUNT, region=REGION)
    _ec2(inv)
    inv.add(K.ECS_CLUSTER, {"clusterArn": CLUSTER, "clusterName": "c1", "status": "ACTIVE"})
    for n in range(networks):
        sn = f"{_L}:servicenetwork/sn-{n}"
        inv.add(K.SERVICE_NETWORK, {"arn": sn, "id": f"sn-{n}", "name": f"net-{n}"})
        inv.add(
            K.SN_VPC_ASSOCIATION,
            {
                "arn": f"{_L}:servicenetworkvpcassociation/snva-{n}",
                "status": "ACTIVE",
                "securityGroupIds": ["sg-lattice"],
            },
            serviceNetworkArn=sn,
            vpcId="vpc-a",
        )
    for s in range(services):
        svc, tg = f"{_L}:service/svc-{s}", f"{_L}:targetgroup/tg-{s}"
        listener = f"{svc}/listener/listener-{s}"
        inv.add(K.SERVICE, {"arn": svc, "id": f"svc-{s}", "name": f"svc-{s}", "status": "ACTIVE"})
        inv.add(
            K.SN_SERVICE_ASSOCIATION,
            {"arn": f"{_L}:servicenetworkserviceassociation/snsa-{s}", "status": "ACTIVE"},
            serviceNetworkArn=f"{_L}:servicenetwork/sn-{s % networks}",
            serviceArn=svc,
        )
        inv.add(
            K.LISTENER,
            {
                "arn": listener,
                "name": "http",
                "serviceArn": svc,
                "defaultAction": _forward((tg, 100)),
            },
        )
        for r in range(3):
            inv.add(
                K.RULE,
                {
                    "arn": f"{listener}/rule/rule-{r}",
                    "name": f"r{r}",
                    "priority": r,
                    "action": _forward((tg, 50)),
                },
                listenerArn=listener,
            )
        inv.add(K.TARGET_GROUP, _tg(f"tg-{s}", f"tg-{s}"))
        ecs = _ecs_service(f"app-{s}", TD_ORDERS, tg, ROLE_LATTICE)
        inv.add(K.ECS_SERVICE, ecs)
        for t in range(targets):
            ip = f"10.{s // 250}.{s % 250}.{t + 1}"
            inv.add(K.TARGET, {"id": ip, "port": 8080, "status": "HEALTHY"}, targetGroupArn=tg)
            task = _task(1, ip, "subnet-a1", group=f"service:app-{s}")
            task["taskArn"] = f"{_ECS}:task/c1/t{s}x{t}"
            inv.add(K.ECS_TASK, task)
    return inv
