"""The doctor and ecspresso verify as the explorer runs them: pure, called in a worker thread.

``check_graph(graph, project)`` places a planned ecspresso service into the graph when a
project is given (a new graph; the live one is never touched), runs every doctor rule and
returns a FindingsIndex — the findings sorted by severity and grouped per node, which the
UI stores on the graph it judged (``graph.graph[FINDINGS_KEY]``) for the tree badges, the
Findings tab, the :findings view, the Path marks and the header count.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.doctor import Finding, run_doctor

FINDINGS_KEY = "findings"  # graph.graph key holding the FindingsIndex of that graph


@dataclass
class FindingsIndex:
    findings: list[Finding] = field(default_factory=list)
    by_node: dict[str, list[Finding]] = field(default_factory=dict)

    @classmethod
    def build(cls, findings: Iterable[Finding]) -> FindingsIndex:
        unique = {f.identity(): f for f in findings}
        ordered = sorted(unique.values(), key=Finding.sort_key)
        by_node: dict[str, list[Finding]] = {}
        for finding in ordered:
            by_node.setdefault(finding.node, []).append(finding)
        return cls(ordered, by_node)

    def of(self, node: str) -> list[Finding]:
        return self.by_node.get(node, [])

    def counts(self, node: str) -> tuple[int, int]:
        """(errors, warnings) placed on one node."""
        found = self.by_node.get(node, ())
        return (
            sum(f.severity == "error" for f in found),
            sum(f.severity == "warning" for f in found),
        )

    def error_rules(self, node: str) -> list[str]:
        return list(dict.fromkeys(f.rule for f in self.of(node) if f.severity == "error"))

    @property
    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity == "warning" for f in self.findings)


def findings_index(graph: Any) -> FindingsIndex | None:
    """The index stored on a graph by the explorer, or None before the doctor has run."""
    info = getattr(graph, "graph", None)
    return info.get(FINDINGS_KEY) if isinstance(info, dict) else None


@dataclass
class Checked:
    """What one check run produced: the graph judged (planned or not), its findings, and the
    ecspresso verify report when a project was placed into it."""

    graph: Any
    index: FindingsIndex
    report: Any = None


def check_graph(graph: Any, project: Any = None) -> Checked:
    """Run the doctor over ``graph`` (with ``project``'s service planned into a copy)."""
    report = None
    if project is not None:
        from tui.ecspresso.plan import place_in_graph
        from tui.ecspresso.verify import verify_plan

        plan = place_in_graph(graph, project)
        graph = plan.graph
        report = verify_plan(plan)
    findings = list(run_doctor(graph))
    if report is not None:  # the plan-only checks (e.g. unknown subnet) are not doctor rules
        findings += report.findings
    return Checked(graph, FindingsIndex.build(findings), report)


def load_ecspresso(path: str | Path) -> Any:
    """Load an ecspresso project; every failure is a TrellisError with one line to show."""
    from tui.ecspresso import load_project
    from tui.errors import UsageError

    target = Path(path).expanduser()
    if target.is_dir():
        for name in ("ecspresso.yml", "ecspresso.yaml", "ecspresso.json", "ecspresso.jsonnet"):
            if (target / name).is_file():
                target = target / name
                break
    if not target.is_file():
        raise UsageError(f"no ecspresso config at {path}")
    return load_project(target)


def verdict_lines(report: Any) -> list[str]:
    """One line per planned Lattice config: OK, WARN or FAIL with the rule ids."""
    if report is None:
        return []
    lines = [verdict.line for verdict in report.verdicts]
    lines += list(getattr(report.plan, "notes", []) or [])
    if not report.verdicts:
        lines.append("the service definition has no vpcLatticeConfigurations")
    return lines
