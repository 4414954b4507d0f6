"""Targets, their health, and target groups with ``serviceArns`` (moto has none of it).

The sandbox's target health rule (a documented simplification of what Lattice measures):

1. A deregistered target is DRAINING (``DeregistrationInProgress``) for ``health_delay``
   seconds after DeregisterTargets, then disappears (at once when the delay is 0).
2. A target in a target group that no Lattice service uses (no listener default action and
   no rule forwards to it) is UNUSED, reasonCode ``TargetGroupNotInUse``.
3. LAMBDA/ALB target groups have no Lattice health checks: UNAVAILABLE,
   ``HealthCheckNotSupported``. A disabled health check (``healthCheck.enabled`` false, or
   protocolVersion HTTP2/GRPC without an explicit ``enabled``) gives UNAVAILABLE,
   ``HealthCheckDisabled``.
4. For ``health_delay`` seconds after registration a target is INITIAL
   (``RegistrationInProgress``).
5. Then, if the target's IP is an ECS task's, the port the check uses (``healthCheck.port``
   if set, else the target's port) must be a ``containerPort`` of that task's task
   definition; otherwise UNHEALTHY, ``HealthCheckFailed``. Targets that back no known task
   pass. Everything else is HEALTHY (no reasonCode).

``health_delay`` is the one of the Sandbox serving the request (``CONTEXT``), default 2 s.
"""

from __future__ import annotations

import ipaddress
import json
import threading
import time
from dataclasses import dataclass
from typing import Any

from tui.sandbox.lattice_common import (
    compact,
    handler_registry,
    listing,
    rid,
    service_arns_using,
    state,
)

CONTEXT = threading.local()
DEFAULT_HEALTH_DELAY = 2.0
MAX_TARGETS_PER_GROUP = 1000
HANDLERS, handler = handler_registry()


def health_delay() -> float:
    return getattr(CONTEXT, "health_delay", DEFAULT_HEALTH_DELAY)


@dataclass
class Target:
    id: str
    port: int | None
    registered_at: float
    deregistered_at: float | None = None


# -- python API (used by the ECS extension, in-process) --------------------------------------
def register(backend: Any, tg: Any, targets: list[dict[str, Any]]) -> tuple[list, list]:
    table = state(backend).targets.setdefault(tg.id, {})
    ok, failed = [], []
    now = time.monotonic()
    for item in targets:
        ident = str(item.get("id", ""))
        port = None if tg.type == "LAMBDA" else item.get("port") or tg.config.get("port")
        problem = _invalid(tg, ident)
        if not problem and (ident, port) not in table and len(table) >= MAX_TARGETS_PER_GROUP:
            problem = ("ServiceQuotaExceeded", f"Target group {tg.id} has 1000 targets")
        if problem:
            failed.append({"id": ident, "port": port, "failureCode": problem[0],
                           "failureMessage": problem[1]})
            continue
        current = table.get((ident, port))
        if current is None or current.deregistered_at is not None:
            table[(ident, port)] = Target(ident, port, now)
        ok.append(compact({"id": ident, "port": port}))
    return ok, failed


def deregister(backend: Any, tg: Any, targets: list[dict[str, Any]]) -> tuple[list, list]:
    table = state(backend).targets.setdefault(tg.id, {})
    ok, failed = [], []
    now = time.monotonic()
    for item in targets:
        ident = str(item.get("id", ""))
        port = None if tg.type == "LAMBDA" else item.get("port") or tg.config.get("port")
        current = table.get((ident, port))
        if current is None:
            failed.append({"id": ident, "port": port, "failureCode": "TargetNotFound",
                           "failureMessage": f"Target {ident}:{port} is not registered"})
            continue
        current.deregistered_at = current.deregistered_at or now
        ok.append(compact({"id": ident, "port": port}))
    return ok, failed


def _invalid(tg: Any, ident: str) -> tuple[str, str] | None:
    if tg.type == "IP":
        try:
            ipaddress.ip_address(ident)
        except ValueError:
            return "InvalidParameter", f"{ident} is not an IP address"
    elif tg.type == "INSTANCE" and not ident.startswith("i-"):
        return "InvalidParameter", f"{ident} is not an instance ID"
    elif tg.type in ("LAMBDA", "ALB") and not ident.startswith("arn:"):
        return "InvalidParameter", f"{ident} is not an ARN"
    return None


