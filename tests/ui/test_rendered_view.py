"""The detail pane's text view: rendered once to lines, scrolls, and re-wraps at a new width."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult

from widgets.rendered_view import RenderedView


class _ViewApp(App):
    CSS = "RenderedView { width: 30; height: 5; }"

    def compose(self) -> ComposeResult:
        yield RenderedView(id="view")


async def test_long_text_scrolls_and_rewraps_when_resized():
    app = _ViewApp()
    async with app.run_test(size=(60, 10)) as pilot:
        view = app.query_one(RenderedView)
        view.update(Text("\n".join(f"line {i:02d} " + "word " * 8 for i in range(20))))
        await pilot.pause()
        assert view.plain.splitlines()[0].startswith("line 00")
        rows = len(view.plain.splitlines())
        assert rows > 20  # wrapped at 30 columns less the scrollbar
        assert view.virtual_size.height == rows and view.max_scroll_y > 0
        view.scroll_end(animate=False)
        await pilot.pause()
        assert any("line 19" in view.render_line(y).text for y in range(5))
        view.styles.width = 58
        await pilot.pause()
        assert len(view.plain.splitlines()) < rows  # wider: fewer wrapped rows
        view.update(Text("short"))
        await pilot.pause()
        assert view.plain == "short" and view.scroll_offset.y == 0


async def test_a_loaded_graph_is_frozen_out_of_the_cyclic_collector():
    import gc

    from uihelpers import snapshot_app, wait_loaded

    from tui import app_checks

    app_checks._last_settle.clear()  # another test's app may have settled less than 30 s ago
    gc.unfreeze()
    app = snapshot_app()
    async with app.run_test() as pilot:
        await wait_loaded(pilot)
        await pilot.pause()
        assert not app.checking and gc.get_freeze_count() > 10_000
    gc.unfreeze()
