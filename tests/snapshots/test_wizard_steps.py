"""SVG snapshots of each attach-wizard step at 140x40, on the demo snapshot (deterministic ids;
snapshot mode, so the review step shows Apply disabled with its reason)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ui"))

from uihelpers import node_of, snapshot_app, wait_loaded  # noqa: E402

SIZE = (140, 40)
# Keys from the first step (port) to reach each step: the ranked defaults are the right answers.
STEPS = {"port": [], "target_group": ["enter"], "role": ["enter", "enter"],
         "review": ["enter", "enter", "enter"]}


@pytest.mark.parametrize("step", list(STEPS))
def test_attach_wizard_step(snap_compare, step):
    async def walk(pilot):
        from tui.screens.wizard import open_attach_wizard

        await wait_loaded(pilot)
        app = pilot.app
        open_attach_wizard(app, app.graph, node_of(app, "ecs_service", "recommendations"),
                           app.config)
        await pilot.pause()
        for key in STEPS[step]:
            await pilot.press(key)
            await pilot.pause()
        assert app.screen.state.step == step

    assert snap_compare(snapshot_app(), terminal_size=SIZE, run_before=walk)
