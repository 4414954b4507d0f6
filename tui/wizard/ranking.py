"""Choices for the wizard: target groups (compatible first) and roles (trusting ECS first). Pure."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tui.wizard import checks
from tui.wizard.arns import account_of
from tui.wizard.facts import Facts
from tui.wizard.issues import Code

if TYPE_CHECKING:
    from tui.wizard.plan import ServiceContext

Raw = dict[str, Any]
MAX_TARGET_GROUPS = 5


def target_group_problems(
    facts: Facts, ctx: ServiceContext, arn: str, raw: Raw
) -> list[tuple[Code, str]]:
    """Why ``raw`` cannot take this service's tasks as targets (empty = compatible)."""
    problems: list[tuple[Code, str]] = []
    tg_type = raw.get("type", "")
    if tg_type != "IP":
        problems.append(
            (
                Code.TG_NOT_IP,
                f"type {tg_type or 'unknown'}, ECS registers tasks only into IP target groups",
            )
        )
    status = raw.get("status", "ACTIVE")
    if status != "ACTIVE":
        problems.append((Code.TG_NOT_ACTIVE, f"status {status}, not ACTIVE"))
    tg_account = account_of(arn) or facts.account
    if tg_account and ctx.account and tg_account != ctx.account:
        problems.append(
            (Code.OTHER_ACCOUNT, f"in account {tg_account}, the service in {ctx.account}")
        )
    vpc = (raw.get("config") or {}).get("vpcIdentifier")
    if vpc and ctx.vpc_id and vpc != ctx.vpc_id:
        problems.append((Code.VPC_MISMATCH, f"in {vpc}, the service's subnets are in {ctx.vpc_id}"))
    if any(c["targetGroupArn"] == arn for c in ctx.current):
        problems.append((Code.ALREADY_ATTACHED, f"already attached to {ctx.service_name}"))
    elif len(ctx.current) >= MAX_TARGET_GROUPS:
        problems.append(
            (
                Code.TOO_MANY_TARGET_GROUPS,
                f"{ctx.service_name} already has "
                f"{len(ctx.current)} target groups (ECS allows at most "
                f"{MAX_TARGET_GROUPS})",
            )
        )
    return problems


@dataclass(frozen=True)
class TargetGroupChoice:
    arn: str
    name: str
    type: str
    vpc: str
    protocol: str
    port: int | None
    compatible: bool
    reason: str
    forwarded_by: list[str] = field(default_factory=list)
    used_by: list[str] = field(default_factory=list)  # other ECS services attached to it

    @property
    def notes(self) -> str:
        """Why a compatible group may still be the wrong one (shared, unused, other port)."""
        notes = []
        if self.used_by:
            notes.append(f"shared with {', '.join(self.used_by)}")
        if not self.forwarded_by:
            notes.append("no listener/rule forwards here")
        return "; ".join(notes)


def services_using(facts: Facts, exclude: str = "") -> dict[str, list[str]]:
    """Target group ARN -> names of the ECS services (other than ``exclude``) attached to it."""
    used: dict[str, list[str]] = {}
    for arn, raw in facts.services.items():
        if arn == exclude or raw.get("status") == "INACTIVE":
            continue
        for config in checks.current_configs(raw):
            used.setdefault(config["targetGroupArn"], []).append(str(raw.get("serviceName")))
    return used


def rank_target_groups(
    facts: Facts, ctx: ServiceContext, container_port: int | None = None
) -> list[TargetGroupChoice]:
    """Compatible first; among them unshared, same port, named like the service, forwarded."""
    used = services_using(facts, exclude=ctx.service_arn)
    out = []
    for arn, raw in facts.target_groups.items():
        problems = target_group_problems(facts, ctx, arn, raw)
        config = raw.get("config") or {}
        out.append(
            TargetGroupChoice(
                arn=arn,
                name=raw.get("name", arn),
                type=raw.get("type", ""),
                vpc=config.get("vpcIdentifier", ""),
                protocol=config.get("protocol", ""),
                port=config.get("port"),
                compatible=not problems,
                reason="; ".join(reason for _, reason in problems),
                forwarded_by=sorted(facts.forwarders.get(arn, [])),
                used_by=sorted(used.get(arn, [])),
            )
        )

    def key(c: TargetGroupChoice) -> tuple:
        return (
            not c.compatible,
            bool(c.used_by),
            container_port is not None and c.port != container_port,
            ctx.service_name.lower() not in c.name.lower(),
            not c.forwarded_by,
            c.name,
        )

    return sorted(out, key=key)


@dataclass(frozen=True)
class RoleChoice:
    arn: str
    name: str
    trusts_ecs: bool
    has_permissions: bool
    known_lacking: bool = False  # every policy was read and none grants the Lattice actions

    @property
    def verdict(self) -> str:
        if not self.trusts_ecs:
            return "does not trust ecs.amazonaws.com"
        if self.known_lacking:
            return f"trusts ecs.amazonaws.com; lacks {checks.LATTICE_POLICY}: cannot be used"
        if not self.has_permissions:
            return (
                f"trusts ecs.amazonaws.com; {checks.LATTICE_POLICY} not found "
                "(other policies could not be read)"
            )
        return f"trusts ecs.amazonaws.com; has {checks.LATTICE_POLICY} (or equivalent)"


def rank_roles(facts: Facts) -> list[RoleChoice]:
    out = []
    for role in facts.roles.values():
        grants = checks.has_lattice_permissions(role)
        out.append(
            RoleChoice(
                role.arn, role.name, checks.trusts_ecs(role), grants, role.fully_read and not grants
            )
        )
    return sorted(
        out, key=lambda r: (not r.trusts_ecs, r.known_lacking, not r.has_permissions, r.name)
    )
