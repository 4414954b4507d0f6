"""Watch an applied plan: the PRIMARY deployment and the target group's targets, as events.

``watch(factory, plan)`` is an async iterator of WatchEvent (every ``interval`` seconds) that
ends with one event whose ``done`` is set and whose ``verdict`` is healthy / deregistered /
failed / timeout, with the likely cause. It only reads: cancelling it never undoes anything.
Reads: DescribeServices, ListTasks + DescribeTasks (the service's RUNNING task IPs), ListTargets.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tui.aws.clients import ClientFactory
from tui.aws.context import clean
from tui.wizard.checks import primary_deployment
from tui.wizard.plan import Plan

DEFAULT_TIMEOUT = 600.0
DEFAULT_INTERVAL = 2.0
CLOCK_SKEW = 2.0  # s: without a deployment time, events a little before our clock count
OK_VERDICTS = ("healthy", "deregistered")


@dataclass
class WatchEvent:
    elapsed: float
    rollout_state: str = ""
    running: int = 0
    desired: int = 0
    task_ips: list[str] = field(default_factory=list)
    targets: dict[str, str] = field(default_factory=dict)  # task IP -> target status
    new_events: list[str] = field(default_factory=list)  # service events since the last poll
    done: bool = False
    verdict: str = ""  # healthy | deregistered | failed | timeout
    cause: str = ""
    raw_targets: list[dict[str, Any]] = field(default_factory=list)
    service: dict[str, Any] = field(default_factory=dict)
    tasks: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.verdict in OK_VERDICTS

    def count(self, status: str) -> int:
        return sum(1 for s in self.targets.values() if s == status)

    def line(self) -> str:
        counts = ", ".join(
            f"{n} {s}"
            for s in ("HEALTHY", "INITIAL", "UNHEALTHY", "UNUSED", "UNAVAILABLE", "DRAINING")
            if (n := self.count(s))
        )
        return (
            f"[{self.elapsed:5.0f}s] rollout {self.rollout_state or '?'}, tasks "
            f"{self.running}/{self.desired}, task targets: {counts or 'none'}"
        )


def task_ip(task: dict[str, Any]) -> str | None:
    for att in task.get("attachments") or []:
        for detail in att.get("details") or []:
            if detail.get("name") == "privateIPv4Address":
                return detail.get("value")
    for container in task.get("containers") or []:
        for ni in container.get("networkInterfaces") or []:
            if ni.get("privateIpv4Address"):
                return ni["privateIpv4Address"]
    return None


def _epoch(value: Any) -> float | None:
    if isinstance(value, datetime):
        return value.timestamp()
    if isinstance(value, str) and value:
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
        except ValueError:
            return None
    return None


def events_since(service: dict[str, Any]) -> float:
    """When the change began, on AWS's clock: the PRIMARY deployment (the one the change
    made) was created then. Without it, our clock less a little skew."""
    created = _epoch(primary_deployment(service).get("createdAt"))
    return created - 1.0 if created is not None else time.time() - CLOCK_SKEW


def fresh_events(events: list[dict[str, Any]], seen: set[str], since: float) -> list[str]:
    """Messages of the service events not shown yet and not older than the watch, oldest
    first (ECS lists newest first and keeps the old ones). Updates ``seen``. Pure."""
    fresh = []
    for event in events:
        created = _epoch(event.get("createdAt"))
        ident = str(event.get("id") or f"{event.get('createdAt')}|{event.get('message')}")
        if ident in seen or (created is not None and created < since):
            continue
        seen.add(ident)
        fresh.append(str(event.get("message", "")))
    return list(reversed(fresh))


def judge(plan: Plan, ev: WatchEvent) -> tuple[str, str]:
    """(verdict, cause) once the watch can end, else ("", ""). Pure."""
    if plan.action == "detach":
        left = [ip for ip, s in ev.targets.items() if s != "DRAINING"]
        return ("deregistered", "") if not left else ("", "")
    if ev.rollout_state == "FAILED":
        return "failed", likely_cause(ev)
    ips = ev.task_ips
    if (
        ev.desired
        and ev.running >= ev.desired
        and ips
        and all(ev.targets.get(ip) == "HEALTHY" for ip in ips)
    ):
        return "healthy", ""
    return "", ""


def likely_cause(ev: WatchEvent) -> str:
    """The most probable reason the task targets are not HEALTHY. Pure."""
    reasons = {t.get("reasonCode") for t in ev.raw_targets if t.get("id") in ev.targets}
    if not ev.running:
        return "no task is RUNNING: the tasks fail to start (see the service events)"
    if not ev.targets:
        return (
            "ECS registered no task IP in the target group: check the role "
            "(trusts ecs.amazonaws.com, has vpc-lattice:RegisterTargets) and the events"
        )
    if ev.count("UNUSED") or "TargetGroupNotInUse" in reasons:
        return (
            "targets are UNUSED: no Lattice listener or rule forwards to this target "
            "group; add it to a listener's default action or a rule"
        )
    if ev.count("UNHEALTHY"):
        return (
            "health checks fail: check the health-check port/path against the container "
            "port, and that the tasks' security groups allow the vpc-lattice prefix list"
        )
    if ev.count("UNAVAILABLE"):
        return "targets are UNAVAILABLE: the target group's health check is disabled/unsupported"
    if ev.count("INITIAL"):
        return "targets are still INITIAL: registration or the first health checks are slow"
    return "tasks are still rolling out"


async def _poll(ecs: Any, lattice: Any, plan: Plan) -> WatchEvent:
    ctx = plan.context
    resp = clean(await ecs.describe_services(cluster=ctx.cluster_arn, services=[ctx.service_arn]))
    service = (resp.get("services") or [{}])[0]
    dep = primary_deployment(service)
    arns: list[str] = []
    paginator = ecs.get_paginator("list_tasks")
    async for page in paginator.paginate(
        cluster=ctx.cluster_arn, serviceName=ctx.service_name, desiredStatus="RUNNING"
    ):
        arns.extend(page.get("taskArns", []))
    tasks: list[dict[str, Any]] = []
    for i in range(0, len(arns), 100):
        got = await ecs.describe_tasks(cluster=ctx.cluster_arn, tasks=arns[i : i + 100])
        tasks.extend(clean(got).get("tasks", []))
    group = f"service:{ctx.service_name}"
    tasks = [t for t in tasks if t.get("group") == group and t.get("lastStatus") == "RUNNING"]
    ips = sorted(ip for ip in (task_ip(t) for t in tasks) if ip)
    raw_targets: list[dict[str, Any]] = []
    paginator = lattice.get_paginator("list_targets")
    async for page in paginator.paginate(targetGroupIdentifier=plan.target_group_arn):
        raw_targets.extend(page.get("items", []))
    by_ip = {t.get("id"): t.get("status", "") for t in raw_targets}
    return WatchEvent(
        elapsed=0.0,
        rollout_state=dep.get("rolloutState", ""),
        running=int(dep.get("runningCount", service.get("runningCount", 0)) or 0),
        desired=int(dep.get("desiredCount", service.get("desiredCount", 0)) or 0),
        task_ips=ips,
        targets={ip: by_ip[ip] for ip in ips if ip in by_ip}
        if plan.action == "attach"
        else {ip: by_ip[ip] for ip in by_ip if ip in ips or not ips},
        raw_targets=raw_targets,
        service=service,
        tasks=tasks,
    )


async def watch(
    factory: ClientFactory,
    plan: Plan,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    interval: float = DEFAULT_INTERVAL,
) -> AsyncIterator[WatchEvent]:
    """Yield progress until the verdict (the last event has ``done=True``)."""
    start = time.monotonic()
    since: float | None = None
    seen_events: set[str] = set()
    async with factory.client("ecs") as ecs, factory.client("vpc-lattice") as lattice:
        while True:
            ev = await _poll(ecs, lattice, plan)
            ev.elapsed = time.monotonic() - start
            if since is None:  # events stamped by AWS's clock: compare with AWS's own time
                since = events_since(ev.service)
            ev.new_events = fresh_events(ev.service.get("events") or [], seen_events, since)
            verdict, cause = judge(plan, ev)
            if not verdict and ev.elapsed >= timeout:
                verdict, cause = "timeout", likely_cause(ev)
            if verdict:
                ev.done, ev.verdict, ev.cause = True, verdict, cause
                yield ev
                return
            yield ev
            await asyncio.sleep(interval)
