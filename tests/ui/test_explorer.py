"""The explorer against a real snapshot of the demo seed (crawled from the sandbox)."""

from __future__ import annotations

from uihelpers import SIZE, node_of, screen_text, snapshot_app, wait_for, wait_loaded

from tui.screens.nodeinfo import health_rank
from tui.screens.overview import overview_rows


async def test_first_frame_then_tree_fills_and_drill_in():
    app = snapshot_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        screen = app.screen
        tree = screen.tree
        assert [n.data for n in tree.root.children][:2] == ["sec:sn", "sec:svc"]
        # enter expands the service networks; down + enter drills into the first network.
        await pilot.press("enter", "down", "enter")
        first_net = tree.cursor_node
        assert first_net.data == node_of(app, "service_network", "partner-net")
        assert first_net.is_expanded and first_net.children
        await pilot.press("down")
        assert app.graph.nodes[tree.current_id]["kind"] == "service"
        assert screen.detail.node_id == tree.current_id
        assert "Lattice service" in screen_text(app)


async def test_related_tab_jumps_both_ways_and_history_returns():
    app = snapshot_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        screen = app.screen
        tg = node_of(app, "target_group", "inventory-tg")
        screen.jump(tg)
        await pilot.pause()
        assert screen.tree.current_id == tg
        await pilot.press("2")  # Related tab, keyboard in its tree
        related = screen.query_one("#related-tree")
        assert related.has_focus
        labels = [str(g.label) for g in related.root.children]
        assert any("receives traffic from" in label for label in labels)  # who uses this
        assert any("has targets" in label for label in labels)  # what this uses
        # Walk to the first leaf under "has targets" and press enter: we land on a target.
        group = next(g for g in related.root.children if "has targets" in str(g.label))
        related.move_cursor(group.children[0])
        target = group.children[0].data
        await pilot.press("enter")
        assert screen.tree.current_id == target
        assert app.graph.nodes[target]["kind"] == "target"
        # Back to the target group with [ (history), forward again with ].
        await pilot.press("escape")  # leave the related tree? no: esc is "back" in the screen
        await wait_for(pilot, lambda: screen.tree.current_id == tg, 5, "history back")
        await pilot.press("right_square_bracket")
        await wait_for(pilot, lambda: screen.tree.current_id == target, 5, "history forward")
        await pilot.press("left_square_bracket")
        await wait_for(pilot, lambda: screen.tree.current_id == tg, 5, "history back again")


async def test_colon_commands_open_sortable_tables_and_enter_drills():
    app = snapshot_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        screen = app.screen
        await pilot.press("colon", *"tg", "enter")
        assert screen.view == "tg"
        table = screen.table
        kinds = {app.graph.nodes[k]["kind"] for k in table.visible_keys}
        assert kinds == {"target_group"}
        assert table.row_count == 13
        names = [app.graph.nodes[k]["name"] for k in table.visible_keys]
        assert names == sorted(names, key=str.lower)
        await pilot.press("s")  # sort by the cursor's column (NAME) again: reversed
        names_rev = [app.graph.nodes[k]["name"] for k in table.visible_keys]
        assert names_rev == sorted(names, key=str.lower, reverse=True)
        assert table.current_key == node_of(app, "target_group", names[0])  # cursor kept its row
        await pilot.press("up", "enter")
        chosen = names_rev[-2]
        assert screen.view == "tree"
        assert app.graph.nodes[screen.tree.current_id]["name"] == chosen
        for command, kind in [
            ("svc", "service"),
            ("task", "ecs_task"),
            ("cluster", "ecs_cluster"),
            ("sn", "service_network"),
            ("listener", "listener"),
            ("ecs", "ecs_service"),
            ("vpc", "vpc"),
            ("role", "iam_role"),
            ("target", "target"),
        ]:
            await pilot.press("colon", *command, "enter")
            assert screen.view == command
            assert {app.graph.nodes[k]["kind"] for k in screen.table.visible_keys} == {kind}
        await pilot.press("colon", *"nonsense", "enter")
        assert screen.view == "target"  # unknown command: stays, says so


