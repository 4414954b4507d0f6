"""Predicates the planner needs over raw AWS shapes. Pure: no SDK, no UI."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tui.doctor import policy, sg
from tui.wizard.facts import LATTICE_POLICY, RoleInfo, is_lattice_policy

__all__ = ["LATTICE_POLICY"]  # re-exported: plan and ranking name it as checks.LATTICE_POLICY

Raw = dict[str, Any]

ECS_PRINCIPAL = "ecs.amazonaws.com"
REGISTER_ACTIONS = ("vpc-lattice:RegisterTargets", "vpc-lattice:DeregisterTargets")


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


# -- IAM and network: the doctor's own policy and security-group arithmetic -----------------
def trusts_ecs(role: RoleInfo) -> bool:
    """Does the trust policy let ecs.amazonaws.com call sts:AssumeRole?"""
    return policy.trusts_service(role.trust, ECS_PRINCIPAL)


def has_lattice_permissions(role: RoleInfo) -> bool:
    """The managed policy, or policies that allow RegisterTargets and DeregisterTargets."""
    if any(is_lattice_policy(pol) for pol in role.attached):
        return True
    docs = list(role.inline.values()) + list(role.documents.values())
    return all(policy.grants(docs, action) for action in REGISTER_ACTIONS)


def sg_allows_lattice(groups: list[Raw], prefix_list_id: str | None, port: int | None) -> bool:
    """Does any of the tasks' security groups admit the vpc-lattice prefix list on ``port``?"""
    if port is None:
        found = [src for g in groups for perm in g.get("IpPermissions") or []
                 for src in sg.sources(g.get("GroupId", "?"), perm)]
    else:
        found = sg.ingress_sources(groups, port)
    return bool(sg.admits_lattice(found, prefix_list_id))


def health_check_port(target_group: Raw) -> int | None:
    """The explicit health-check port, or None when it follows the traffic port / is off."""
    hc = (target_group.get("config") or {}).get("healthCheck") or {}
    if hc.get("enabled") is False:
        return None
    port = hc.get("port")
    return int(port) if port else None
