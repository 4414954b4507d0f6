"""Demo seed, EC2 part: two private-only VPCs, one with the ECR/S3 endpoints and one without.

Follows seed 004: tasks in private subnets (no NAT, no internet gateway) pull images through
``ecr.api`` + ``ecr.dkr`` interface endpoints (private DNS on, SG allowing 443 from the VPC
CIDR) and an ``s3`` gateway endpoint on the private route tables. ``shop-batch`` deliberately
lacks them all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tui.sandbox.seeds import Clients, lattice_prefix_list


@dataclass
class Vpc:
    name: str
    id: str
    cidr: str
    subnets: list[str] = field(default_factory=list)
    route_tables: list[str] = field(default_factory=list)
    sgs: dict[str, str] = field(default_factory=dict)  # name -> group id


@dataclass
class Network:
    prod: Vpc
    batch: Vpc
    prefix_list: str


def tags(name: str, **extra: str) -> list[dict[str, Any]]:
    pairs = {"Name": name, "app": "shop", **extra}
    return [{"Key": k, "Value": v} for k, v in pairs.items()]


def _spec(kind: str, name: str) -> list[dict[str, Any]]:
    return [{"ResourceType": kind, "Tags": tags(name)}]


def make_vpc(c: Clients, name: str, cidr: str) -> Vpc:
    ec2 = c.ec2
    vpc_id = ec2.create_vpc(CidrBlock=cidr, TagSpecifications=_spec("vpc", name))["Vpc"]["VpcId"]
    # awsvpc tasks and private-DNS interface endpoints both need DNS support + hostnames.
    ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsSupport={"Value": True})
    ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsHostnames={"Value": True})
    vpc = Vpc(name, vpc_id, cidr)
    prefix = cidr.rsplit(".", 2)[0]  # "10.0"
    for i, az in enumerate(("a", "b"), start=1):
        sub_name = f"{name}-private-{az}"
        subnet = ec2.create_subnet(
            VpcId=vpc_id,
            CidrBlock=f"{prefix}.{i}.0/24",
            AvailabilityZone=f"{c.region}{az}",
            TagSpecifications=_spec("subnet", sub_name),
        )["Subnet"]["SubnetId"]
        # One route table per AZ with only the local route: private, no NAT.
        rt = ec2.create_route_table(VpcId=vpc_id, TagSpecifications=_spec("route-table", sub_name))
        rt_id = rt["RouteTable"]["RouteTableId"]
        ec2.associate_route_table(RouteTableId=rt_id, SubnetId=subnet)
        vpc.subnets.append(subnet)
        vpc.route_tables.append(rt_id)
    return vpc


def make_sg(
    c: Clients, vpc: Vpc, name: str, desc: str, rules: list[dict[str, Any]]
) -> str:
    sg = c.ec2.create_security_group(
        GroupName=name,
        Description=desc,
        VpcId=vpc.id,
        TagSpecifications=_spec("security-group", name),
    )["GroupId"]
    if rules:
        c.ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=rules)
    vpc.sgs[name] = sg
    return sg


def tcp_from_cidr(port: int, cidr: str, desc: str) -> dict[str, Any]:
    return {
        "IpProtocol": "tcp",
        "FromPort": port,
        "ToPort": port,
        "IpRanges": [{"CidrIp": cidr, "Description": desc}],
    }


def tcp_from_prefix_list(ports: tuple[int, int], pl: str) -> dict[str, Any]:
    return {
        "IpProtocol": "tcp",
        "FromPort": ports[0],
        "ToPort": ports[1],
        "PrefixListIds": [{"PrefixListId": pl, "Description": "VPC Lattice data plane"}],
    }


def add_ecr_endpoints(c: Clients, vpc: Vpc) -> None:
    """ecr.api + ecr.dkr (+ logs) interface endpoints and the s3 gateway endpoint (seed 004)."""
    sg = make_sg(
        c, vpc, f"{vpc.name}-vpce", "HTTPS from the VPC to interface endpoints",
        [tcp_from_cidr(443, vpc.cidr, "tasks to ECR/logs endpoints")],
    )
    for svc in ("ecr.api", "ecr.dkr", "logs"):
        c.ec2.create_vpc_endpoint(
            VpcId=vpc.id,
            VpcEndpointType="Interface",
            ServiceName=f"com.amazonaws.{c.region}.{svc}",
            SubnetIds=vpc.subnets,
            SecurityGroupIds=[sg],
            PrivateDnsEnabled=True,
            TagSpecifications=_spec("vpc-endpoint", f"{vpc.name}-{svc.replace('.', '-')}"),
        )
    c.ec2.create_vpc_endpoint(
        VpcId=vpc.id,
        VpcEndpointType="Gateway",
        ServiceName=f"com.amazonaws.{c.region}.s3",
        RouteTableIds=vpc.route_tables,
        TagSpecifications=_spec("vpc-endpoint", f"{vpc.name}-s3"),
    )


def seed_network(c: Clients) -> Network:
    pl = lattice_prefix_list(c)
    prod = make_vpc(c, "shop-prod", "10.0.0.0/16")
    batch = make_vpc(c, "shop-batch", "10.1.0.0/16")
    add_ecr_endpoints(c, prod)  # shop-batch: none, on purpose (ecr-no-endpoints)

    # Service-network association SGs: what clients in the VPC may send to Lattice.
    make_sg(c, prod, "shop-prod-lattice-assoc", "Clients in shop-prod to Lattice services", [
        tcp_from_cidr(80, prod.cidr, "HTTP listeners"),
        tcp_from_cidr(443, prod.cidr, "HTTPS and TLS listeners"),
    ])
    # Misconfiguration (assoc-sg-blocks): only SSH, nothing on the listener ports.
    make_sg(c, batch, "shop-batch-lattice-assoc", "Clients in shop-batch to Lattice", [
        tcp_from_cidr(22, batch.cidr, "bastion ssh (wrong port for Lattice)"),
    ])
    # Task SGs: Lattice reaches targets from its managed prefix list.
    make_sg(c, prod, "shop-prod-tasks", "Fargate tasks reachable from VPC Lattice", [
        tcp_from_prefix_list((8080, 8081), pl),
        tcp_from_prefix_list((8443, 8443), pl),
        tcp_from_prefix_list((50051, 50051), pl),
    ])
    # Misconfiguration (ecs-sg-no-lattice): VPC CIDR only, not the Lattice prefix list.
    make_sg(c, prod, "orders-tasks", "orders tasks (VPC only)", [
        tcp_from_cidr(8080, prod.cidr, "in-VPC callers only"),
    ])
    make_sg(c, batch, "shop-batch-tasks", "Batch tasks reachable from VPC Lattice", [
        tcp_from_prefix_list((8080, 8080), pl),
        tcp_from_prefix_list((8443, 8443), pl),
    ])
    make_sg(c, prod, "search-alb", "Internal ALB for search", [
        tcp_from_prefix_list((443, 443), pl),
        tcp_from_cidr(443, prod.cidr, "in-VPC callers"),
    ])
    return Network(prod=prod, batch=batch, prefix_list=pl)
