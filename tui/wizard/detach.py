"""Detach planning: remove one target group from a service's Lattice configs. Pure.

Removing the last config sends an explicit empty list (AWS ignores a missing field).
"""

from __future__ import annotations

from dataclasses import replace

from tui.wizard.arns import MalformedArn, parse
from tui.wizard.context import resolve_service
from tui.wizard.facts import Facts
from tui.wizard.issues import Code, Issue
from tui.wizard.plan import Plan, read_only_issue


def plan_detach(
    facts: Facts, cluster: str, service: str, target_group: str, *, writable: bool = True
) -> Plan:
    plan = Plan("detach")
    if not writable:
        plan.errors.append(read_only_issue("detach"))
    try:
        arn_in = parse("target group", target_group)
    except MalformedArn as exc:
        plan.errors.append(Issue(Code.MALFORMED_ARN, str(exc), step="config"))
        return plan
    ctx = resolve_service(facts, cluster, service)
    if isinstance(ctx, Issue):
        plan.errors.append(replace(ctx, step="service"))
        return plan
    plan.context = ctx
    if not ctx.current:  # before asking which one: there is none to choose
        plan.errors.append(
            Issue(
                Code.NOT_ATTACHED,
                f"service {ctx.service_name} has no VPC Lattice configuration: nothing to detach",
                step="service",
            )
        )
        return plan
    found = facts.find_target_group(target_group)
    if found is None and arn_in is None:
        plan.errors.append(
            Issue(
                Code.TG_NOT_FOUND, f"Lattice target group {target_group!r} not found", step="config"
            )
        )
        return plan
    tg_arn = found[0] if found else target_group
    attached = [c for c in ctx.current if c["targetGroupArn"] == tg_arn]
    if not attached:
        names = ", ".join(c["targetGroupArn"] for c in ctx.current) or "none"
        plan.errors.append(
            Issue(
                Code.NOT_ATTACHED,
                f"service {ctx.service_name} is not attached to target group "
                f"{target_group!r} (attached: {names})",
                step="config",
            )
        )
        return plan
    plan.target_group_arn = tg_arn
    plan.target_group = found[1] if found else None
    plan.role_arn = attached[0]["roleArn"]
    plan.desired = [c for c in ctx.current if c["targetGroupArn"] != tg_arn]
    return plan
