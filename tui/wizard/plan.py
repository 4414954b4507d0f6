"""Attach/detach planning: resolve inputs, validate every rule, build the UpdateService request.

PURE: no SDK, no UI. Both front ends (``trellis attach/detach`` and the TUI wizard) call
``plan_attach`` (here) / ``plan_detach`` (detach.py) on Facts and act only when ``plan.ok``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any

from tui.wizard import checks
from tui.wizard.arns import MalformedArn, parse
from tui.wizard.context import ServiceContext, basis_of, resolve_service
from tui.wizard.facts import Facts
from tui.wizard.issues import Code, Issue
from tui.wizard.ranking import services_using, target_group_problems

Raw = dict[str, Any]


@dataclass
class Plan:
    action: str  # "attach" | "detach"
    context: ServiceContext | None = None
    target_group_arn: str = ""
    target_group: Raw | None = None
    port: checks.PortChoice | None = None
    role_arn: str = ""
    desired: list[Raw] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def current(self) -> list[Raw]:
        return self.context.current if self.context else []

    @property
    def request(self) -> Raw | None:
        """The exact UpdateService parameters (an explicit [] removes the last config)."""
        if self.context is None:
            return None
        return {
            "cluster": self.context.cluster_arn,
            "service": self.context.service_name,
            "vpcLatticeConfigurations": [dict(c) for c in self.desired],
        }

    def request_json(self) -> str:
        return json.dumps(self.request, indent=2)

    @property
    def basis(self) -> Raw:
        return basis_of(self.context.raw) if self.context else {}

    def diff(self) -> list[str]:
        """Unified-diff-like lines of vpcLatticeConfigurations: current → desired."""
        before = [json.dumps(c, sort_keys=True) for c in self.current]
        after = [json.dumps(c, sort_keys=True) for c in self.desired]
        lines = [f"- {c}" for c in before if c not in after]
        lines += [f"  {c}" for c in before if c in after]
        lines += [f"+ {c}" for c in after if c not in before]
        return lines


# -- attach -------------------------------------------------------------------------------
def read_only_issue(action: str) -> Issue:
    return Issue(
        Code.READ_ONLY,
        f"read-only mode: {action} would change the service",
        "run without --read-only (and not from a snapshot)",
    )


def plan_attach(
    facts: Facts,
    cluster: str,
    service: str,
    target_group: str,
    port_name: str | None,
    role: str,
    *,
    writable: bool = True,
) -> Plan:
    plan = Plan("attach")
    if not writable:
        plan.errors.append(read_only_issue("attach"))
    for kind, value, step in (
        ("target group", target_group, "target_group"),
        ("role", role, "role"),
    ):
        try:
            parse(kind, value)
        except MalformedArn as exc:
            plan.errors.append(Issue(Code.MALFORMED_ARN, str(exc), step=step))
            return plan
    ctx = resolve_service(facts, cluster, service)
    if isinstance(ctx, Issue):
        plan.errors.append(replace(ctx, step="service"))
        return plan
    plan.context = ctx
    if ctx.raw.get("launchType") == "EXTERNAL":
        plan.errors.append(
            Issue(
                Code.EXTERNAL_LAUNCH_TYPE,
                f"service {ctx.service_name} uses the EXTERNAL launch type, "
                "which VPC Lattice does not support",
                step="service",
            )
        )
        return plan
    for step, check in (
        ("target_group", lambda: _check_target_group(plan, facts, ctx, target_group)),
        ("port", lambda: _check_port(plan, ctx, port_name)),
        ("role", lambda: _check_role(plan, facts, ctx, role)),
    ):
        before = len(plan.errors)
        check()
        plan.errors[before:] = [replace(e, step=step) for e in plan.errors[before:]]
    if plan.errors:
        return plan
    plan.desired = ctx.current + [
        {
            "roleArn": plan.role_arn,
            "targetGroupArn": plan.target_group_arn,
            "portName": plan.port.name if plan.port else "",
        }
    ]
    _warn(plan, facts, ctx)
    return plan


def _check_target_group(plan: Plan, facts: Facts, ctx: ServiceContext, ident: str) -> None:
    arn_in = parse("target group", ident)
    if arn_in and arn_in.account != ctx.account:
        plan.errors.append(
            Issue(
                Code.OTHER_ACCOUNT,
                f"target group {ident} is in account {arn_in.account}, "
                f"the service in {ctx.account}: ECS needs the same account",
            )
        )
        return
    found = facts.find_target_group(ident)
    if found is None:
        plan.errors.append(
            Issue(
                Code.TG_NOT_FOUND,
                f"Lattice target group {ident!r} not found",
                "trellis attaches to an existing target group; create it first",
            )
        )
        return
    plan.target_group_arn, plan.target_group = found
    for code, reason in target_group_problems(facts, ctx, *found):
        plan.errors.append(Issue(code, f"target group {found[1].get('name', ident)}: {reason}"))


def _check_port(plan: Plan, ctx: ServiceContext, port_name: str | None) -> None:
    if ctx.task_def is None:
        plan.errors.append(
            Issue(
                Code.TASK_DEFINITION_NOT_FOUND,
                f"task definition {ctx.raw.get('taskDefinition')} could not be read",
            )
        )
        return
    named = checks.named_ports(ctx.task_def)
    family = f"{ctx.task_def.get('family')}:{ctx.task_def.get('revision')}"
    if not named:
        tg_port = (plan.target_group or {}).get("config", {}).get("port")
        container, entry = checks.suggested_port_mapping(ctx.task_def, tg_port)
        plan.errors.append(
            Issue(
                Code.NO_NAMED_PORTS,
                f"task definition {family} has no named port mappings; add to container "
                f"{container!r} portMappings: {json.dumps(entry)}",
                "register a new task definition revision with that entry, then update the service",
            )
        )
        return
    if not port_name:
        if len(named) == 1:
            plan.port = named[0]
            return
        names = ", ".join(p.name for p in named)
        plan.errors.append(Issue(Code.PORT_NOT_FOUND, f"choose a port name: {names}"))
        return
    match = [p for p in named if p.name == port_name]
    if not match:
        names = ", ".join(p.name for p in named)
        plan.errors.append(
            Issue(
                Code.PORT_NOT_FOUND,
                f"port name {port_name!r} is not in task definition {family} "
                f"(named ports: {names})",
            )
        )
        return
    plan.port = match[0]


def _check_role(plan: Plan, facts: Facts, ctx: ServiceContext, ident: str) -> None:
    arn_in = parse("role", ident)
    if arn_in and arn_in.account != ctx.account:
        plan.errors.append(
            Issue(
                Code.OTHER_ACCOUNT,
                f"role {ident} is in account {arn_in.account}, the service in "
                f"{ctx.account}: use a role of the service's account",
            )
        )
        return
    role = facts.find_role(ident)
    if role is None:
        plan.errors.append(Issue(Code.ROLE_NOT_FOUND, f"IAM role {ident!r} not found"))
        return
    plan.role_arn = role.arn
    if not checks.trusts_ecs(role):
        plan.errors.append(
            Issue(
                Code.ROLE_NOT_TRUSTED,
                f"role {role.name} does not trust ecs.amazonaws.com",
                'add {"Effect":"Allow","Principal":{"Service":"ecs.amazonaws.com"},'
                '"Action":"sts:AssumeRole"} to its trust policy',
            )
        )
        return
    if not checks.has_lattice_permissions(role):
        # Known to lack them: ECS could not register the tasks, the rollout would fail.
        # Not fully read (another AWS-managed policy, a denied IAM call): only a warning.
        known = role.fully_read
        (plan.errors if known else plan.warnings).append(
            Issue(
                Code.ROLE_NO_LATTICE_POLICY,
                f"role {role.name} lacks {checks.LATTICE_POLICY} (or "
                "vpc-lattice:RegisterTargets/DeregisterTargets)"
                + ("" if known else " as far as trellis could read its policies"),
                f"attach arn:aws:iam::aws:policy/{checks.LATTICE_POLICY}",
            )
        )


def _warn(plan: Plan, facts: Facts, ctx: ServiceContext) -> None:
    port = plan.port.container_port if plan.port else None
    tg = plan.target_group or {}
    if ctx.vpc_id is None:
        plan.warnings.append(
            Issue(Code.VPC_UNKNOWN, "could not read the service's subnets: VPC match unverified")
        )
    shared = services_using(facts, exclude=ctx.service_arn).get(plan.target_group_arn)
    if shared:
        plan.warnings.append(
            Issue(
                Code.TG_SHARED,
                f"target group {tg.get('name', '')} already has the tasks of "
                f"{', '.join(sorted(shared))}: its traffic will be split with them",
                "pick the target group made for this service, unless sharing is intended",
            )
        )
    groups = [facts.security_groups[g] for g in ctx.security_groups if g in facts.security_groups]
    if groups and not checks.sg_allows_lattice(groups, facts.lattice_prefix_list(), port):
        plan.warnings.append(
            Issue(
                Code.SG_NO_LATTICE_INGRESS,
                f"the tasks' security groups ({', '.join(ctx.security_groups)}) do not allow "
                f"ingress from the vpc-lattice prefix list on port {port}: health checks will fail",
                f"add an inbound rule tcp/{port} from prefix list "
                f"{facts.lattice_prefix_list() or 'com.amazonaws.<region>.vpc-lattice'}",
            )
        )
    hc_port = checks.health_check_port(tg)
    if hc_port is not None and port is not None and hc_port != port:
        plan.warnings.append(
            Issue(
                Code.HEALTH_CHECK_PORT,
                f"target group health check uses port {hc_port}, the container listens on {port}",
                "change the health check port",
            )
        )
    used = facts.forwarders.get(plan.target_group_arn)
    # GetTargetGroup lists the Lattice services using the group (omitted when none).
    known = facts.forwarders_known or "config" in tg
    if known and not used and not tg.get("serviceArns"):
        plan.warnings.append(
            Issue(
                Code.TG_NOT_FORWARDED,
                "no Lattice listener or rule forwards to this target group: "
                "its targets will stay UNUSED",
                "add it to a listener's default action or a rule",
            )
        )
