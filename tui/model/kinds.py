"""The graph vocabulary (stable: snapshots, exports, doctor rules and tests rely on it).

Node ids are the resource ARN where AWS gives one. Where it does not:
  target            "<target-group-arn>/target/<id>:<port>"
  auth_policy       "<service-or-network-arn>/auth-policy"
  EC2 resources     a constructed ARN "arn:aws:ec2:<region>:<account>:<type>/<id>"
                    with type in vpc, subnet, security-group, route-table, vpc-endpoint

Every node carries: kind (NodeKind value), name, region, account, raw (the API response
it came from), and optionally status (normalised state string), planned (bool), missing (bool:
a stub for a reference the inventory does not hold) and ctx (iam_role: the record's ctx).

Edges (direction = the way traffic or ownership flows), attribute ``kind`` = EdgeKind value:
  contains     service -> listener -> rule; ecs_cluster -> ecs_service -> ecs_task;
               ecs_cluster -> ecs_task (tasks not started by a service);
               vpc -> subnet | security_group | route_table | vpc_endpoint;
               service | service_network -> auth_policy | access_log_subscription;
               resource_gateway -> resource_configuration
  associated   vpc -> sn_vpc_association -> service_network
               service_network -> sn_service_association -> service
  forwards_to  listener -> target_group (default action, attr via="default", weight)
               rule -> target_group (attr via="rule", weight)
  registered   target_group -> target
  backs        target -> ecs_task whose private IP it is
  attached     ecs_service -> target_group (attrs port_name, role_arn)
  uses         ecs_service -> task_definition | iam_role; ecs_task -> task_definition;
               task_definition -> iam_role (its taskRoleArn and executionRoleArn);
               subnet -> route_table; vpc_endpoint -> route_table (gateway endpoints)
  in           ecs_task | ecs_service | vpc_endpoint | resource_gateway -> subnet;
               target_group -> vpc; sn_vpc_association -> security_group
  guards       security_group -> ecs_task | ecs_service | vpc_endpoint
"""

from enum import StrEnum


class NodeKind(StrEnum):
    SERVICE_NETWORK = "service_network"
    SERVICE = "service"
    LISTENER = "listener"
    RULE = "rule"
    TARGET_GROUP = "target_group"
    TARGET = "target"
    SN_SERVICE_ASSOCIATION = "sn_service_association"
    SN_VPC_ASSOCIATION = "sn_vpc_association"
    AUTH_POLICY = "auth_policy"
    ACCESS_LOG_SUBSCRIPTION = "access_log_subscription"
    RESOURCE_GATEWAY = "resource_gateway"
    RESOURCE_CONFIGURATION = "resource_configuration"
    ECS_CLUSTER = "ecs_cluster"
    ECS_SERVICE = "ecs_service"
    ECS_TASK = "ecs_task"
    TASK_DEFINITION = "task_definition"
    IAM_ROLE = "iam_role"
    VPC = "vpc"
    SUBNET = "subnet"
    SECURITY_GROUP = "security_group"
    ROUTE_TABLE = "route_table"
    VPC_ENDPOINT = "vpc_endpoint"


class EdgeKind(StrEnum):
    CONTAINS = "contains"
    ASSOCIATED = "associated"
    FORWARDS_TO = "forwards_to"
    REGISTERED = "registered"
    BACKS = "backs"
    ATTACHED = "attached"
    USES = "uses"
    IN = "in"
    GUARDS = "guards"


def ec2_arn(region: str, account: str, resource_type: str, resource_id: str) -> str:
    """The constructed node id of an EC2 resource (EC2 describe calls return bare ids)."""
    return f"arn:aws:ec2:{region}:{account}:{resource_type}/{resource_id}"


def target_id(target_group_arn: str, target: str, port: int | None) -> str:
    return f"{target_group_arn}/target/{target}:{port if port is not None else ''}"


def auth_policy_id(resource_arn: str) -> str:
    return f"{resource_arn}/auth-policy"
