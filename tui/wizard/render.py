"""Text renderings of a plan shared by the CLI and the TUI: summary, request, ecspresso snippets."""

from __future__ import annotations

import json
from typing import Any

from tui.wizard import checks
from tui.wizard.plan import Plan


def service_def_snippet(plan: Plan) -> str:
    """The ecspresso service-definition lines (ecs-service-def.json) after the change."""
    return json.dumps({"vpcLatticeConfigurations": plan.desired}, indent=2)


def task_def_snippet(plan: Plan) -> str:
    """The ecspresso task-definition portMappings entry (ecs-task-def.json) the config relies on."""
    if plan.port is None:
        return ""
    port = plan.port
    entry: dict[str, Any] = {"name": port.name, "containerPort": port.container_port}
    if (
        plan.context
        and plan.context.task_def
        and plan.context.task_def.get("networkMode") == "awsvpc"
    ):
        entry["hostPort"] = port.container_port
    entry["protocol"] = port.protocol
    if port.app_protocol:
        entry["appProtocol"] = port.app_protocol
    return json.dumps(
        {"containerDefinitions": [{"name": port.container, "portMappings": [entry]}]}, indent=2
    )


def summary_lines(plan: Plan) -> list[str]:
    """What will happen, in a few human lines (no request JSON)."""
    ctx = plan.context
    if ctx is None:
        return [f"{plan.action}: nothing resolved"]
    lines = [
        f"{plan.action} ECS service {ctx.service_name} (cluster {ctx.cluster_name}, "
        f"{checks.launch_type(ctx.raw)}, VPC {ctx.vpc_id or '?'})",
    ]
    tg = plan.target_group or {}
    tg_name = tg.get("name") or plan.target_group_arn
    if plan.action == "attach":
        port = plan.port.describe() if plan.port else "?"
        lines.append(f"  target group {tg_name} ({tg.get('type', '?')}) via port {port}")
        lines.append(f"  role {plan.role_arn}")
    else:
        lines.append(f"  target group {tg_name}: its targets will be deregistered")
    lines.append(f"  Lattice configs: {len(plan.current)} now → {len(plan.desired)} after (max 5)")
    return lines


def plan_text(plan: Plan, *, snippets: bool = True) -> str:
    """Summary, diff, warnings, the UpdateService request and the ecspresso snippets."""
    out = summary_lines(plan)
    if plan.errors:
        out += ["", "errors:"] + [f"  ✗ {e.line()}" for e in plan.errors]
        return "\n".join(out)
    out += ["", "diff (vpcLatticeConfigurations):"] + [f"  {d}" for d in plan.diff()]
    if plan.warnings:
        out += ["", "warnings (do not block):"] + [f"  ! {w.line()}" for w in plan.warnings]
    out += ["", "UpdateService request:", plan.request_json()]
    if snippets:
        out += ["", "ecspresso ecs-service-def.json:", service_def_snippet(plan)]
        task = task_def_snippet(plan)
        if task:
            out += ["", "ecspresso ecs-task-def.json (portMappings):", task]
    return "\n".join(out)


def plan_json(plan: Plan) -> dict[str, Any]:
    return {
        "action": plan.action,
        "ok": plan.ok,
        "errors": [e.to_dict() for e in plan.errors],
        "warnings": [w.to_dict() for w in plan.warnings],
        "request": plan.request if plan.ok else None,
        "diff": plan.diff(),
    }
