"""`trellis diff OLD NEW`: what changed in the account between two snapshots."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape

from tui.model.query import diff_graphs
from tui.snapshot import snapshot_graph


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", type=Path, metavar="OLD.json", help="the earlier snapshot")
    parser.add_argument("new", type=Path, metavar="NEW.json", help="the later snapshot")
    parser.add_argument("--format", choices=("text", "json"), default="text")


def _value(value: Any, width: int = 70) -> str:
    text = json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= width else text[: width - 1] + "…"


def _render(diff: dict[str, list[dict[str, Any]]], console: Console) -> None:
    sections = (
        ("added_nodes", "Added nodes", "+", "green"),
        ("removed_nodes", "Removed nodes", "-", "red"),
        ("changed_nodes", "Changed nodes", "~", "yellow"),
        ("added_edges", "Added edges", "+", "green"),
        ("removed_edges", "Removed edges", "-", "red"),
        ("changed_edges", "Changed edges", "~", "yellow"),
    )
    if not any(diff.values()):
        console.print("No changes.")
        return
    for key, title, sign, colour in sections:
        items = diff[key]
        if not items:
            continue
        console.print(f"[bold]{title} ({len(items)})[/bold]")
        for item in items:
            if "source" in item:
                line = f"{item['source']} -[{item['kind']}]-> {item['target']}"
                extra = {k: v for k, v in item.items() if k not in ("source", "target", "kind")}
                extra.pop("changes", None)
                if extra:
                    line += " " + " ".join(f"{k}={_value(v)}" for k, v in extra.items())
            else:
                line = f"{item['kind']} {item['name']}  {item['id']}"
            console.print(f"  [{colour}]{sign}[/{colour}] {escape(line)}")
            for change in item.get("changes", ()):
                old, new = _value(change["old"]), _value(change["new"])
                console.print(f"      {escape(change['field'])}: {escape(old)} → {escape(new)}")
    counts = {k: len(v) for k, v in diff.items()}
    console.print(
        f"nodes +{counts['added_nodes']} -{counts['removed_nodes']} ~{counts['changed_nodes']}, "
        f"edges +{counts['added_edges']} -{counts['removed_edges']} ~{counts['changed_edges']}"
    )


def run(args: argparse.Namespace) -> int:
    old = snapshot_graph(args.old)[0]
    new = snapshot_graph(args.new)[0]
    diff = diff_graphs(old, new)
    if args.format == "json":
        sys.stdout.write(json.dumps(diff, indent=1, sort_keys=True, default=str) + "\n")
    else:
        # soft_wrap keeps one item per line whatever the terminal width: stable, grep-able.
        _render(diff, Console(soft_wrap=True, highlight=False))
    return 0
