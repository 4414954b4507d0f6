"""How the doctor's findings look in the explorer: the :findings table rows, the Findings tab,
the tree badge and the mark on a broken Path hop. Pure functions over the graph and the
FindingsIndex stored on it (tui.checks); no widgets."""

from __future__ import annotations

import json
from typing import Any

from rich.text import Text

from tui.checks import findings_index
from tui.model.kinds import EdgeKind, NodeKind
from tui.screens.hierarchy import ecs_services_of_task, in_nodes
from tui.screens.nodeinfo import KIND_TAG, KIND_TITLE, kind_of, name_of
from widgets.node_table import Row

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
SEVERITY_ICON = {"error": "✗", "warning": "!", "info": "i"}
SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


def severity_text(severity: str) -> Text:
    icon = SEVERITY_ICON.get(severity, "?")
    return Text(f"{icon} {severity}", SEVERITY_STYLE.get(severity, ""))


def path_mark(graph: Any, node: str) -> Text | None:
    """The rule ids of the error findings on a path hop: the hop those findings break."""
    index = findings_index(graph)
    rules = index.error_rules(node) if index is not None else []
    if not rules:
        return None
    return Text(f"  ✗ {', '.join(rules)}", "bold red")


def findings_rows(graph: Any) -> tuple[list[str], list[Row]]:
    """Every finding, errors first; the key is ``finding:<n>``, ``extra['resource']`` the node."""
    columns = ["SEVERITY", "RULE", "NAME", "KIND", "MESSAGE"]
    index = findings_index(graph)
    rows = []
    for n, finding in enumerate(index.findings if index is not None else []):
        node = finding.node
        here = bool(node) and node in graph
        name = name_of(graph, node) if here else (node or "(account-wide)")
        if here and graph.nodes[node].get("planned"):
            name += " (planned)"
        kind = KIND_TAG.get(kind_of(graph, node), kind_of(graph, node)) if here else ""
        cells = [severity_text(finding.severity), finding.rule, name, kind, finding.message]
        sort = [
            SEVERITY_RANK.get(finding.severity, 9),
            finding.rule,
            name.lower(),
            kind,
            finding.message,
        ]
        search = " ".join([finding.severity, finding.rule, name, kind, node, finding.message])
        rows.append(Row(f"finding:{n}", cells, sort, search.lower(), {"resource": node}))
    return columns, rows


def _value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, default=str)


def _evidence_lines(evidence: Any) -> list[str]:
    """One line per fact; a dict's list values get one indented line per item."""
    if not evidence:
        return []
    if isinstance(evidence, dict):
        lines = []
        for key, value in evidence.items():
            if isinstance(value, list | tuple) and value:
                lines.append(f"{key}:")
                lines += [f"    {_value(item)}" for item in value]
            else:
                lines.append(f"{key}: {_value(value)}")
        return lines
    if isinstance(evidence, list | tuple):
        return [_value(item) for item in evidence]
    return [str(evidence)]


def render_findings(graph: Any, node: str) -> Text:
    """The Findings tab: each finding on the node with its message, evidence and fix."""
    index = findings_index(graph)
    if index is None:
        return Text("The doctor has not run on this graph yet.", "dim")
    found = index.of(node)
    if found:
        return _finding_lines(found)
    owners = [o for o in _owners(graph, node) if index.of(o)]
    if not owners:
        return Text("✓ the doctor found nothing wrong here.", "green")
    # e.g. an UNHEALTHY target: the rules that explain it are on its target group.
    text = Text("Nothing is reported on this node itself; what explains it:", "dim")
    for owner in owners:
        title = KIND_TITLE.get(kind_of(graph, owner), "owner").lower()
        text.append(f"\n\nOn its {title} {name_of(graph, owner)}:\n\n", "bold")
        text.append_text(_finding_lines(index.of(owner)))
    return text


def _owners(graph: Any, node: str) -> list[str]:
    """Where the doctor puts what is wrong with ``node``: a target's group, a task's service."""
    kind = kind_of(graph, node)
    if kind == NodeKind.TARGET:
        return in_nodes(graph, node, EdgeKind.REGISTERED)
    if kind == NodeKind.ECS_TASK:
        return ecs_services_of_task(graph, node)
    return []


def _finding_lines(found: list[Any]) -> Text:
    text = Text()
    for i, finding in enumerate(found):
        if i:
            text.append("\n\n")
        text.append_text(severity_text(finding.severity))
        text.append(f"  {finding.rule}\n", "bold")
        text.append(finding.message)
        lines = _evidence_lines(finding.evidence)
        if lines:
            text.append("\nevidence:", "bold dim")
            for line in lines:
                text.append(f"\n  • {line}", "dim")
        if finding.fix:
            text.append("\nfix: ", "bold green")
            text.append(finding.fix)
    return text


def findings_tab_label(graph: Any, node: str | None) -> str:
    index = findings_index(graph)
    if index is None or not node:
        return "Findings"
    count = len(index.of(node))
    return f"Findings ({count})" if count else "Findings"
