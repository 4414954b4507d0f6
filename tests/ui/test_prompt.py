"""The `/` and `:` prompt when keys arrive faster than the app handles them (a fast typist, a
busy app, tmux send-keys): every key lands where the person meant it."""

from __future__ import annotations

from textual import events
from uihelpers import SIZE, snapshot_app, wait_for, wait_loaded

from widgets.prompt import Prompt


def _type_at_once(app, *keys: str) -> None:
    """Queue keys in one batch, as the terminal driver does while the app is busy."""
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


async def test_keys_typed_right_after_enter_reach_the_view_not_the_hidden_prompt():
    app = snapshot_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        screen = app.screen
        await pilot.press("colon", *"svc", "enter")
        await pilot.press("slash", *"chec")
        _type_at_once(app, "k", "enter", "h")
        await wait_for(pilot, lambda: screen.view == "health", 5, "h to open the health view")
        prompt = screen.query_one(Prompt)
        assert not prompt.is_open and prompt.value == "check"
        assert screen.filters["svc"] == "check"  # the last letter before enter still counts


async def test_keys_typed_right_after_escape_reach_the_view():
    app = snapshot_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        screen = app.screen
        await pilot.press("colon", *"svc", "enter")
        await pilot.press("slash", *"check")
        _type_at_once(app, "escape", "h")
        await wait_for(pilot, lambda: screen.view == "health", 5, "h to open the health view")
        assert screen.filters["svc"] == ""
        assert not screen.query_one(Prompt).is_open


async def test_q_right_after_a_command_quits():
    app = snapshot_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("colon", *"t")
        _type_at_once(app, "g", "enter", "q")
        await wait_for(pilot, lambda: app.return_code is not None, 5, "q to quit")
        assert app.screen.view == "tg"
