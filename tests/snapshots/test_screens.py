"""SVG snapshots of the main screens at 140x40, on deterministic data (a snapshot file of the
demo seed, and the hand-built sample inventory). Update with: pytest --snapshot-update."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ui"))

from uihelpers import node_of, sample_app, snapshot_app, wait_loaded  # noqa: E402

SIZE = (140, 40)


def test_main_explorer(snap_compare):
    async def drill(pilot):
        await wait_loaded(pilot)
        pilot.app.screen.jump(node_of(pilot.app, "rule", "stock-read"))
        await pilot.pause()

    assert snap_compare(snapshot_app(), terminal_size=SIZE, run_before=drill)


def test_path_tab_on_unhealthy_target(snap_compare):
    async def path(pilot):
        await wait_loaded(pilot)
        await pilot.press("h", "enter", "3")
        await pilot.pause()

    assert snap_compare(snapshot_app(), terminal_size=SIZE, run_before=path)


def test_health_view(snap_compare):
    async def health(pilot):
        await wait_loaded(pilot)
        await pilot.press("h")
        await pilot.pause()

    assert snap_compare(snapshot_app(), terminal_size=SIZE, run_before=health)


def test_errors_view_with_access_denied(snap_compare):
    async def errors(pilot):
        await wait_loaded(pilot)
        await pilot.press("E")
        await pilot.pause()

    assert snap_compare(sample_app(), terminal_size=SIZE, run_before=errors)


def test_help(snap_compare):
    async def help_(pilot):
        await wait_loaded(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(snapshot_app(), terminal_size=SIZE, run_before=help_)


def test_findings_view(snap_compare):
    async def findings(pilot):
        await wait_loaded(pilot)
        await pilot.press("colon", *"findings", "enter")
        await pilot.pause()

    assert snap_compare(snapshot_app(), terminal_size=SIZE, run_before=findings)
