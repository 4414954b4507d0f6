"""Target-group rules: use, registration, health, health-check port."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from tui.doctor import ecs_common as E
from tui.doctor import lattice as L
from tui.doctor.findings import Hit, rule
from tui.doctor.view import View
from tui.model.kinds import EdgeKind, NodeKind

K = NodeKind


def _unknown_targets(v: View, tg: str) -> Hit | None:
    why = L.targets_unknown(v, tg)
    if why:
        return Hit(f"could not check: targets of {v.name(tg)} not loaded ({why})", severity="info")
    return None


@rule("tg-unused", K.TARGET_GROUP, "info", area="lattice", needs=(K.LISTENER, K.RULE))
def tg_unused(v: View, tg: str) -> Iterator[Hit]:
    """Target group used by no Lattice service.

    AWS: targets of a group no listener or rule forwards to stay in status UNUSED and receive
    no traffic. Error when an ECS service is attached to it (its tasks never get traffic).
    """
    if L.is_used(v, tg):
        return
    attached = E.services_attached_to(v, tg)
    yield Hit(
        f"target group {v.name(tg)} is used by no Lattice service"
        + (
            f"; ECS service(s) {', '.join(v.name(s) for s in attached)} get no traffic"
            if attached
            else ""
        ),
        evidence={"serviceArns": [], "attached_ecs_services": attached},
        fix="forward to it from a listener: aws vpc-lattice create-listener/update-listener "
        f"--default-action forward to {v.raw(tg).get('id') or tg} (or create-rule)",
        severity="error" if attached else None,
    )


@rule("tg-empty", K.TARGET_GROUP, "error", area="lattice", needs=(K.TARGET,))
def tg_empty(v: View, tg: str) -> Iterator[Hit]:
    """Target group in use with no registered targets.

    AWS: a request forwarded to a target group with no registered target fails (HTTP 503).
    """
    if not L.is_used(v, tg) or L.targets(v, tg):
        return
    unknown = _unknown_targets(v, tg)
    if unknown:
        yield unknown
        return
    yield Hit(
        f"target group {v.name(tg)} is in use but has no registered targets",
        evidence={
            "serviceArns": v.raw(tg).get("serviceArns") or [],
            "forwarded_from": v.pred(tg, EdgeKind.FORWARDS_TO),
            "targets": 0,
        },
        fix="attach an ECS service (trellis attach --target-group "
        f"{v.raw(tg).get('id') or tg} ...) or aws vpc-lattice register-targets",
    )


def _health(v: View, tg: str) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    """(unhealthy, considered) targets; DRAINING / UNUSED ones are not considered."""
    considered = [t for t in L.target_statuses(v, tg) if t[1] not in {"DRAINING", "UNUSED"}]
    return [t for t in considered if t[1] == L.UNHEALTHY], considered


def _hc_evidence(v: View, tg: str, unhealthy: list[tuple[str, str, str]]) -> dict:
    return {
        "reasonCodes": dict(Counter(r or "?" for _, _, r in unhealthy)),
        "unhealthy": [v.name(t) for t, _, _ in unhealthy][:10],
        "healthCheck": (v.raw(tg).get("config") or {}).get("healthCheck"),
    }


@rule("tg-all-unhealthy", K.TARGET_GROUP, "error", area="lattice", needs=(K.TARGET,))
def tg_all_unhealthy(v: View, tg: str) -> Iterator[Hit]:
    """Every target of the group is UNHEALTHY.

    AWS: when all targets are unhealthy VPC Lattice fails open and routes requests to all of
    them anyway, so clients see the unhealthy tasks' errors/timeouts rather than a clean 503.
    """
    unhealthy, considered = _health(v, tg)
    if not considered or len(unhealthy) != len(considered):
        return
    yield Hit(
        f"all {len(considered)} target(s) of {v.name(tg)} are UNHEALTHY; Lattice fails open and "
        "still sends traffic to them",
        evidence=_hc_evidence(v, tg, unhealthy),
        fix="check the health check (port, path, matcher) against what the tasks serve, and the "
        "tasks' security groups (ingress from the vpc-lattice prefix list on that port)",
    )


@rule("tg-some-unhealthy", K.TARGET_GROUP, "warning", area="lattice", needs=(K.TARGET,))
def tg_some_unhealthy(v: View, tg: str) -> Iterator[Hit]:
    """Some, not all, targets UNHEALTHY.

    AWS: Lattice stops routing to UNHEALTHY targets while others are healthy; reasonCode
    (e.g. HealthCheckFailed, ConnectionFailure) says why each failed.
    """
    unhealthy, considered = _health(v, tg)
    if not unhealthy or len(unhealthy) == len(considered):
        return
    yield Hit(
        f"{len(unhealthy)} of {len(considered)} target(s) of {v.name(tg)} are UNHEALTHY",
        evidence=_hc_evidence(v, tg, unhealthy),
        fix="inspect the unhealthy tasks (logs, aws ecs describe-tasks) and the reasonCodes",
    )


def listening_ports(v: View, tg: str) -> tuple[set[int], set[int], list[str]]:
    """(container ports the backing tasks listen on, target ports, task definitions seen)."""
    listen: set[int] = set()
    target_ports: set[int] = set()
    tds: list[str] = []
    for svc in E.services_attached_to(v, tg):
        td = E.task_definition(v, svc)
        if td and v.exists(td):
            tds.append(td)
            port = E.container_port(v, td, E.config_for(v, svc, tg).get("portName"))
            if port:
                target_ports.add(port)
    for target in L.targets(v, tg):
        if v.raw(target).get("port") is not None:
            target_ports.add(int(v.raw(target)["port"]))
        for task in v.succ(target, EdgeKind.BACKS, NodeKind.ECS_TASK):
            td = v.raw(task).get("taskDefinitionArn")
            if td and v.exists(td):
                tds.append(td)
    for td in dict.fromkeys(tds):
        listen |= {
            int(pm["containerPort"])
            for pm in E.port_mappings(v, td)
            if pm.get("containerPort") is not None
        }
    return listen, target_ports, list(dict.fromkeys(tds))


@rule("hc-port-mismatch", K.TARGET_GROUP, "error", area="lattice", needs=(K.TASK_DEFINITION,))
def hc_port_mismatch(v: View, tg: str) -> Iterator[Hit]:
    """Health-check port (or the target port it defaults to) the backing tasks do not listen on.

    AWS: Lattice health checks go to healthCheck.port, defaulting to each target's port; ECS
    registers task IPs on the containerPort of the configured portName. A port no container
    maps fails every check (reasonCode HealthCheckFailed / ConnectionFailure).
    """
    config = v.raw(tg).get("config") or {}
    hc = config.get("healthCheck") or {}
    if hc.get("enabled") is False:
        return
    listen, target_ports, tds = listening_ports(v, tg)
    if not listen:
        return  # nothing known about the backing tasks
    checked = {int(hc["port"])} if hc.get("port") else target_ports
    wrong = sorted(p for p in checked if p not in listen)
    if not wrong:
        return
    yield Hit(
        f"health checks of {v.name(tg)} go to port {', '.join(map(str, wrong))} but the backing "
        f"tasks listen on {', '.join(map(str, sorted(listen)))}",
        evidence={
            "healthCheck": hc,
            "target_ports": sorted(target_ports),
            "container_ports": sorted(listen),
            "task_definitions": tds,
        },
        fix=f"aws vpc-lattice update-target-group --target-group-identifier "
        f"{v.raw(tg).get('id') or tg} --health-check port={sorted(listen)[0]}"
        + (f",path={hc.get('path')}" if hc.get("path") else ""),
    )
