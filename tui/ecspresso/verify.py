"""Verify a planned ecspresso service: doctor findings about it and a verdict per Lattice config.

``verify_plan(plan)`` runs the doctor's per-service check (tui.doctor.check_ecs_service) on the
planned graph, adds the checks only a plan needs (cluster / subnet / security group that does
not exist) and drops findings about today's runtime state that the deploy replaces
(``tg-empty`` on the planned target groups: ECS registers the new tasks itself).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from tui.ecspresso.plan import Plan
from tui.ecspresso.project import LatticeConfig
from tui.model.kinds import NodeKind

# Findings about the current runtime state that the deploy itself changes.
_RUNTIME_ONLY = {"tg-empty", "ecs-tasks-not-registered", "ecs-rollout-failed"}


@dataclass(frozen=True)
class Verdict:
    config: LatticeConfig
    label: str
    status: str  # "OK", "WARN", "FAIL"
    rules: tuple[str, ...] = ()

    @property
    def line(self) -> str:
        if self.status == "OK":
            return f"{self.label}: OK"
        return f"{self.label}: {self.status}: {', '.join(self.rules)}"

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.config.to_api(),
            "label": self.label,
            "verdict": self.status,
            "rules": list(self.rules),
        }


@dataclass
class Report:
    plan: Plan
    findings: list[Any]
    verdicts: list[Verdict] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(f.severity == "error" for f in self.findings)


def _finding(rule: str, severity: str, node: str, message: str, evidence: Any, fix: str) -> Any:
    from tui.doctor.findings import Finding

    return Finding(rule, severity, node, message, evidence, fix)


def _missing(g: nx.MultiDiGraph, node: str) -> bool:
    return node not in g or bool(g.nodes[node].get("missing"))


def plan_checks(plan: Plan) -> list[Any]:
    """What only a plan can get wrong: references to things that do not exist."""
    g, svc, out = plan.graph, plan.service_id, []
    raw = g.nodes[svc].get("raw", {}) if svc in g else {}
    if _missing(g, plan.cluster_id):
        name = plan.cluster_id.rsplit("/", 1)[-1]
        out.append(
            _finding(
                "ecspresso-cluster-missing",
                "error",
                plan.cluster_id,
                f"ECS cluster {name} does not exist in {plan.account}/{plan.region}",
                {"cluster": plan.cluster_id},
                f"create it (aws ecs create-cluster --cluster-name {name}) or fix 'cluster' in "
                "ecspresso.yml",
            )
        )
    net = (raw.get("networkConfiguration") or {}).get("awsvpcConfiguration") or {}
    for key, kind, etype in (
        ("subnets", NodeKind.SUBNET, "subnet"),
        ("securityGroups", NodeKind.SECURITY_GROUP, "security-group"),
    ):
        known = {
            str(d.get("raw", {}).get("SubnetId" if etype == "subnet" else "GroupId"))
            for _, d in g.nodes(data=True)
            if d.get("kind") == kind and not d.get("missing")
        }
        for ident in net.get(key) or []:
            if ident not in known and not (ident.startswith("arn:") and not _missing(g, ident)):
                out.append(
                    _finding(
                        f"ecspresso-{etype}-missing",
                        "error",
                        svc,
                        f"{etype} {ident} in networkConfiguration does not exist",
                        {key: net.get(key)},
                        f"fix networkConfiguration.awsvpcConfiguration.{key} in the service "
                        "definition",
                    )
                )
    if not plan.configs:
        out.append(
            _finding(
                "ecspresso-no-lattice",
                "info",
                svc,
                "the service definition has no vpcLatticeConfigurations: nothing reaches Lattice",
                {},
                "add vpcLatticeConfigurations [{portName, roleArn, targetGroupArn}]",
            )
        )
    return out


def select_findings(plan: Plan, findings: Iterable[Any]) -> list[Any]:
    """Drop findings about today's runtime state that the deploy itself replaces."""
    planned_tgs = {c.target_group_arn for c in plan.configs}
    out, seen = [], set()
    for f in findings:
        if f.rule in _RUNTIME_ONLY and (f.node in planned_tgs or f.node == plan.service_id):
            continue
        key = (f.rule, f.node, f.message)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def _text(f: Any) -> str:
    return f"{f.message} {json.dumps(f.evidence, default=str)}"


def _concerns(f: Any, cfg: LatticeConfig, plan: Plan) -> bool:
    if f.node == cfg.target_group_arn:
        return True
    if f.node == cfg.role_arn:
        return True
    if f.node in {c.target_group_arn for c in plan.configs} | {c.role_arn for c in plan.configs}:
        return False
    text = _text(f)
    tg_id = cfg.target_group_arn.rsplit("/", 1)[-1]
    mine = cfg.target_group_arn in text or tg_id in text
    others = [
        c
        for c in plan.configs
        if c.target_group_arn != cfg.target_group_arn
        and (c.target_group_arn in text or c.target_group_arn.rsplit("/", 1)[-1] in text)
    ]
    # Names this config's group, or no group at all (service-wide: network, ECR, ...).
    return mine or not others


def label_for(plan: Plan, cfg: LatticeConfig) -> str:
    tg = cfg.target_group_arn
    tg_id = tg.rsplit("/", 1)[-1]
    name = plan.graph.nodes[tg].get("name") if tg in plan.graph else None
    shown = f"{name} ({tg_id})" if name and name != tg_id else tg_id
    return f"{cfg.port_name} → {shown}"


def verdicts(plan: Plan, findings: list[Any]) -> list[Verdict]:
    out = []
    for cfg in plan.configs:
        mine = [f for f in findings if _concerns(f, cfg, plan)]
        errors = list(dict.fromkeys(f.rule for f in mine if f.severity == "error"))
        warnings = list(dict.fromkeys(f.rule for f in mine if f.severity == "warning"))
        if errors:
            status, rules = "FAIL", errors
        elif warnings:
            status, rules = "WARN", warnings
        else:
            status, rules = "OK", []
        out.append(Verdict(cfg, label_for(plan, cfg), status, tuple(rules)))
    return out


def _check(graph: nx.MultiDiGraph, service_id: str) -> list[Any]:
    from tui.doctor import check_ecs_service

    return list(check_ecs_service(graph, service_id))


def verify_plan(
    plan: Plan, doctor: Callable[[nx.MultiDiGraph, str], list[Any]] | None = None
) -> Report:
    """Findings about the planned service (sorted like the doctor) and per-config verdicts.

    ``doctor(graph, service_id)`` defaults to tui.doctor.check_ecs_service: the ECS <-> Lattice,
    security-group, ECR rules on the service plus the target-group rules (health check,
    unused, ...) on the groups it attaches to.
    """
    found = (doctor or _check)(plan.graph, plan.service_id)
    findings = plan_checks(plan) + select_findings(plan, found)
    findings.sort(key=lambda f: f.sort_key())
    return Report(plan, findings, verdicts(plan, findings))
