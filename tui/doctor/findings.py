"""Finding, severities and the rule registry.

A rule is a function ``(view, node_id) -> Iterable[Hit]`` registered with ``@rule(...)`` for one
node kind. The engine turns each Hit into a Finding, filling in the rule id, the rule's default
severity and the node. Rule ids are stable: scripts, tests and the UI rely on them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("error", "warning", "info")
_RANK = {name: i for i, name in enumerate(SEVERITIES)}

Evidence = list[str] | dict[str, Any]


def severity_rank(severity: str) -> int:
    """0 = most severe. Unknown severities sort last."""
    return _RANK.get(severity, len(SEVERITIES))


def at_least(severity: str, minimum: str | None) -> bool:
    return minimum is None or severity_rank(severity) <= severity_rank(minimum)


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    node: str
    message: str
    evidence: Evidence = field(default_factory=list)
    fix: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "node": self.node,
            "message": self.message,
            "evidence": self.evidence,
            "fix": self.fix,
        }

    def sort_key(self) -> tuple[int, str, str, str]:
        return (severity_rank(self.severity), self.rule, self.node, self.message)

    def identity(self) -> tuple[str, str, str]:
        return (self.rule, self.node, self.message)


@dataclass(frozen=True)
class Hit:
    """What a rule yields; ``severity``/``node`` default to the rule's and the checked node."""

    message: str
    evidence: Evidence = field(default_factory=list)
    fix: str = ""
    severity: str | None = None
    node: str | None = None


RuleFunc = Callable[[Any, str], Iterable[Hit]]


@dataclass(frozen=True)
class Rule:
    id: str
    kinds: tuple[str, ...]  # the NodeKind(s) the rule is evaluated on
    severity: str  # default severity of its findings
    area: str  # "lattice", "ecs", "network", "ecr" (check_ecs_service picks areas)
    needs: tuple[str, ...]  # kinds that must have loaded for the rule to judge
    func: RuleFunc
    include_missing: bool = False  # also run on stub nodes (missing=True)

    @property
    def doc(self) -> str:
        return (self.func.__doc__ or "").strip()

    @property
    def summary(self) -> str:
        return self.doc.splitlines()[0] if self.doc else self.id


REGISTRY: dict[str, Rule] = {}


def rule(
    rule_id: str,
    kind: str | tuple[str, ...],
    severity: str,
    *,
    area: str,
    needs: Iterable[str] = (),
    include_missing: bool = False,
) -> Callable[[RuleFunc], RuleFunc]:
    """Register a rule. Ids must be unique; the docstring cites the AWS behaviour relied on."""
    if severity not in _RANK:
        raise ValueError(f"unknown severity {severity!r}")

    def register(func: RuleFunc) -> RuleFunc:
        if rule_id in REGISTRY:
            raise ValueError(f"duplicate rule id {rule_id!r}")
        kinds = tuple(str(k) for k in kind) if isinstance(kind, tuple) else (str(kind),)
        REGISTRY[rule_id] = Rule(
            rule_id, kinds, severity, area, tuple(str(k) for k in needs), func, include_missing
        )
        return func

    return register
