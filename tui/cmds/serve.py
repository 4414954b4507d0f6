"""`trellis serve [--port N] [--host H] [TUI options]`: the app in a browser (textual-serve)."""

from __future__ import annotations

import argparse
import shlex
import sys

from tui.errors import UsageError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from tui.cli import add_connection_arguments

    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1 only)"
    )
    add_connection_arguments(parser)
    parser.add_argument("--demo", action="store_true", help="serve the embedded demo sandbox")
    parser.add_argument("--refresh", type=float, metavar="SECONDS", help="reload every SECONDS")


def tui_command(args: argparse.Namespace) -> str:
    """The `trellis ...` command line the browser session runs (same options, no serve ones)."""
    argv = [sys.executable, "-m", "tui"]
    for flag in ("profile", "region", "endpoint_url", "snapshot", "refresh"):
        value = getattr(args, flag, None)
        if value is not None:
            argv += ["--" + flag.replace("_", "-"), str(value)]
    if getattr(args, "read_only", False):
        argv.append("--read-only")
    if getattr(args, "demo", False):
        argv.append("--demo")
    return shlex.join(argv)


def run(args: argparse.Namespace) -> int:
    if not 0 < args.port < 65536:
        raise UsageError(f"--port must be 1-65535, not {args.port}")
    if args.demo and args.snapshot is not None:
        raise UsageError("--demo and --snapshot cannot be used together")
    if args.snapshot is not None and not args.snapshot.exists():
        raise UsageError(f"snapshot file not found: {args.snapshot}")
    from textual_serve.server import Server

    command = tui_command(args)
    print(f"trellis: serving on http://{args.host}:{args.port} (ctrl+c stops)", flush=True)
    Server(command, host=args.host, port=args.port, title="trellis").serve()
    return 0
