"""`trellis [CONN] [--read-only] [--demo | --snapshot FILE] [--refresh SECONDS]`: the TUI."""

from __future__ import annotations

import argparse

from tui.errors import UsageError


def run(args: argparse.Namespace) -> int:
    from tui.cli import config_from_args

    config = config_from_args(args)
    if config.demo and config.snapshot_path is not None:
        raise UsageError("--demo and --snapshot cannot be used together")
    if config.snapshot_path is not None and not config.snapshot_path.exists():
        raise UsageError(f"snapshot file not found: {config.snapshot_path}")
    if config.refresh_seconds is not None and config.refresh_seconds <= 0:
        raise UsageError("--refresh needs a number of seconds greater than 0")

    from tui.app import make_app

    app = make_app(config)
    app.run()
    if app.fatal_error is not None:
        raise app.fatal_error
    return int(app.return_code or 0)
