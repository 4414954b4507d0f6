"""`trellis doctor`: find what breaks Lattice + ECS traffic, with evidence and the fix.

Exit codes: 1 if any error-level finding (with --from-vpc: if any service is unreachable),
0 otherwise, 2 on usage or connection errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from tui.cli import add_connection_arguments, config_from_args
from tui.errors import UsageError

FORMATS = ("text", "json")
_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from tui.doctor import SEVERITIES

    add_connection_arguments(parser)
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format")
    parser.add_argument("--severity", choices=SEVERITIES, metavar="LEVEL",
                        help="only findings at this level or worse (error, warning, info)")
    parser.add_argument("--rule", action="append", metavar="ID", dest="rules",
                        help="run only this rule (repeatable); see --list-rules")
    parser.add_argument("--from-vpc", metavar="VPC_ID",
                        help="instead: can a client in this VPC reach each Lattice service?")
    parser.add_argument("--list-rules", action="store_true", help="list rule ids and exit")


def load_graph(args: argparse.Namespace) -> Any:
    """The graph of the snapshot (every inventory in it) or of the live account."""
    from tui.model.graph import build_graph

    config = config_from_args(args)
    if config.snapshot_path is not None:
        from tui.snapshot import snapshot_graph

        return snapshot_graph(config.snapshot_path)[0]
    from tui.source import load_inventory_for

    return build_graph(load_inventory_for(config))


def run(args: argparse.Namespace) -> int:
    from tui.doctor import REGISTRY, UnknownRule, run_doctor

    if args.list_rules:
        _list_rules(REGISTRY, args.format)
        return 0
    unknown = [r for r in args.rules or [] if r not in REGISTRY]
    if unknown:  # before any AWS call: a typo should not cost a crawl
        raise UsageError(f"unknown rule id {', '.join(unknown)} (see: trellis doctor --list-rules)")
    graph = load_graph(args)
    if args.from_vpc:
        return _reach(graph, args)
    try:
        findings = run_doctor(graph, rules=args.rules, min_severity=args.severity)
    except UnknownRule as error:
        raise UsageError(str(error)) from None
    if args.format == "json":
        json.dump([f.to_dict() for f in findings], sys.stdout, indent=2, default=str)
        sys.stdout.write("\n")
    else:
        render_text(graph, findings)
    return 1 if any(f.severity == "error" for f in findings) else 0


def _list_rules(registry: dict[str, Any], fmt: str) -> None:
    """Rule ids with their usual severity (a finding may be raised or lowered by context)."""
    rows = [
        {"rule": rule_id, "severity": r.severity, "area": r.area, "summary": r.summary}
        for rule_id, r in sorted(registry.items())
    ]
    if fmt == "json":
        json.dump(rows, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return
    print(f"{'RULE':30} {'USUALLY':8} WHAT IT FINDS")
    for row in rows:
        print(f"{row['rule']:30} {row['severity']:8} {row['summary']}")


def _console() -> Any:
    from rich.console import Console

    return Console(soft_wrap=True, highlight=False)


def _evidence_lines(evidence: Any) -> list[str]:
    if isinstance(evidence, dict):
        return [f"{k}: {json.dumps(v, default=str) if not isinstance(v, str) else v}"
                for k, v in evidence.items()]
    return [str(e) for e in evidence or []]


def render_text(graph: Any, findings: list[Any]) -> None:
    from rich.markup import escape

    console = _console()
    if not findings:
        console.print("[green]No findings.[/]")
        return
    for severity in ("error", "warning", "info"):
        group = [f for f in findings if f.severity == severity]
        if not group:
            continue
        console.print(f"\n[{_STYLE[severity]}]{severity.upper()}S ({len(group)})[/]")
        for f in group:
            node = graph.nodes[f.node] if f.node in graph else {}
            where = f"{node.get('name', '')} ({f.node})" if node else (f.node or "(account)")
            console.print(f"[{_STYLE[severity]}]{f.rule}[/]  [bold]{escape(where)}[/]")
            console.print(f"  {escape(f.message)}")
            for line in _evidence_lines(f.evidence):
                console.print(f"    [dim]{escape(line)}[/]")
            if f.fix:
                console.print(f"  [green]fix:[/] {escape(f.fix)}")
    counts = {s: sum(1 for f in findings if f.severity == s) for s in _STYLE}
    console.print("\n" + ", ".join(f"{n} {s}{'s' if n != 1 else ''}" for s, n in counts.items()))


def _reach(graph: Any, args: argparse.Namespace) -> int:
    from rich.markup import escape

    from tui.doctor.reach import UnknownVpc, reach_from_vpc

    try:
        results = reach_from_vpc(graph, args.from_vpc)
    except UnknownVpc as error:
        raise UsageError(str(error)) from None
    if args.format == "json":
        json.dump([r.to_dict() for r in results], sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        console = _console()
        if not results:
            console.print("No Lattice services in the graph.")
        for r in results:
            failed = r.failed
            verdict = ("[green]reachable[/]" if failed is None
                       else f"[bold red]blocked at {failed.name}[/]")
            console.print(f"[bold]{escape(r.name)}[/] ({escape(r.service)}): {verdict}")
            for hop in r.hops:
                style, word = {True: ("green", "ok"), False: ("red", "FAIL"),
                               None: ("yellow", "?")}[hop.ok]
                console.print(f"  [{style}]{word:4}[/] {hop.name:16} {escape(hop.detail)}")
    return 0 if all(r.reachable for r in results) else 1
