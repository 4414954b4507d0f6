"""The load bar takes progress at any time: before its children exist and during teardown."""

from __future__ import annotations

from textual.app import App, ComposeResult

from widgets.load_bar import LoadBar


class _BarApp(App):
    def compose(self) -> ComposeResult:
        yield LoadBar(id="load-bar")


async def test_progress_while_children_are_gone_is_kept_not_raised():
    app = _BarApp()
    async with app.run_test() as pilot:
        bar = app.query_one(LoadBar)
        bar.update_progress(3, 10, "3/10 calls")
        await pilot.pause()
        assert bar.text == "3/10 calls"
        await bar.query("#load-text").remove()  # what exit does to the children
        bar.update_progress(4, 10, "4/10 calls")  # a late refresh timer: must not raise
        assert bar.text == ""
        assert bar._pending == (4, 10, "4/10 calls")