def summaries(backend: Any, tg: Any) -> list[dict[str, Any]]:
    """The targets of a group as ListTargets reports them now (drained ones purged)."""
    table = state(backend).targets.get(tg.id, {})
    now = time.monotonic()
    delay = health_delay()
    in_use = bool(service_arns_using(backend, tg.id))
    items = []
    for key, target in list(table.items()):
        if target.deregistered_at is not None and now - target.deregistered_at >= delay:
            table.pop(key, None)
            continue
        status, reason = _status(backend, tg, target, now, delay, in_use)
        items.append(compact({"id": target.id, "port": target.port,
                              "status": status, "reasonCode": reason}))
    return items


def _status(
    backend: Any, tg: Any, target: Target, now: float, delay: float, in_use: bool
) -> tuple[str, str | None]:
    if target.deregistered_at is not None:
        return "DRAINING", "DeregistrationInProgress"
    if not in_use:
        return "UNUSED", "TargetGroupNotInUse"
    if tg.type in ("LAMBDA", "ALB"):
        return "UNAVAILABLE", "HealthCheckNotSupported"
    check = tg.config.get("healthCheck") or {}
    enabled = check.get("enabled")
    if enabled is None:
        enabled = tg.config.get("protocolVersion", "HTTP1") == "HTTP1"
    if not enabled:
        return "UNAVAILABLE", "HealthCheckDisabled"
    if now - target.registered_at < delay:
        return "INITIAL", "RegistrationInProgress"
    from tui.sandbox.ecs_tasks import container_ports_for_ip

    ports = container_ports_for_ip(backend.account_id, backend.region_name, target.id)
    if ports is not None and (check.get("port") or target.port) not in ports:
        return "UNHEALTHY", "HealthCheckFailed"
    return "HEALTHY", None


# -- HTTP handlers ---------------------------------------------------------------------------
def _tg(self: Any) -> Any:
    return self.backend.get_target_group(self._get_param("targetGroupIdentifier"))


@handler
def register_targets(self: Any) -> str:
    ok, failed = register(self.backend, _tg(self), self._get_param("targets") or [])
    return json.dumps({"successful": ok, "unsuccessful": failed})


@handler
def deregister_targets(self: Any) -> str:
    ok, failed = deregister(self.backend, _tg(self), self._get_param("targets") or [])
    return json.dumps({"successful": ok, "unsuccessful": failed})


@handler
def list_targets(self: Any) -> str:
    tg = _tg(self)
    items = summaries(self.backend, tg)
    wanted = self._get_param("targets") or []
    if wanted:
        keys = {(str(w.get("id")), w.get("port")) for w in wanted}
        ids = {k[0] for k in keys if k[1] is None}
        items = [i for i in items if (i["id"], i.get("port")) in keys or i["id"] in ids]
    return listing(self, items, lambda item: item)


def target_group_dict(backend: Any, tg: Any) -> dict[str, Any]:
    return compact({
        "arn": tg.arn,
        "config": tg.config,
        "createdAt": tg.createdAt,
        "failureCode": None,
        "id": tg.id,
        "lastUpdatedAt": tg.last_updated_at,
        "name": tg.name,
        "serviceArns": service_arns_using(backend, tg.id),
        "status": tg.status,
        "type": tg.type,
    })


@handler
def get_target_group(self: Any) -> str:
    return json.dumps(target_group_dict(self.backend, _tg(self)))


@handler
def list_target_groups(self: Any) -> str:
    vpc = rid(self._get_param("vpcIdentifier"))
    kind = self._get_param("targetGroupType")
    items = [
        tg for tg in self.backend.target_groups.values()
        if (not vpc or tg.config.get("vpcIdentifier") == vpc) and (not kind or tg.type == kind)
    ]

    def render(tg: Any) -> dict[str, Any]:
        config = tg.config
        return compact({
            "arn": tg.arn, "createdAt": tg.createdAt, "id": tg.id,
            "ipAddressType": config.get("ipAddressType"),
            "lambdaEventStructureVersion": config.get("lambdaEventStructureVersion"),
            "lastUpdatedAt": tg.last_updated_at, "name": tg.name, "port": config.get("port"),
            "protocol": config.get("protocol"),
            "serviceArns": service_arns_using(self.backend, tg.id),
            "status": tg.status, "type": tg.type, "vpcIdentifier": config.get("vpcIdentifier"),
        })

    return listing(self, items, render)


def settle_all_targets() -> None:
    """Age every target past the health delay, so a freshly seeded account looks settled (as a
    real one does) instead of showing INITIAL targets until the delay passes."""
    from moto.vpclattice.models import vpclattice_backends

    for regions in vpclattice_backends.values():
        for backend in regions.values():
            st = getattr(backend, "trellis", None)
            for table in st.targets.values() if st is not None else ():
                for key, target in list(table.items()):
                    if target.deregistered_at is not None:
                        del table[key]
                    else:
                        target.registered_at = float("-inf")
