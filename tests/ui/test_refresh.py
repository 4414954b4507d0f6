"""A refresh that fails keeps the last good graph on screen and says so (issue 6)."""

from __future__ import annotations

from test_live import build_small_account, live_app
from uihelpers import SIZE, wait_for, wait_loaded


def _tree_ids(tree) -> set[str]:
    found, stack = set(), list(tree.root.children)
    while stack:
        node = stack.pop()
        found.add(node.data)
        stack.extend(node.children)
    return found


async def _reload_and_wait(pilot) -> None:
    app = pilot.app
    before = app.generation
    await pilot.press("r")
    await wait_for(pilot, lambda: app.generation > before and not app.loading, 60, "the reload")
    await pilot.pause()


async def test_every_call_denied_on_refresh_keeps_the_old_tree(sandbox):
    ids = build_small_account(sandbox)
    app = live_app(sandbox)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        screen = app.screen
        screen.jump(ids["svc"])
        await pilot.pause()
        good_graph, loaded_at = app.graph, app.loaded_at
        shown = _tree_ids(screen.tree)
        assert ids["svc"] in shown and "refresh failed" not in screen.query_one("#header").plain
        sandbox.faults.deny_operations.add("*")
        await _reload_and_wait(pilot)
        assert app.graph is good_graph and app.loaded_at == loaded_at
        assert _tree_ids(screen.tree) >= shown
        assert screen.tree.current_id == ids["svc"]
        header = screen.query_one("#header").plain
        assert "refresh failed" in header and "showing data loaded" in header
        assert any("Refresh failed" in (n.title or "") for n in app._notifications)
        # The next good refresh clears the warning.
        sandbox.faults.deny_operations.clear()
        await _reload_and_wait(pilot)
        assert app.graph is not good_graph and ids["svc"] in app.graph
        assert "refresh failed" not in screen.query_one("#header").plain


async def test_sandbox_gone_on_refresh_keeps_the_old_tree(sandbox_factory):
    box = sandbox_factory()
    ids = build_small_account(box)
    app = live_app(box)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        app.screen.jump(ids["tg"])
        await pilot.pause()
        good_graph = app.graph
        box.stop()
        await _reload_and_wait(pilot)
        assert app.graph is good_graph and ids["tg"] in _tree_ids(app.screen.tree)
        assert app.screen.tree.current_id == ids["tg"]
        assert "refresh failed" in app.screen.query_one("#header").plain
