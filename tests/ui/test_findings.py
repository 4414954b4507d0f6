"""The doctor in the explorer, on the demo snapshot: :findings view, Findings tab, tree badges,
header count, Path marks; and the big-graph table fill that must not freeze the UI."""

from __future__ import annotations

import asyncio
import time

from uihelpers import SIZE, node_of, screen_text, snapshot_app, wait_for, wait_loaded

from tui.doctor import run_doctor
from tui.doctor.findings import severity_rank


def _index(app):
    from tui.checks import findings_index

    index = findings_index(app.graph)
    assert index is not None, "the doctor did not run after the load"
    return index


async def test_findings_view_errors_first_and_enter_jumps_to_the_node():
    app = snapshot_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        screen = app.screen
        expected = run_doctor(app.graph)  # the same rules, run here independently
        await pilot.press("colon", *"findings", "enter")
        assert screen.view == "findings"
        table = screen.table
        assert table.row_count == len(expected) > 10
        severities = [str(table.get_row(k)[0]).split()[-1] for k in table.visible_keys]
        assert severities == sorted(severities, key=severity_rank)
        assert severities[0] == "error" and severities[-1] != "error"
        rules = {str(table.get_row(k)[1]) for k in table.visible_keys}
        assert rules == {f.rule for f in expected}
        # Walk down to the tg-all-unhealthy row and press enter: the tree, on inventory-tg.
        tg = node_of(app, "target_group", "inventory-tg")
        for _ in range(table.row_count):
            if str(table.get_row(table.current_key)[1]) == "tg-all-unhealthy":
                break
            await pilot.press("down")
        assert str(table.get_row(table.current_key)[1]) == "tg-all-unhealthy"
        assert screen.detail.node_id == tg  # the detail pane follows the row's node
        await pilot.press("enter")
        assert screen.view == "tree"
        assert screen.tree.current_id == tg


async def test_findings_tab_lists_evidence_and_fix_and_clean_nodes_say_so():
    app = snapshot_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        screen = app.screen
        tg = node_of(app, "target_group", "inventory-tg")
        screen.jump(tg)
        await pilot.press("5")
        await pilot.pause()
        assert screen.detail.active == "tab-findings"
        assert screen.detail.tabs.get_tab("tab-findings").label_text == "Findings (2)"
        body = screen.query_one("#findings-body").plain
        for text in ("tg-all-unhealthy", "hc-port-mismatch", "evidence:", "fix:", "8081"):
            assert text in body, text
        clean = node_of(app, "service", "checkout")
        screen.jump(clean)
        await pilot.pause()
        assert "found nothing wrong" in screen.query_one("#findings-body").plain
        assert screen.detail.tabs.get_tab("tab-findings").label_text == "Findings"
        # An unhealthy target has no finding of its own: its group's are shown beneath.
        target = next(n for n in app.graph.successors(tg)
                      if app.graph.nodes[n].get("kind") == "target")
        screen.jump(target)
        await pilot.pause()
        body = screen.query_one("#findings-body").plain
        assert "On its target group inventory-tg" in body and "hc-port-mismatch" in body


async def test_tree_badges_and_header_count_errors():
    app = snapshot_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        errors = sum(f.severity == "error" for f in run_doctor(app.graph))
        assert errors > 0
        header = app.screen.query_one("#header").plain
        assert f"✗ {errors} error findings" in header
        tree = app.screen.tree
        await pilot.press("enter")  # open "Service networks"
        labels = {node.data: str(node.label) for node in tree.root.children[0].children}
        assert "✗1" in labels[node_of(app, "service_network", "partner-net")]  # sn-no-vpc
        assert "✗" not in labels[node_of(app, "service_network", "shop-prod-net")]
        app.screen.jump(node_of(app, "rule", "v1-sunset"))  # a warning only
        await pilot.pause()
        assert str(tree.cursor_node.label).endswith("!1")


async def test_path_tab_marks_the_hop_a_finding_breaks():
    app = snapshot_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("h", "enter", "3")  # worst target → its paths
        await pilot.pause()
        path = app.screen.query_one("#path-tree")
        labels = []
        stack = list(path.root.children)
        while stack:
            node = stack.pop()
            labels.append((node.data, str(node.label)))
            stack.extend(node.children)
        listener = node_of(app, "listener", "inventory-http")
        marked = [label for data, label in labels if data == listener]
        assert marked and all("✗ listener-dead-end" in label for label in marked)
        tg = node_of(app, "target_group", "inventory-tg")
        assert any("hc-port-mismatch" in label for data, label in labels if data == tg)
        sg_ok = node_of(app, "service", "inventory")  # no error finding: no mark
        assert all("✗" not in label for data, label in labels if data == sg_ok)
        assert "hop(s) with doctor errors" in str(path.root.label)


async def test_big_graph_health_view_builds_rows_off_the_ui_thread():
    from tui.app import make_app
    from tui.config import AppConfig
    from tui.loading import StaticSource
    from tui.model.fixtures import scale_inventory

    inventory = scale_inventory(services=1000, targets=10)  # 10k targets, ~28k nodes
    app = make_app(AppConfig(), StaticSource(inventory))
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot, timeout=120)
        screen = app.screen
        # Press h as the keyboard does (Pilot.press would wait for the CPU to go idle, i.e.
        # for the rows to be built, hiding what the user feels).
        started = time.monotonic()
        screen.action_view("health")
        assert screen.rows_building, "the health rows were built on the UI thread"
        screen.action_command()  # the UI answers keys meanwhile: the `:` prompt opens
        await asyncio.sleep(0.05)
        assert screen.query_one("#prompt").has_focus
        assert "building rows" in screen_text(app)
        screen.query_one("#prompt").action_cancel()
        turns = 0  # the event loop keeps turning while the rows are built
        while screen.rows_building and time.monotonic() - started < 60:
            await asyncio.sleep(0.01)
            turns += 1
        assert turns >= 5, f"the UI froze while building rows ({turns} loop turns)"
        await wait_for(pilot, lambda: not screen.rows_building, 60, "the health rows")
        await pilot.pause()
        assert screen.view == "health"
        assert screen.table.matching == 10_000
        assert screen.table.row_count == screen.table.limit
        assert screen.detail.node_id == screen.table.current_key
        # Leaving the view before the rows arrive drops them (no stale table, no crash).
        screen.show_view("target")
        assert screen.rows_building
        screen.show_view("tree")

        def building() -> bool:
            return any(w.group == "table-rows" and w.is_running for w in app.workers)

        await wait_for(pilot, lambda: not building(), 60, "the dropped fill")
        await pilot.pause()
        assert screen.view == "tree" and not screen.rows_building
        assert screen.query_one("#switcher").current == "tree"
