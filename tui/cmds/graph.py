"""`trellis graph`: export the resource graph as json (node-link), mermaid, dot or graphml."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from tui.cli import add_connection_arguments, config_from_args
from tui.export import FORMATS, export
from tui.model.graph import build_graph
from tui.model.inventory import LoadError
from tui.snapshot import atomic_write_text, snapshot_graph
from tui.source import load_inventory_for


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_connection_arguments(parser)
    parser.add_argument("--format", choices=FORMATS, default="json", help="output format")
    parser.add_argument("-o", "--output", type=Path, metavar="FILE", help="write here, not stdout")


def _warn_incomplete(graph: Any) -> None:
    """A partial graph must not pass for a whole one: say so on stderr (stdout stays data)."""
    errors = [LoadError.of(e) for e in graph.graph.get("errors") or []]
    if not errors:
        return
    first = errors[0]
    why = f"missing IAM action {first.iam_action}" if first.is_access_denied else first.code
    print(
        f"trellis graph: warning: {len(errors)} API call(s) failed, the graph is incomplete "
        f"(first: {first.operation} {first.resource or '(account-wide)'}: {why}); "
        "the JSON output lists them under graph.errors",
        file=sys.stderr,
    )


def run(args: argparse.Namespace) -> int:
    config = config_from_args(args)
    if config.snapshot_path is not None:
        graph = snapshot_graph(config.snapshot_path)[0]
    else:
        graph = build_graph(load_inventory_for(config))
    _warn_incomplete(graph)
    text = export(graph, args.format)
    if args.output is None:
        sys.stdout.write(text)
    else:
        atomic_write_text(args.output, text)
    return 0
