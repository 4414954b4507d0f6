"""Helpers for Pilot and snapshot tests: the real app over a real snapshot file, the sample
inventory,
or the sandbox (real HTTP, real SDK)."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

os.environ["TZ"] = "UTC"  # the header's "loaded HH:MM:SS" must not depend on the machine
time.tzset()

DATA = Path(__file__).resolve().parents[1] / "snapshots" / "data"
DEMO_SNAPSHOT = DATA / "demo.json"
SIZE = (140, 40)
FIXED_CLOCK = 1_700_000_000.0  # header shows a fixed "loaded" time in screenshots


def snapshot_app(path: Path = DEMO_SNAPSHOT, read_only: bool = False):
    from tui.app import make_app
    from tui.config import AppConfig
    from tui.loading import SnapshotSource

    config = AppConfig(snapshot_path=path, read_only=read_only)
    return make_app(config, SnapshotSource(path, config), clock=lambda: FIXED_CLOCK)


def sample_app(delay: float = 0.0):
    from tui.app import make_app
    from tui.config import AppConfig
    from tui.loading import StaticSource
    from tui.model.fixtures import sample_inventory

    return make_app(
        AppConfig(), StaticSource(sample_inventory(), delay=delay), clock=lambda: FIXED_CLOCK
    )


async def wait_for(pilot, condition, timeout: float = 30.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.05)


async def wait_loaded(pilot, timeout: float = 60.0) -> None:
    app = pilot.app
    await wait_for(
        pilot,
        lambda: app.graph is not None and not app.loading and not app.checking,
        timeout,
        "the load and the doctor",
    )
    await pilot.pause()


def node_of(app, kind: str, name: str) -> str:
    for node, data in app.graph.nodes(data=True):
        if data.get("kind") == kind and data.get("name") == name:
            return node
    raise AssertionError(f"no {kind} named {name}")


def screen_text(app) -> str:
    """Everything currently painted, as plain text (what a person sees)."""
    from rich.console import Console

    console = Console(width=app.size.width, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text()


__all__ = [
    "asyncio",
    "DEMO_SNAPSHOT",
    "SIZE",
    "node_of",
    "sample_app",
    "screen_text",
    "snapshot_app",
    "wait_for",
    "wait_loaded",
]
