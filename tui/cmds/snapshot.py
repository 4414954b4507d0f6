"""`trellis snapshot`: save the account (or re-save a snapshot, e.g. redacted) to a file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tui.cli import add_connection_arguments, config_from_args
from tui.snapshot import save_snapshot
from tui.source import load_source


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_connection_arguments(parser)
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        required=True,
        help="snapshot file to write (atomically)",
    )
    parser.add_argument(
        "--redact", action="store_true", help="replace every account id with a consistent fake one"
    )


def run(args: argparse.Namespace) -> int:
    config = config_from_args(args)
    inventory, source_meta = load_source(config)
    meta = {k: v for k, v in source_meta.items() if k in ("source", "profile", "endpoint_url")}
    if args.redact:
        meta.pop("profile", None)
    doc = save_snapshot(args.output, inventory, meta, redact=args.redact)
    counts = sum(len(v) for v in doc["inventory"]["records"].values())
    errors = len(doc["inventory"]["errors"])
    print(f"saved {counts} resources ({errors} load errors) to {args.output}", file=sys.stderr)
    return 0
