"""ECS-shaped helpers shared by the ecs / network / ecr / target rules."""

from __future__ import annotations

from typing import Any

from tui.doctor.view import View
from tui.model.kinds import EdgeKind, NodeKind


def primary_deployment(v: View, svc: str) -> dict[str, Any]:
    for dep in v.raw(svc).get("deployments") or []:
        if dep.get("status") == "PRIMARY":
            return dep
    return {}


def lattice_configs(v: View, svc: str) -> list[dict[str, Any]]:
    """vpcLatticeConfigurations of the PRIMARY deployment (not on the Service object itself).

    Falls back to the service object (planned services) and to ``attached`` edges.
    """
    dep = primary_deployment(v, svc)
    configs = dep.get("vpcLatticeConfigurations")
    if configs is None:
        configs = v.raw(svc).get("vpcLatticeConfigurations")
    if configs is None:
        configs = [
            {"targetGroupArn": tg, "portName": d.get("port_name"), "roleArn": d.get("role_arn")}
            for tg, d in v.edges_out(svc, EdgeKind.ATTACHED)
        ]
    return list(configs or [])


def network_config(v: View, svc: str) -> dict[str, Any]:
    dep = primary_deployment(v, svc)
    conf = dep.get("networkConfiguration") or v.raw(svc).get("networkConfiguration") or {}
    return conf.get("awsvpcConfiguration") or {}


def task_definition(v: View, svc: str) -> str | None:
    arn = primary_deployment(v, svc).get("taskDefinition") or v.raw(svc).get("taskDefinition")
    if arn:
        return arn
    used = v.succ(svc, EdgeKind.USES, NodeKind.TASK_DEFINITION)
    return used[0] if used else None


def port_mappings(v: View, td: str | None) -> list[dict[str, Any]]:
    out = []
    for container in v.raw(td).get("containerDefinitions") or [] if td else []:
        for pm in container.get("portMappings") or []:
            out.append({**pm, "container": container.get("name")})
    return out


def container_port(v: View, td: str | None, port_name: str | None) -> int | None:
    for pm in port_mappings(v, td):
        if port_name and pm.get("name") == port_name and pm.get("containerPort") is not None:
            return int(pm["containerPort"])
    return None


def images(v: View, td: str | None) -> list[str]:
    return [c.get("image", "") for c in v.raw(td).get("containerDefinitions") or []] if td else []


def subnets(v: View, svc: str) -> list[str]:
    """Subnet node ids (existing only) of the service's awsvpc configuration or ``in`` edges."""
    ids = network_config(v, svc).get("subnets") or []
    nodes = [v.ec2(i) for i in ids]
    nodes += v.succ(svc, EdgeKind.IN, NodeKind.SUBNET)
    return [n for n in dict.fromkeys(nodes) if n and v.exists(n)]


def subnet_ids(v: View, svc: str) -> list[str]:
    ids = list(network_config(v, svc).get("subnets") or [])
    return ids or [v.raw(n).get("SubnetId", n) for n in subnets(v, svc)]


def security_group_ids(v: View, svc: str) -> list[str]:
    ids = list(network_config(v, svc).get("securityGroups") or [])
    for sg in v.pred(svc, EdgeKind.GUARDS, NodeKind.SECURITY_GROUP):
        gid = v.raw(sg).get("GroupId")
        if gid and gid not in ids:
            ids.append(gid)
    return ids


def vpc_of(v: View, svc: str) -> str | None:
    for subnet in subnets(v, svc):
        if v.vpc_of_subnet(subnet):
            return v.vpc_of_subnet(subnet)
    return None


def tasks(v: View, svc: str) -> list[str]:
    return v.succ(svc, EdgeKind.CONTAINS, NodeKind.ECS_TASK)


def task_ip(v: View, task: str) -> str | None:
    for att in v.raw(task).get("attachments") or []:
        for detail in att.get("details") or []:
            if detail.get("name") == "privateIPv4Address":
                return detail.get("value")
    for container in v.raw(task).get("containers") or []:
        for ni in container.get("networkInterfaces") or []:
            if ni.get("privateIpv4Address"):
                return ni["privateIpv4Address"]
    return None


def services_attached_to(v: View, tg: str) -> list[str]:
    return v.pred(tg, EdgeKind.ATTACHED, NodeKind.ECS_SERVICE)


def config_for(v: View, svc: str, tg: str) -> dict[str, Any]:
    for conf in lattice_configs(v, svc):
        if conf.get("targetGroupArn") == tg:
            return conf
    return {}
