"""The wizard's state machine, without any UI: steps, answers, per-step validation. Pure.

The TUI screen only renders a step and asks ``errors(step)`` before moving on; the answers
live here, so Back keeps them. The plan is always ``plan_attach``/``plan_detach`` — the same
module the command line uses.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.wizard import checks
from tui.wizard.context import ServiceContext, resolve_service
from tui.wizard.detach import plan_detach
from tui.wizard.facts import Facts
from tui.wizard.issues import Code, Issue
from tui.wizard.plan import Plan, plan_attach
from tui.wizard.ranking import RoleChoice, TargetGroupChoice, rank_roles, rank_target_groups

ATTACH_STEPS = ("service", "port", "target_group", "role", "review", "apply")
DETACH_STEPS = ("service", "config", "review", "apply")
TITLES = {
    "service": "ECS service",
    "port": "Port",
    "target_group": "Target group",
    "role": "Role",
    "config": "Lattice config to remove",
    "review": "Review",
    "apply": "Apply and watch",
}


@dataclass
class WizardState:
    facts: Facts
    mode: str = "attach"  # attach | detach
    writable: bool = True
    why_read_only: str = ""
    service_arn: str = ""
    port_name: str = ""
    target_group: str = ""  # ARN
    role: str = ""  # ARN (or whatever was typed)
    index: int = 0

    # -- navigation ---------------------------------------------------------------------
    @property
    def steps(self) -> tuple[str, ...]:
        return ATTACH_STEPS if self.mode == "attach" else DETACH_STEPS

    @property
    def step(self) -> str:
        return self.steps[self.index]

    def next(self) -> list[Issue]:
        """Advance when the current step validates; else return its errors (stay put)."""
        problems = self.errors(self.step)
        if not problems and self.index < len(self.steps) - 1:
            self.index += 1
        return problems

    def back(self) -> None:
        self.index = max(0, self.index - 1)

    # -- choices ------------------------------------------------------------------------
    def services(self) -> list[tuple[str, str]]:
        """(service ARN, "cluster/service") of every ACTIVE ECS service, sorted."""
        out = []
        for arn, raw in self.facts.services.items():
            if raw.get("status", "ACTIVE") == "ACTIVE":
                cluster = self.facts.clusters.get(raw.get("clusterArn", ""), {})
                out.append((arn, f"{cluster.get('clusterName', '?')}/{raw.get('serviceName')}"))
        return sorted(out, key=lambda item: item[1])

    def context(self) -> ServiceContext | Issue:
        raw = self.facts.services.get(self.service_arn, {})
        return resolve_service(self.facts, raw.get("clusterArn", "?"), self.service_arn or "?")

    def ports(self) -> list[checks.PortChoice]:
        ctx = self.context()
        if isinstance(ctx, Issue) or ctx.task_def is None:
            return []
        return checks.named_ports(ctx.task_def)

    def target_groups(self) -> list[TargetGroupChoice]:
        ctx = self.context()
        if isinstance(ctx, Issue):
            return []
        port = next((p.container_port for p in self.ports() if p.name == self.port_name), None)
        return rank_target_groups(self.facts, ctx, port)

    def roles(self) -> list[RoleChoice]:
        return rank_roles(self.facts)

    def attached(self) -> list[dict[str, str]]:
        ctx = self.context()
        return [] if isinstance(ctx, Issue) else list(ctx.current)

    # -- validation ---------------------------------------------------------------------
    def plan(self) -> Plan:
        raw = self.facts.services.get(self.service_arn, {})
        cluster = raw.get("clusterArn", "") or "?"
        service = self.service_arn or "?"
        if self.mode == "detach":
            return plan_detach(self.facts, cluster, service, self.target_group or "?")
        return plan_attach(
            self.facts,
            cluster,
            service,
            self.target_group or "?",
            self.port_name or None,
            self.role or "?",
        )

    def errors(self, step: str) -> list[Issue]:
        """What blocks ``step``: the plan's errors of that step (all of them from review on)."""
        if not self.service_arn:
            return [Issue(Code.SERVICE_NOT_FOUND, "choose an ECS service", step="service")]
        order = self.steps
        upto = order[: order.index(step) + 1]
        errors = self.plan().errors
        if step in ("review", "apply"):
            return errors
        return [e for e in errors if e.step in upto and e.step]

    def preselect(self, node_id: str | None, kind: str | None) -> None:
        """Pre-fill from the explorer's selected node (an ECS service or a target group)."""
        if not node_id:
            return
        if kind == "ecs_service" and node_id in self.facts.services:
            self.service_arn = node_id
        elif kind == "target_group" and node_id in self.facts.target_groups:
            self.target_group = node_id
        if self.mode == "attach" and self.service_arn and not self.port_name:
            ports = self.ports()
            if len(ports) == 1:
                self.port_name = ports[0].name
