"""Identifiers -> graph vocabulary: which NodeKind an ARN names, the (region, account) it
carries, display-name helpers, and ``_Refs``, the per-inventory indexes that turn the bare ids
AWS APIs hand back (``vpc-...``, Lattice ids) into the ARN-shaped node ids the graph uses. Pure
string work with no graph state, shared by the section mixins and the builder in
``tui.model.graph``.
"""

from __future__ import annotations

from typing import Any

from tui.model.inventory import Inventory
from tui.model.kinds import NodeKind, ec2_arn

K = NodeKind

_LATTICE_TYPES = {
    "servicenetwork": K.SERVICE_NETWORK,
    "targetgroup": K.TARGET_GROUP,
    "servicenetworkserviceassociation": K.SN_SERVICE_ASSOCIATION,
    "servicenetworkvpcassociation": K.SN_VPC_ASSOCIATION,
    "accesslogsubscription": K.ACCESS_LOG_SUBSCRIPTION,
    "resourcegateway": K.RESOURCE_GATEWAY,
    "resourceconfiguration": K.RESOURCE_CONFIGURATION,
}
_OTHER_TYPES = {
    ("ecs", "cluster"): K.ECS_CLUSTER,
    ("ecs", "service"): K.ECS_SERVICE,
    ("ecs", "task"): K.ECS_TASK,
    ("ecs", "task-definition"): K.TASK_DEFINITION,
    ("iam", "role"): K.IAM_ROLE,
    ("ec2", "vpc"): K.VPC,
    ("ec2", "subnet"): K.SUBNET,
    ("ec2", "security-group"): K.SECURITY_GROUP,
    ("ec2", "route-table"): K.ROUTE_TABLE,
    ("ec2", "vpc-endpoint"): K.VPC_ENDPOINT,
}


def kind_from_arn(arn: str) -> str | None:
    """The NodeKind an ARN (or constructed id) names, or None when it is not ours."""
    parts = arn.split(":", 5)
    if len(parts) < 6 or parts[0] != "arn":
        return None
    service, resource = parts[2], parts[5]
    rtype = resource.split("/", 1)[0]
    if service == "vpc-lattice":
        if resource.endswith("/auth-policy"):
            return K.AUTH_POLICY
        if "/target/" in resource:
            return K.TARGET
        if rtype == "service":
            return (
                K.RULE
                if "/rule/" in resource
                else K.LISTENER
                if "/listener/" in resource
                else K.SERVICE
            )
        return _LATTICE_TYPES.get(rtype)
    return _OTHER_TYPES.get((service, rtype))


def _arn_place(arn: str) -> tuple[str, str]:
    """(region, account) from an ARN; empty strings where the ARN has none."""
    parts = arn.split(":", 5)
    return (parts[3], parts[4]) if len(parts) == 6 else ("", "")


def _tag_name(raw: dict[str, Any], default: str) -> str:
    for tag in raw.get("Tags") or ():
        if tag.get("Key") == "Name" and tag.get("Value"):
            return tag["Value"]
    return default


def _last(arn: str) -> str:
    return arn.rsplit("/", 1)[-1]


class _Refs:
    """Per-inventory indexes that turn bare ids into node ids."""

    def __init__(self, inv: Inventory) -> None:
        self.inv = inv
        self.ec2: dict[str, str] = {}
        self.lattice: dict[tuple[str, str], str] = {}
        self.subnet_vpc: dict[str, str] = {}
        self.task_ips: dict[tuple[str | None, str], list[str]] = {}

    def ec2_ref(self, bare: str, etype: str) -> str:
        if bare.startswith("arn:"):
            return bare
        return self.ec2.get(bare) or ec2_arn(self.inv.region, self.inv.account, etype, bare)

    def vpc(self, bare: str) -> str:
        return self.ec2_ref(bare, "vpc")

    def lattice_ref(self, ident: str, ltype: str) -> str:
        """Lattice calls accept an id or an ARN; the graph always uses the ARN."""
        if ident.startswith("arn:"):
            return ident
        return self.lattice.get((ltype, ident)) or (
            f"arn:aws:vpc-lattice:{self.inv.region}:{self.inv.account}:{ltype}/{ident}"
        )
