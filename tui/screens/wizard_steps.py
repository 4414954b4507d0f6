"""What each wizard step shows: the choices (OptionList options) and the info text."""

from __future__ import annotations

import json

from rich.text import Text
from textual.widgets.option_list import Option

from tui.wizard import checks
from tui.wizard.flow import WizardState
from tui.wizard.issues import Issue
from tui.wizard.render import plan_text


def options(state: WizardState) -> tuple[list[Option], str | None]:
    """(options, id to highlight) for the current step; [] for steps without choices."""
    step = state.step
    if step == "service":
        opts = [Option(label, id=arn) for arn, label in state.services()]
        return opts, state.service_arn or None
    if step == "port":
        opts = [Option(p.describe(), id=p.name) for p in state.ports()]
        return opts, state.port_name or None
    if step == "target_group":
        opts = []
        for c in state.target_groups():
            where = f"{c.protocol}:{c.port}" if c.port else c.protocol
            label = Text(f"{c.name}  {c.type} {where} {c.vpc}".rstrip())
            if c.compatible:
                if c.forwarded_by:
                    label.append(f"  ← {', '.join(c.forwarded_by)}", "dim")
                if c.notes:
                    label.append(f"  ! {c.notes}", "yellow")
            else:
                label.append(f"  ✗ {c.reason}", "italic")
            opts.append(Option(label, id=c.arn, disabled=not c.compatible))
        return opts, state.target_group or None
    if step == "role":
        opts = []
        for r in state.roles():
            usable = r.trusts_ecs and not r.known_lacking
            mark = "✓" if usable and r.has_permissions else ("!" if usable else "✗")
            opts.append(Option(Text(f"{mark} {r.name}  ({r.verdict})"), id=r.arn))
        return opts, state.role or None
    if step == "config":
        opts = [
            Option(
                f"{c['targetGroupArn'].rsplit('/', 1)[-1]} {_tg_name(state, c)} "
                f"port {c['portName']}",
                id=c["targetGroupArn"],
            )
            for c in state.attached()
        ]
        return opts, state.target_group or None
    return [], None


def _tg_name(state: WizardState, config: dict) -> str:
    raw = state.facts.target_groups.get(config["targetGroupArn"], {})
    return f"({raw['name']})" if raw.get("name") else ""


def info(state: WizardState) -> Text:
    """Context for the current step."""
    step = state.step
    ctx = state.context()
    if step == "service":
        if isinstance(ctx, Issue):
            return Text("Choose the ECS service (↑/↓, enter).")
        net = checks.awsvpc(ctx.raw)
        td = ctx.task_def or {}
        lines = [
            f"{ctx.cluster_name}/{ctx.service_name}: {ctx.launch_type}, "
            f"task definition {td.get('family', '?')}:{td.get('revision', '?')}",
            f"subnets {', '.join(net.get('subnets') or []) or '-'} (VPC {ctx.vpc_id or '?'}); "
            f"security groups {', '.join(net.get('securityGroups') or []) or '-'}",
            f"Lattice configs now ({len(ctx.current)}/5): "
            + (
                ", ".join(
                    f"{c['targetGroupArn'].rsplit('/', 1)[-1]}:{c['portName']}" for c in ctx.current
                )
                or "none"
            ),
        ]
        return Text("\n".join(lines))
    if step == "port":
        return Text("The task definition's named port mappings (portName = portMappings[].name).")
    if step == "target_group":
        return Text(
            "Compatible target groups first (IP, same VPC and account, not attached); "
            "incompatible ones are greyed out with the reason."
        )
    if step == "role":
        role = state.facts.find_role(state.role) if state.role else None
        verdict = ""
        if role is not None:
            ok = checks.trusts_ecs(role)
            verdict = (
                f"\n{role.name}: trust policy {'allows' if ok else 'does NOT allow'} "
                f"ecs.amazonaws.com; Lattice permissions "
                f"{'attached' if checks.has_lattice_permissions(role) else 'missing'}"
            )
        return Text(
            "The infrastructure role ECS assumes to register targets (✓ ready, "
            "! lacks the Lattice policy, ✗ does not trust ECS). Or type a name/ARN." + verdict
        )
    if step == "config":
        return Text("Pick the Lattice config to remove (removing the last sends an empty list).")
    if step == "review":
        return Text("Review: nothing has been written yet.")
    return Text("")


def review_text(state: WizardState) -> str:
    plan = state.plan()
    return plan_text(plan)


def issues_text(issues: list[Issue]) -> Text:
    text = Text()
    for issue in issues:
        text.append(f"✗ {issue.line()}\n", "bold red")
    return text


def plan_json(state: WizardState) -> str:
    return json.dumps(state.plan().request, indent=2)
