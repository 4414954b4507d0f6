"""Run the registered rules over a graph (all of it, one node, or one ECS service)."""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from tui.doctor import ecr, ecs, ecs_role, lattice_network, lattice_routing, lattice_targets
from tui.doctor import network as network_rules
from tui.doctor.findings import REGISTRY, Finding, Rule, at_least
from tui.doctor.view import View
from tui.model.kinds import EdgeKind, NodeKind

# Importing the rule modules registers their rules.
_RULE_MODULES = (
    lattice_network,
    lattice_routing,
    lattice_targets,
    ecs,
    ecs_role,
    network_rules,
    ecr,
)


class UnknownRule(ValueError):
    """A rule id that is not registered."""


def rule_ids() -> list[str]:
    return sorted(REGISTRY)


def _select(rules: Iterable[str] | None) -> list[Rule]:
    if rules is None:
        return [REGISTRY[r] for r in sorted(REGISTRY)]
    wanted = list(dict.fromkeys(rules))
    unknown = [r for r in wanted if r not in REGISTRY]
    if unknown:
        raise UnknownRule(
            f"unknown rule id {', '.join(unknown)} (known: {', '.join(sorted(REGISTRY))})"
        )
    return [REGISTRY[r] for r in wanted]


def _blocked(r: Rule, v: View) -> list[str]:
    return [f"{k} not loaded ({v.incomplete[k]})" for k in r.needs if k in v.incomplete]


def _apply(r: Rule, v: View, node: str) -> list[Finding]:
    if not r.include_missing and not v.exists(node):
        return []
    failed = v.resource_errors(node, r.needs)
    if failed:  # e.g. ListTargets failed for this target group: do not judge it
        return [Finding(r.id, "info", node, f"could not check: {'; '.join(failed)}")]
    return [
        Finding(
            r.id, hit.severity or r.severity, hit.node or node, hit.message, hit.evidence, hit.fix
        )
        for hit in r.func(v, node)
    ]


def _finish(findings: Iterable[Finding], min_severity: str | None) -> list[Finding]:
    unique = {f.identity(): f for f in findings if at_least(f.severity, min_severity)}
    return sorted(unique.values(), key=Finding.sort_key)


def run_doctor(
    graph: nx.MultiDiGraph, rules: Iterable[str] | None = None, min_severity: str | None = None
) -> list[Finding]:
    """All findings, sorted by severity, rule, node. Raises UnknownRule for a bad rule id.

    A rule whose input kinds failed to load does not judge: it yields one info finding
    (node "") saying what could not be checked.
    """
    v = View(graph)
    out: list[Finding] = []
    for r in _select(rules):
        blocked = _blocked(r, v)
        nodes = [n for kind in r.kinds for n in v.of_kind(kind) if v.exists(n)]
        if blocked:
            if nodes:
                out.append(
                    Finding(
                        r.id,
                        "info",
                        "",
                        f"could not check on {len(nodes)} "
                        f"{'/'.join(r.kinds)} node(s): {'; '.join(blocked)}",
                    )
                )
            continue
        for node in nodes:
            out.extend(_apply(r, v, node))
    return _finish(out, min_severity)


def _check_nodes(v: View, pairs: Iterable[tuple[Rule, str]]) -> list[Finding]:
    out: list[Finding] = []
    for r, node in pairs:
        if v.kind(node) not in r.kinds:
            continue
        blocked = _blocked(r, v)
        if blocked:
            out.append(Finding(r.id, "info", node, f"could not check: {'; '.join(blocked)}"))
        else:
            out.extend(_apply(r, v, node))
    return out


def findings_for(
    graph: nx.MultiDiGraph, node_id: str, findings: Iterable[Finding] | None = None
) -> list[Finding]:
    """Findings placed on one node (pass ``findings`` to reuse a previous run)."""
    if findings is None:
        v = View(graph)
        own = _check_nodes(v, ((r, node_id) for r in _select(None)))
        others = [f for f in run_doctor(graph) if f.node == node_id]
        findings = own + others
    return _finish((f for f in findings if f.node == node_id), None)


SERVICE_AREAS = ("ecs", "network", "ecr")
TARGET_GROUP_RULES = (
    "tg-unused",
    "tg-empty",
    "tg-all-unhealthy",
    "tg-some-unhealthy",
    "hc-port-mismatch",
)


def check_ecs_service(
    graph: nx.MultiDiGraph, ecs_service_id: str, min_severity: str | None = None
) -> list[Finding]:
    """The ECS<->Lattice, security-group, health-check and ECR rules for one ECS service.

    Also judges the target groups it is attached to and the ECR endpoints of its VPC. Used by
    the attach wizard and ecspresso verify (which may place a planned service in the graph).
    """
    from tui.doctor import ecs_common as E

    v = View(graph)
    pairs = [(r, ecs_service_id) for r in _select(None) if r.area in SERVICE_AREAS]
    tgs = [tg for tg, _ in v.edges_out(ecs_service_id, EdgeKind.ATTACHED)]
    tgs += [c.get("targetGroupArn") for c in E.lattice_configs(v, ecs_service_id)]
    for tg in dict.fromkeys(t for t in tgs if t and v.exists(t)):
        pairs += [(REGISTRY[r], tg) for r in TARGET_GROUP_RULES]
    vpc = E.vpc_of(v, ecs_service_id)
    for ep in ecr.ecr_interface_endpoints(v, vpc):
        pairs += [
            (r, ep) for r in _select(None) if r.area == "ecr" and NodeKind.VPC_ENDPOINT in r.kinds
        ]
    return _finish(_check_nodes(v, pairs), min_severity)
