"""Network rules for ECS tasks behind Lattice: security groups on the target path."""

from __future__ import annotations

from collections.abc import Iterator

from tui.doctor import ecs_common as E
from tui.doctor import lattice as L
from tui.doctor import sg
from tui.doctor.findings import Hit, rule
from tui.doctor.view import View
from tui.model.kinds import NodeKind

K = NodeKind


def task_groups(v: View, svc: str) -> tuple[list[str], list[dict], list[str]]:
    """(sg ids, loaded Describe items, ids not loaded) of the service's tasks."""
    ids = E.security_group_ids(v, svc)
    nodes = {i: v.ec2(i) for i in ids}
    groups = [v.raw(n) for n in nodes.values() if n and v.exists(n)]
    return ids, groups, [i for i, n in nodes.items() if not (n and v.exists(n))]


def lattice_ports(v: View, svc: str) -> dict[int, list[str]]:
    """port -> why Lattice needs it (target port / health-check port), per attached group."""
    td = E.task_definition(v, svc)
    ports: dict[int, list[str]] = {}
    for conf in E.lattice_configs(v, svc):
        target_port = E.container_port(v, td, conf.get("portName"))
        if target_port is None:
            continue  # ecs-portname-missing reports it
        tg = L.target_group_node(v, conf.get("targetGroupArn") or "")
        tg_name = v.name(tg) if tg else conf.get("targetGroupArn", "?")
        ports.setdefault(target_port, []).append(f"target port for {tg_name}")
        hc = ((v.raw(tg).get("config") or {}).get("healthCheck") or {}) if tg else {}
        if hc.get("enabled") is not False and hc.get("port"):
            ports.setdefault(int(hc["port"]), []).append(f"health-check port of {tg_name}")
    return ports


@rule("ecs-sg-no-lattice", K.ECS_SERVICE, "error", area="network", needs=(K.SECURITY_GROUP,))
def ecs_sg_no_lattice(v: View, svc: str) -> Iterator[Hit]:
    """Task security groups do not admit the vpc-lattice prefix list on target / health ports.

    AWS: Lattice sends requests and health checks to targets from the managed prefix list
    com.amazonaws.<region>.vpc-lattice (169.254.171.0/24); the targets' security groups must
    allow inbound from it on the target port and the health-check port.
    """
    ports = lattice_ports(v, svc)
    if not ports:
        return
    ids, groups, not_loaded = task_groups(v, svc)
    if not_loaded:
        yield Hit(
            f"could not check: security group(s) {', '.join(not_loaded)} not loaded",
            evidence={"securityGroups": ids},
            severity="info",
        )
        return
    pl = v.lattice_prefix_list
    blocked, unknown = {}, []
    for port, why in sorted(ports.items()):
        verdict = sg.admits_lattice(sg.ingress_sources(groups, port), pl)
        if verdict is False:
            blocked[port] = why
        elif verdict is None:
            unknown.append(port)
    if unknown and not blocked:
        yield Hit(
            f"could not check ports {unknown}: the vpc-lattice prefix list id is unknown "
            "(DescribeManagedPrefixLists not loaded)",
            severity="info",
        )
    if not blocked:
        return
    group = ids[0] if ids else "<task-sg>"
    first = next(iter(blocked))
    yield Hit(
        f"tasks' security groups {', '.join(ids) or '(none)'} do not allow inbound from the "
        f"vpc-lattice prefix list on port(s) {', '.join(map(str, blocked))}",
        evidence={
            "securityGroups": ids,
            "vpc_lattice_prefix_list": pl,
            "blocked_ports": {str(p): w for p, w in blocked.items()},
            "ingress": sg.summarize(groups),
        },
        fix=f"aws ec2 authorize-security-group-ingress --group-id {group} --ip-permissions "
        f"IpProtocol=tcp,FromPort={first},ToPort={first},"
        f"PrefixListIds=[{{PrefixListId={pl or '<com.amazonaws.REGION.vpc-lattice pl-id>'}}}]",
    )
