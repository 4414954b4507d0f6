"""Lattice routing rules: listeners and rules whose action can never reach a working target."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tui.doctor import lattice as L
from tui.doctor.findings import Hit, rule
from tui.doctor.view import View
from tui.model.kinds import EdgeKind, NodeKind

K = NodeKind
# UNAVAILABLE = health checks disabled: Lattice still routes to such targets.
SERVING = {L.HEALTHY, "UNAVAILABLE"}


def action_of(v: View, node: str, key: str) -> list[tuple[str, int]] | dict[str, Any]:
    """Forward pairs, or the fixedResponse dict. Falls back to forwards_to edges."""
    action = v.raw(node).get(key)
    if action:
        pairs = L.forwards(action)
        return pairs if pairs is not None else dict(action.get("fixedResponse") or {"": ""})
    edges = v.edges_out(node, EdgeKind.FORWARDS_TO)
    return [(dst, int(d.get("weight", 1) or 0)) for dst, d in edges]


def dead_end(v: View, pairs: list[tuple[str, int]]) -> tuple[str, dict[str, Any]] | None:
    """Why a forward action cannot serve (reason, evidence) or None if it can / cannot tell."""
    if not pairs:
        return "forwards to no target group", {"targetGroups": []}
    live = [(tg, w) for tg, w in pairs if w > 0]
    if not live:
        return "forwards only with weight 0", {"weights": {tg: w for tg, w in pairs}}
    evidence: dict[str, Any] = {}
    fails_open = True  # every group has targets, all unhealthy: Lattice still sends to them
    for ident, weight in live:
        tg = L.target_group_node(v, ident)
        if tg is None or not v.exists(tg):
            if v.load_error(K.TARGET_GROUP, ident) or v.foreign(tg or ident):
                return None  # not loaded / another account: cannot tell
            evidence[ident] = "target group does not exist"
            fails_open = False
            continue
        if L.targets_unknown(v, tg):
            return None
        statuses = L.target_statuses(v, tg)
        if any(s in SERVING for _, s, _ in statuses):
            return None
        counts: dict[str, int] = {}
        for _, s, _ in statuses:
            counts[s] = counts.get(s, 0) + 1
        fails_open = fails_open and "UNHEALTHY" in counts
        said = ", ".join(f"{n} {s}" for s, n in sorted(counts.items())) or "no targets"
        evidence[tg] = f"weight {weight}, {said}"
    if fails_open:
        return (
            "forwards only to target groups with no healthy target (Lattice fails open: "
            "requests still reach targets that fail their health check)",
            evidence,
        )
    return "forwards only to target groups with no healthy target", evidence


def _fix_for(v: View, evidence: dict[str, Any]) -> str:
    if "weights" in evidence:
        return (
            "give a target group a weight > 0: aws vpc-lattice update-listener / update-rule "
            "... '{\"forward\":{\"targetGroups\":[{\"targetGroupIdentifier\":\"<tg-id>\","
            "\"weight\":100}]}}'"
        )
    groups = [v.name(t) for t in evidence if t != "targetGroups"]
    return (
        "register healthy targets in "
        + (", ".join(groups) or "a target group")
        + " (or attach an ECS service: trellis attach ...), or forward to a working group"
    )


@rule(
    "listener-dead-end",
    K.LISTENER,
    "error",
    area="lattice",
    needs=(K.TARGET_GROUP, K.TARGET, K.RULE),
)
def listener_dead_end(v: View, lst: str) -> Iterator[Hit]:
    """Listener default action that cannot reach a working target.

    AWS: requests matching no rule take the default action. A fixedResponse answers without
    any backend; forward actions with weight 0 receive no traffic; a target group with no
    registered target answers 503. A fixed default behind forwarding rules is a normal catch-all.
    """
    action = action_of(v, lst, "defaultAction")
    if isinstance(action, dict):
        forwarding = [
            r
            for r in L.rules_of(v, lst)
            if not v.raw(r).get("isDefault") and not isinstance(action_of(v, r, "action"), dict)
        ]
        if forwarding:
            return
        yield Hit(
            f"listener {v.name(lst)} answers every request with a fixed response "
            f"{action.get('statusCode', '')} and has no forwarding rule",
            evidence={"defaultAction": v.raw(lst).get("defaultAction"), "rules": 0},
            fix=f"aws vpc-lattice update-listener --service-identifier "
            f"{v.raw(lst).get('serviceArn', '<service>')} --listener-identifier {lst} "
            '--default-action \'{"forward":{"targetGroups":[{"targetGroupIdentifier":'
            '"<tg-id>"}]}}\'',
        )
        return
    problem = dead_end(v, action)
    if problem:
        reason, evidence = problem
        yield Hit(
            f"listener {v.name(lst)} default action {reason}",
            evidence=evidence,
            fix=_fix_for(v, evidence),
        )


@rule("rule-dead-end", K.RULE, "error", area="lattice", needs=(K.TARGET_GROUP, K.TARGET))
def rule_dead_end(v: View, rl: str) -> Iterator[Hit]:
    """Listener rule whose action cannot reach a working target.

    AWS: matching requests take the rule's action (lowest priority first); a fixedResponse
    answers them without a backend (warning: often deliberate), a weight-0 or empty group
    leaves them with no target (503).
    """
    if v.raw(rl).get("isDefault"):
        return  # the listener's default action, checked by listener-dead-end
    action = action_of(v, rl, "action")
    if isinstance(action, dict):
        yield Hit(
            f"rule {v.name(rl)} answers matching requests with fixed response "
            f"{action.get('statusCode', '')}",
            evidence={"action": v.raw(rl).get("action"), "match": v.raw(rl).get("match")},
            fix="if unintended: aws vpc-lattice update-rule ... --action forward to a target group",
            severity="warning",
        )
        return
    problem = dead_end(v, action)
    if problem:
        reason, evidence = problem
        yield Hit(
            f"rule {v.name(rl)} {reason}",
            evidence={**evidence, "match": v.raw(rl).get("match")},
            fix=_fix_for(v, evidence),
        )


@rule("tls-needs-tcp-tg", K.LISTENER, "error", area="lattice", needs=(K.TARGET_GROUP,))
def tls_needs_tcp_tg(v: View, lst: str) -> Iterator[Hit]:
    """TLS_PASSTHROUGH listener forwarding to a non-TCP target group.

    AWS: a TLS passthrough listener hands the encrypted stream to the target, so its target
    groups must use protocol TCP; HTTP/HTTPS groups cannot be used with it.
    """
    if v.raw(lst).get("protocol") != "TLS_PASSTHROUGH":
        return
    action = action_of(v, lst, "defaultAction")
    if isinstance(action, dict):
        return
    bad = {}
    for ident, _ in action:
        tg = L.target_group_node(v, ident)
        proto = (v.raw(tg).get("config") or {}).get("protocol") if tg and v.exists(tg) else None
        if proto and proto != "TCP":
            bad[tg] = proto
    if bad:
        yield Hit(
            f"TLS_PASSTHROUGH listener {v.name(lst)} forwards to non-TCP target group(s)",
            evidence={"listener_protocol": "TLS_PASSTHROUGH", "target_groups": bad},
            fix="create a target group with --config protocol=TCP and forward to it",
        )