async def test_health_two_keys_unhealthy_first_with_service_and_task():
    app = snapshot_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("h")
        screen = app.screen
        assert screen.view == "health"
        keys = screen.table.visible_keys
        statuses = [app.graph.nodes[k].get("status") for k in keys]
        assert statuses[0] == "UNHEALTHY"
        assert [health_rank(s) for s in statuses] == sorted(health_rank(s) for s in statuses)
        row = screen.table.get_row_at(0)
        plain = [str(getattr(c, "plain", c)) for c in row]
        assert plain[2] == "HealthCheckFailed"
        assert plain[3] == "inventory-tg" and plain[4] == "inventory"
        assert plain[5] == "inventory" and plain[6] != "—"  # ECS service and backing task
        # The target's Overview says the same, so no column has to be scrolled to.
        overview = dict(overview_rows(app.graph, keys[0]))
        assert overview["Target group"] == "inventory-tg"
        assert overview["Lattice service"] == "inventory"
        assert overview["ECS service"] == "inventory" and overview["ECS task"] == plain[6]
        # enter follows the target into the tree; the Path tab shows the broken hop.
        await pilot.press("enter", "3")
        assert screen.tree.current_id == keys[0]
        path_tree = screen.query_one("#path-tree")
        lines = []
        stack = [path_tree.root]
        while stack:
            node = stack.pop()
            lines.append(str(node.label))
            stack.extend(node.children)
        text = "\n".join(lines)
        assert "sn shop-prod-net" in text and "svc inventory" in text
        assert "✗" in text and "UNHEALTHY" in text
        assert "broken link" in str(path_tree.root.label)


async def test_filter_narrows_current_view_and_escape_clears():
    app = snapshot_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        screen = app.screen
        await pilot.press("colon", *"target", "enter")
        total = screen.table.row_count
        await pilot.press("slash", *"10.0.1.13", "enter")
        assert screen.table.row_count == 1
        assert screen.table.visible_keys[0].endswith("/target/10.0.1.13:8080")
        await pilot.press("escape")
        assert screen.table.row_count == total
        # In the tree: filter by a name, matches shown under their ancestors.
        await pilot.press("t", "slash", *"checkout", "enter")
        tree = screen.tree
        shown = []
        stack = list(tree.root.children)
        while stack:
            node = stack.pop()
            shown.append(node.data)
            stack.extend(node.children)
        assert node_of(app, "service", "checkout") in shown
        assert node_of(app, "service", "auth") not in shown
        await pilot.press("escape")
        assert tree.filter_text == ""


async def test_snapshot_mode_badge_errors_view_copy_and_console_link():
    app = snapshot_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        header = app.screen.query_one("#header").plain
        assert "snapshot from 2026-11-22 00:21" in header
        assert "read-only" in header and "account 123456789012" in header
        assert not app.config.can_write
        svc = node_of(app, "service", "checkout")
        app.screen.jump(svc)
        await pilot.press("y")
        assert app.clipboard == svc
        await pilot.press("b")
        assert app.clipboard.startswith("https://us-east-1.console.aws.amazon.com/vpcconsole/")
        await pilot.press("question_mark")
        await pilot.pause()
        help_text = screen_text(app)
        for key in (":cmd", "/filter", "history", "copy", "console", ":health", ":ctx"):
            assert key.lower() in help_text.lower(), key
        await pilot.press("escape")
        await pilot.press("E")
        assert app.screen.view == "errors"
        assert app.screen.table.row_count == 0


async def test_command_palette_finds_a_node_by_fuzzy_name(tmp_path, monkeypatch):
    app = snapshot_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("ctrl+p", *"pymnts")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await wait_for(
            pilot,
            lambda: (
                app.screen.tree.current_id is not None
                and "payments" in app.graph.nodes[app.screen.tree.current_id]["name"]
            ),
            5,
            "palette jump",
        )
        monkeypatch.chdir(tmp_path)
        await pilot.press("ctrl+s")
        saved = list(tmp_path.glob("trellis-123456789012-us-east-1-*.json"))
        assert len(saved) == 1
        from tui.snapshot import load_snapshot

        inventory, _ = load_snapshot(saved[0])
        assert inventory.counts() == app.inventory.counts()


async def test_refresh_reloads_on_its_own():
    from uihelpers import DEMO_SNAPSHOT

    from tui.app import make_app
    from tui.config import AppConfig
    from tui.loading import SnapshotSource

    config = AppConfig(snapshot_path=DEMO_SNAPSHOT, refresh_seconds=0.3)
    app = make_app(config, SnapshotSource(DEMO_SNAPSHOT, config))
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await wait_for(pilot, lambda: app.generation >= 3, 10, "two automatic reloads")
        assert app.graph is not None and app.graph.number_of_nodes() > 50


async def test_snapshot_cannot_switch_region():
    app = snapshot_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        source = app.source
        await pilot.press("colon", *"region eu-west-1", "enter")
        await pilot.pause()
        assert app.source is source  # a snapshot has no region to switch to
        assert "region us-east-1" in app.screen.query_one("#header").plain


async def test_attach_from_the_health_view_prefills_the_targets_ecs_service():
    from tui.screens.wizard import WizardScreen

    app = snapshot_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("h")  # the first row: an UNHEALTHY target of inventory-tg
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, WizardScreen)
        assert app.screen.state.service_arn == node_of(app, "ecs_service", "inventory")
        await pilot.press("escape")
