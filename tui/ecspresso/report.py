"""Render a verify Report as text (like ``trellis doctor``) or JSON.

JSON: ``{"service", "cluster", "planned": true, "replaces_live", "findings": [doctor finding
dicts], "verdicts": [{portName, roleArn, targetGroupArn, label, verdict, rules}], "ok"}``.
"""

from __future__ import annotations

import json
from typing import Any

from tui.ecspresso.verify import Report

_HEADINGS = {"error": "ERRORS", "warning": "WARNINGS", "info": "INFO"}


def _evidence_lines(evidence: Any) -> list[str]:
    if isinstance(evidence, dict):
        return [f"{k}: {json.dumps(v, default=str)}" for k, v in evidence.items()]
    if isinstance(evidence, list):
        return [str(e) for e in evidence]
    return [str(evidence)] if evidence else []


def render_text(report: Report) -> str:
    plan = report.plan
    name = plan.service_id.rsplit("/", 1)[-1]
    cluster = plan.cluster_id.rsplit("/", 1)[-1]
    state = "replaces the live service" if plan.replaced_live else "new service"
    lines = [f"ecspresso plan: service {name} in cluster {cluster} ({plan.region}, {state})"]
    lines.append("")
    for severity in ("error", "warning", "info"):
        group = [f for f in report.findings if f.severity == severity]
        if not group:
            continue
        lines.append(f"{_HEADINGS[severity]} ({len(group)})")
        for f in group:
            node = plan.graph.nodes[f.node].get("name") if f.node in plan.graph else None
            where = f"{node} ({f.node})" if node and node != f.node else f.node
            lines.append(f"  [{f.rule}] {f.message}")
            lines.append(f"      on: {where}")
            for ev in _evidence_lines(f.evidence):
                lines.append(f"      evidence: {ev}")
            if f.fix:
                lines.append(f"      fix: {f.fix}")
        lines.append("")
    if not report.findings:
        lines.append("no findings")
        lines.append("")
    lines.append("Lattice configurations:")
    if not report.verdicts:
        lines.append("  (none in the service definition)")
    for verdict in report.verdicts:
        lines.append(f"  {verdict.line}")
    errors = sum(f.severity == "error" for f in report.findings)
    lines.append("")
    lines.append(f"verdict: {'FAIL' if errors else 'OK'} ({errors} error finding(s))")
    return "\n".join(lines) + "\n"


def render_json(report: Report) -> str:
    plan = report.plan
    data = {
        "service": plan.service_id,
        "cluster": plan.cluster_id,
        "planned": True,
        "replaces_live": plan.replaced_live,
        "findings": [f.to_dict() for f in report.findings],
        "verdicts": [v.to_dict() for v in report.verdicts],
        "ok": not report.has_errors,
    }
    return json.dumps(data, indent=2, default=str) + "\n"
