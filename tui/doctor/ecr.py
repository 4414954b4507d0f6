"""Private subnets and ECR (seed 004): can the tasks pull their images at all?"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tui.doctor import ecs_common as E
from tui.doctor import sg
from tui.doctor.findings import Hit, rule
from tui.doctor.network import task_groups
from tui.doctor.view import View
from tui.model.kinds import NodeKind

K = NodeKind
ECR_SUFFIXES = (".ecr.api", ".ecr.dkr")
DEAD_ENDPOINT = {"deleted", "deleting", "rejected", "failed", "expired"}


def is_ecr_image(image: str) -> bool:
    return ".dkr.ecr." in image


def egress_route(v: View, rt: str, public_ip: bool) -> str | None:
    """The default route that lets a task reach the internet, or None."""
    for route in v.raw(rt).get("Routes") or []:
        if route.get("State") == "blackhole":
            continue
        if route.get("DestinationCidrBlock") != "0.0.0.0/0":
            continue
        gw = str(route.get("GatewayId") or "")
        if route.get("NatGatewayId"):
            return route["NatGatewayId"]
        if gw.startswith("igw-") and public_ip:
            return gw  # an internet gateway only helps tasks with a public IP
        for key in ("TransitGatewayId", "NetworkInterfaceId", "VpcPeeringConnectionId"):
            if route.get(key):
                return route[key]  # egress via an appliance/hub: assume it can reach out
    return None


def private_subnets(v: View, svc: str) -> tuple[dict[str, list[str]], bool]:
    """({subnet node: its route tables} with no egress route, all route tables were known)."""
    public_ip = E.network_config(v, svc).get("assignPublicIp") == "ENABLED"
    out, known = {}, True
    for subnet in E.subnets(v, svc):
        tables = v.route_tables_of_subnet(subnet)
        if not tables:
            known = False
            continue
        if not any(egress_route(v, rt, public_ip) for rt in tables):
            out[subnet] = tables
    return out, known


def is_alive(v: View, ep: str) -> bool:
    """Deleted or rejected endpoints stay listed for a while; they carry no traffic."""
    return str(v.raw(ep).get("State", "available")).lower() not in DEAD_ENDPOINT


def endpoints(v: View, vpc: str | None) -> list[str]:
    return [
        ep for ep in v.of_kind(K.VPC_ENDPOINT) if v.raw(ep).get("VpcId") == vpc and is_alive(v, ep)
    ]


def _service_name(v: View, ep: str) -> str:
    return str(v.raw(ep).get("ServiceName", ""))


def ecr_interface_endpoints(v: View, vpc: str | None) -> list[str]:
    return [
        ep
        for ep in endpoints(v, vpc)
        if _service_name(v, ep).endswith(ECR_SUFFIXES)
        and v.raw(ep).get("VpcEndpointType", "Interface") == "Interface"
    ]


def _uses_ecr(v: View, svc: str) -> bool:
    return any(is_ecr_image(i) for i in E.images(v, E.task_definition(v, svc)))


def _rt_ids(v: View, tables: list[str]) -> list[str]:
    return [v.raw(t).get("RouteTableId", t) for t in tables]


@rule(
    "ecr-no-endpoints",
    K.ECS_SERVICE,
    "error",
    area="ecr",
    needs=(K.ROUTE_TABLE, K.VPC_ENDPOINT, K.SUBNET, K.TASK_DEFINITION),
)
def ecr_no_endpoints(v: View, svc: str) -> Iterator[Hit]:
    """Tasks in subnets with no route out, in a VPC lacking the ECR / S3 endpoints.

    AWS: with no NAT gateway (or internet gateway + public IP) a task reaches ECR only through
    interface endpoints com.amazonaws.<region>.ecr.api and .ecr.dkr, and the image layers
    (stored in S3) through an s3 gateway endpoint on the subnets' route tables.
    """
    if not _uses_ecr(v, svc):
        return
    private, _ = private_subnets(v, svc)
    if not private:
        return
    vpc = E.vpc_of(v, svc)
    eps = endpoints(v, vpc)
    missing = [
        s.lstrip(".") for s in ECR_SUFFIXES if not any(_service_name(v, e).endswith(s) for e in eps)
    ]
    s3 = [e for e in eps if _service_name(v, e).endswith(".s3")]
    s3_interface = any(v.raw(e).get("VpcEndpointType") == "Interface" for e in s3)
    s3_tables = {rt for e in s3 for rt in v.raw(e).get("RouteTableIds") or []}
    uncovered = (
        sorted({rt for tables in private.values() for rt in _rt_ids(v, tables)} - s3_tables)
        if not s3_interface
        else []
    )
    if uncovered:
        missing.append(f"s3 gateway on {', '.join(uncovered)}")
    if not missing:
        return
    region = v.g.graph.get("region") or "<region>"
    yield Hit(
        f"tasks run in subnets with no route to a NAT/internet gateway and the VPC lacks: "
        f"{'; '.join(missing)} - image pulls from ECR fail",
        evidence={
            "private_subnets": {
                v.raw(s).get("SubnetId", s): _rt_ids(v, t) for s, t in private.items()
            },
            "missing": missing,
            "vpc_endpoints": [_service_name(v, e) for e in eps],
        },
        fix=_endpoint_fix(v, svc, vpc, region, missing, uncovered),
    )


def _endpoint_fix(
    v: View, svc: str, vpc: str | None, region: str, missing: list[str], uncovered: list[str]
) -> str:
    """One create-vpc-endpoint command per missing endpoint, with the ids already known."""
    subnets = " ".join(str(v.raw(s).get("SubnetId", s)) for s in E.subnets(v, svc)) or "..."
    steps = [
        f"aws ec2 create-vpc-endpoint --vpc-id {vpc} --vpc-endpoint-type Interface "
        f"--service-name com.amazonaws.{region}.{name} --subnet-ids {subnets} "
        "--security-group-ids <sg admitting 443 from the task subnets> --private-dns-enabled"
        for name in (s.lstrip(".") for s in ECR_SUFFIXES)
        if name in missing
    ]
    if uncovered:
        steps.append(
            f"aws ec2 create-vpc-endpoint --vpc-id {vpc} --vpc-endpoint-type Gateway "
            f"--service-name com.amazonaws.{region}.s3 --route-table-ids {' '.join(uncovered)}"
        )
    return "; ".join(steps)


@rule(
    "ecr-endpoint-sg",
    K.ECS_SERVICE,
    "error",
    area="ecr",
    needs=(K.VPC_ENDPOINT, K.SECURITY_GROUP, K.SUBNET, K.TASK_DEFINITION),
)
def ecr_endpoint_sg(v: View, svc: str) -> Iterator[Hit]:
    """An ECR endpoint's security groups do not allow 443 from the task subnets.

    AWS: interface endpoints are ENIs guarded by their security groups; tasks call ECR over
    HTTPS (443), so the endpoint groups must admit 443 from the task subnets' CIDRs (or the
    tasks' security groups). The finding is placed on the endpoint.
    """
    if not _uses_ecr(v, svc):
        return
    task_sg_ids, _, _ = task_groups(v, svc)
    for ep in ecr_interface_endpoints(v, E.vpc_of(v, svc)):
        ids = [g.get("GroupId") for g in v.raw(ep).get("Groups") or []]
        nodes = [v.ec2(i) for i in ids]
        if not all(n and v.exists(n) for n in nodes):
            continue
        found = sg.ingress_sources([v.raw(n) for n in nodes if n], 443)
        blocked_nodes = [
            s
            for s in E.subnets(v, svc)
            if not sg.admits_from(found, v.raw(s).get("CidrBlock"), task_sg_ids)
        ]
        if not blocked_nodes:
            continue
        blocked = [v.raw(s).get("SubnetId", s) for s in blocked_nodes]
        cidrs = [str(v.raw(s).get("CidrBlock")) for s in blocked_nodes if v.raw(s).get("CidrBlock")]
        group = ids[0] if ids else "<sg>"
        fix = "; ".join(
            f"aws ec2 authorize-security-group-ingress --group-id {group} "
            f"--protocol tcp --port 443 --cidr {cidr}"
            for cidr in cidrs or ["<task-subnet-cidr>"]
        )
        yield Hit(
            f"endpoint {_service_name(v, ep)} does not admit 443 from subnet(s) "
            f"{', '.join(blocked)} of ECS service {v.name(svc)}",
            evidence={
                "endpoint_groups": ids,
                "blocked_subnets": blocked,
                "task_security_groups": task_sg_ids,
                "ingress": sg.summarize([v.raw(n) for n in nodes if n]),
            },
            fix=fix,
            node=ep,
        )


@rule("ecr-endpoint-no-private-dns", K.VPC_ENDPOINT, "error", area="ecr")
def ecr_endpoint_no_private_dns(v: View, ep: str) -> Iterator[Hit]:
    """An ECR interface endpoint with private DNS disabled.

    AWS: only with PrivateDnsEnabled do the standard ECR hostnames (api.ecr.<region>...,
    <account>.dkr.ecr.<region>...) resolve to the endpoint; otherwise tasks still go to the
    public endpoints, which private subnets cannot reach.
    """
    raw: dict[str, Any] = v.raw(ep)
    if not _service_name(v, ep).endswith(ECR_SUFFIXES) or raw.get("VpcEndpointType") == "Gateway":
        return
    if not is_alive(v, ep):
        return
    if raw.get("PrivateDnsEnabled", True):
        return
    yield Hit(
        f"ECR endpoint {_service_name(v, ep)} has private DNS disabled",
        evidence={"ServiceName": _service_name(v, ep), "PrivateDnsEnabled": False},
        fix=f"aws ec2 modify-vpc-endpoint --vpc-endpoint-id {raw.get('VpcEndpointId', ep)} "
        "--private-dns-enabled",
    )


@rule(
    "ecr-task-egress",
    K.ECS_SERVICE,
    "error",
    area="ecr",
    needs=(K.SECURITY_GROUP, K.TASK_DEFINITION),
)
def ecr_task_egress(v: View, svc: str) -> Iterator[Hit]:
    """Task security groups allow no outbound HTTPS (443).

    AWS: security-group egress rules apply to the task ENI; pulling from ECR (endpoints or
    public) needs outbound tcp 443. New groups allow all egress; a removed rule breaks pulls.
    """
    if not _uses_ecr(v, svc):
        return
    ids, groups, not_loaded = task_groups(v, svc)
    if not ids or not_loaded or sg.ingress_sources(groups, 443, egress=True):
        return
    yield Hit(
        f"security groups {', '.join(ids)} allow no outbound 443: image pulls from ECR fail",
        evidence={"securityGroups": ids, "egress": sg.summarize(groups, egress=True)},
        fix=f"aws ec2 authorize-security-group-egress --group-id {ids[0]} --ip-permissions "
        "IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=0.0.0.0/0}]",
    )
