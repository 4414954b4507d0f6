"""Command line: parse argv into an AppConfig and run the TUI or a subcommand.

Each subcommand lives in ``tui.cmds.<name>`` and exposes ``add_arguments(parser)`` and
``run(args) -> int``. Errors derived from TrellisError print one line and set the exit code.
"""

from __future__ import annotations

import argparse
import importlib
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tui import __version__
from tui.config import AppConfig, Connection
from tui.errors import TrellisError, UsageError

SUBCOMMANDS = {
    "graph": "Export the resource graph (json, mermaid, dot, graphml).",
    "doctor": "Find misconfigurations that break Lattice + ECS traffic.",
    "attach": "Attach an ECS service to a Lattice target group.",
    "detach": "Detach an ECS service from a Lattice target group.",
    "snapshot": "Save the account's graph to a JSON file.",
    "diff": "Show what changed between two snapshots.",
    "sandbox": "Run the embedded AWS sandbox (moto) and print its endpoint URL.",
    "serve": "Serve the TUI in a browser (textual-serve).",
    "verify": "Verify an ecspresso deployment against the live account.",
    "export": "Export a live ECS service as an ecspresso project.",
}


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one line and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message}\n")


_REGION = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")  # botocore's own check, lower


def _regions(value: str) -> str:
    bad = [r for r in (v.strip() for v in value.split(",")) if r and not _REGION.match(r)]
    if bad:
        raise argparse.ArgumentTypeError(f"{bad[0]!r} is not a region name (e.g. eu-west-1)")
    return value


def _endpoint(value: str) -> str:
    # botocore's own checks, so what passes here is what the SDK will accept later.
    from botocore.utils import is_valid_endpoint_url, is_valid_ipv6_endpoint_url

    try:
        url = urlsplit(value)
        _ = url.port  # raises on a port that is not a number in 0-65535
        valid = url.scheme in ("http", "https") and (
            is_valid_endpoint_url(value) or is_valid_ipv6_endpoint_url(value)
        )
    except ValueError:
        valid = False
    if not valid:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not an http(s) URL (e.g. http://127.0.0.1:5000)"
        )
    return value


def _one(kind: str, check: Any = None) -> Any:
    """An argparse type for commands that act on one account and region (attach, export)."""

    def parse(value: str) -> str:
        if "," in value:
            raise argparse.ArgumentTypeError(f"this command works on one {kind}: {value!r}")
        return check(value) if check else value

    return parse


def add_connection_arguments(
    parser: argparse.ArgumentParser, snapshot: bool = True, several: bool = True
) -> None:
    """``several``: the command reads many accounts/regions into one graph (x,y lists)."""
    group = parser.add_argument_group("connection (defaults: the AWS SDK's own chain)")
    group.add_argument(
        "--profile",
        type=None if several else _one("profile"),
        help="AWS profile from ~/.aws/config" + (" (x,y: several)" if several else ""),
    )
    group.add_argument(
        "--region",
        type=_regions if several else _one("region", _regions),
        help="AWS region, e.g. eu-west-1" + (" (a,b,c: several)" if several else ""),
    )
    group.add_argument(
        "--endpoint-url", type=_endpoint, help="AWS endpoint (e.g. a trellis sandbox URL)"
    )
    group.add_argument(
        "--read-only", action="store_true", help="refuse every mutating API call before it is sent"
    )
    if snapshot:
        group.add_argument(
            "--snapshot", type=Path, metavar="FILE", help="use a saved snapshot, not a live account"
        )


def _commas(value: str | None) -> list[str | None]:
    """'a,b' → ['a', 'b']; None → [None] (the SDK chain decides)."""
    items = [v.strip() for v in (value or "").split(",") if v.strip()]
    return list(dict.fromkeys(items)) or [None]


def config_from_args(args: argparse.Namespace) -> AppConfig:
    endpoint = getattr(args, "endpoint_url", None)
    live = [f"--{n.replace('_', '-')}" for n in ("profile", "endpoint_url")
            if getattr(args, n, None)]
    if getattr(args, "snapshot", None) and live:
        raise UsageError(f"--snapshot reads a file: it cannot be combined with {live[0]}")
    connections = tuple(
        Connection(profile=profile, region=region, endpoint_url=endpoint)
        for profile in _commas(getattr(args, "profile", None))
        for region in _commas(getattr(args, "region", None))
    )
    return AppConfig(
        connection=connections[0],
        connections=connections if len(connections) > 1 else (),
        read_only=getattr(args, "read_only", False),
        demo=getattr(args, "demo", False),
        snapshot_path=getattr(args, "snapshot", None),
        refresh_seconds=getattr(args, "refresh", None),
    )


def build_tui_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="trellis",
        description="A terminal UI for Amazon VPC Lattice and Amazon ECS. "
        "Subcommands: " + ", ".join(SUBCOMMANDS) + " (trellis SUBCOMMAND --help).",
    )
    parser.add_argument("--version", action="version", version=f"trellis {__version__}")
    add_connection_arguments(parser)
    parser.add_argument(
        "--demo", action="store_true", help="open against an embedded sandbox seeded with a demo"
    )
    parser.add_argument(
        "--refresh", type=float, metavar="SECONDS", help="reload the account every SECONDS"
    )
    return parser


def build_subcommand_parser(name: str) -> tuple[argparse.ArgumentParser, object]:
    module = importlib.import_module(f"tui.cmds.{name}")
    parser = _Parser(prog=f"trellis {name}", description=SUBCOMMANDS[name])
    module.add_arguments(parser)
    return parser, module


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and not argv[0].startswith("-") and argv[0] not in SUBCOMMANDS:
            raise UsageError(
                f"unknown command {argv[0]!r} (commands: {', '.join(SUBCOMMANDS)}; "
                "trellis --help)"
            )
        if argv and argv[0] in SUBCOMMANDS:
            parser, module = build_subcommand_parser(argv[0])
            args = parser.parse_args(argv[1:])
            return int(module.run(args) or 0)
        args = build_tui_parser().parse_args(argv)
        from tui.cmds import tui as tui_command

        return int(tui_command.run(args) or 0)
    except TrellisError as error:
        print(f"trellis: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("trellis: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `trellis doctor | head`: the reader left; say nothing more and flush nowhere.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
