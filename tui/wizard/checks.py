"""Predicates the planner needs over raw AWS shapes. Pure: no SDK, no UI."""

from __future__ import annotations

import fnmatch
import ipaddress
from dataclasses import dataclass
from typing import Any

from tui.wizard.facts import RoleInfo

Raw = dict[str, Any]

LATTICE_POLICY = "AmazonECSInfrastructureRolePolicyForVpcLattice"
ECS_PRINCIPAL = "ecs.amazonaws.com"
# The addresses VPC Lattice sends traffic (and health checks) from: the managed prefix list
# com.amazonaws.<region>.vpc-lattice holds these ranges.
LATTICE_RANGES = (
    ipaddress.ip_network("169.254.171.0/24"),
    ipaddress.ip_network("fd00:ec2:80::/64"),
)
REGISTER_ACTIONS = ("vpc-lattice:RegisterTargets", "vpc-lattice:DeregisterTargets")


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


# -- ECS service --------------------------------------------------------------------------
def primary_deployment(service: Raw) -> Raw:
    for dep in service.get("deployments") or []:
        if dep.get("status") == "PRIMARY":
            return dep
    return {}


def current_configs(service: Raw) -> list[Raw]:
    """The service's Lattice configs: on the PRIMARY deployment, not on the Service object."""
    dep = primary_deployment(service)
    configs = dep.get("vpcLatticeConfigurations")
    if configs is None:
        configs = service.get("vpcLatticeConfigurations") or []
    return [
        {
            "roleArn": c.get("roleArn", ""),
            "targetGroupArn": c.get("targetGroupArn", ""),
            "portName": c.get("portName", ""),
        }
        for c in configs
    ]


def awsvpc(service: Raw) -> Raw:
    return (service.get("networkConfiguration") or {}).get("awsvpcConfiguration") or {}


def launch_type(service: Raw) -> str:
    if service.get("launchType"):
        return str(service["launchType"])
    providers = [
        p.get("capacityProvider", "") for p in service.get("capacityProviderStrategy") or []
    ]
    return "capacity provider " + ",".join(providers) if providers else "EC2"


# -- task definition ----------------------------------------------------------------------
@dataclass(frozen=True)
class PortChoice:
    name: str
    container: str
    container_port: int | None
    protocol: str
    app_protocol: str

    def describe(self) -> str:
        app = f"/{self.app_protocol}" if self.app_protocol else ""
        return f"{self.name}: {self.container} {self.container_port}/{self.protocol}{app}"


def port_mappings(task_def: Raw) -> list[PortChoice]:
    """Every port mapping, named or not (name "" when unnamed)."""
    out = []
    for container in task_def.get("containerDefinitions") or []:
        for pm in container.get("portMappings") or []:
            out.append(
                PortChoice(
                    name=pm.get("name", "") or "",
                    container=container.get("name", ""),
                    container_port=pm.get("containerPort"),
                    protocol=pm.get("protocol", "tcp"),
                    app_protocol=pm.get("appProtocol", "") or "",
                )
            )
    return out


def named_ports(task_def: Raw) -> list[PortChoice]:
    return [p for p in port_mappings(task_def) if p.name]


def suggested_port_mapping(task_def: Raw, fallback_port: int | None = None) -> tuple[str, Raw]:
    """(container name, portMappings entry with ``name``) to add when no port is named."""
    containers = task_def.get("containerDefinitions") or [{}]
    unnamed = port_mappings(task_def)
    if unnamed:
        first = unnamed[0]
        container, port, protocol = first.container, first.container_port, first.protocol
    else:
        container, port, protocol = containers[0].get("name", "app"), fallback_port or 80, "tcp"
    entry: Raw = {"name": f"{container}-{port}-{protocol}", "containerPort": port}
    if task_def.get("networkMode") == "awsvpc":
        entry["hostPort"] = port
    entry.update({"protocol": protocol, "appProtocol": "http"})
    return container, entry


# -- IAM ----------------------------------------------------------------------------------
def _statements(doc: Raw) -> list[Raw]:
    return [s for s in _as_list(doc.get("Statement")) if isinstance(s, dict)]


def trusts_ecs(role: RoleInfo) -> bool:
    """Does the trust policy let ecs.amazonaws.com call sts:AssumeRole?"""
    for st in _statements(role.trust):
        if st.get("Effect") != "Allow":
            continue
        actions = [str(a) for a in _as_list(st.get("Action"))]
        if not any(fnmatch.fnmatchcase("sts:AssumeRole", a) for a in actions):
            continue
        principal = st.get("Principal")
        services = _as_list(principal.get("Service")) if isinstance(principal, dict) else []
        if ECS_PRINCIPAL in services:
            return True
    return False


def _allows(doc: Raw, action: str) -> bool:
    for st in _statements(doc):
        if st.get("Effect") != "Allow":
            continue
        patterns = [str(a).lower() for a in _as_list(st.get("Action"))]
        if any(fnmatch.fnmatchcase(action.lower(), p) for p in patterns):
            return True
    return False


def has_lattice_permissions(role: RoleInfo) -> bool:
    """The managed policy, or policies that allow RegisterTargets and DeregisterTargets."""
    for pol in role.attached:
        if pol.get("PolicyName") == LATTICE_POLICY or str(pol.get("PolicyArn", "")).endswith(
            "/" + LATTICE_POLICY
        ):
            return True
    docs = list(role.inline.values()) + list(role.documents.values())
    return all(any(_allows(d, a) for d in docs) for a in REGISTER_ACTIONS)


# -- network ------------------------------------------------------------------------------
def _port_covered(perm: Raw, port: int | None) -> bool:
    if str(perm.get("IpProtocol")) == "-1":
        return True
    if str(perm.get("IpProtocol")).lower() not in ("tcp", "6"):
        return False
    if port is None:
        return True
    low, high = perm.get("FromPort"), perm.get("ToPort")
    return low is not None and high is not None and int(low) <= port <= int(high)


def _cidr_covers_lattice(cidr: str) -> bool:
    try:
        net = ipaddress.ip_network(cidr, strict=False)
    except ValueError:
        return False
    return any(r.version == net.version and r.subnet_of(net) for r in LATTICE_RANGES)


def sg_allows_lattice(groups: list[Raw], prefix_list_id: str | None, port: int | None) -> bool:
    """Does any of the tasks' security groups admit the vpc-lattice prefix list on ``port``?"""
    for group in groups:
        for perm in group.get("IpPermissions") or []:
            if not _port_covered(perm, port):
                continue
            if prefix_list_id and any(
                p.get("PrefixListId") == prefix_list_id for p in perm.get("PrefixListIds") or []
            ):
                return True
            cidrs = [r.get("CidrIp", "") for r in perm.get("IpRanges") or []]
            cidrs += [r.get("CidrIpv6", "") for r in perm.get("Ipv6Ranges") or []]
            if any(_cidr_covers_lattice(c) for c in cidrs):
                return True
    return False


def health_check_port(target_group: Raw) -> int | None:
    """The explicit health-check port, or None when it follows the traffic port / is off."""
    hc = (target_group.get("config") or {}).get("healthCheck") or {}
    if hc.get("enabled") is False:
        return None
    port = hc.get("port")
    return int(port) if port else None
