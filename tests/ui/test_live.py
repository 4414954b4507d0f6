"""The explorer against the sandbox: real HTTP, the real SDK and crawler, injected faults."""

from __future__ import annotations

from uihelpers import SIZE, node_of, wait_for, wait_loaded

from tui.app import make_app
from tui.config import AppConfig, Connection
from tui.errors import ConnectionFailure
from tui.loading import LiveSource


def build_small_account(sandbox) -> dict[str, str]:
    """VPC + service network + service + listener → IP target group, associated."""
    ec2 = sandbox.client("ec2")
    lattice = sandbox.client("vpc-lattice")
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    net = lattice.create_service_network(name="ui-net")
    svc = lattice.create_service(name="ui-svc")
    tg = lattice.create_target_group(
        name="ui-tg",
        type="IP",
        config={"port": 8080, "protocol": "HTTP", "vpcIdentifier": vpc},
    )
    lattice.create_listener(
        serviceIdentifier=svc["id"],
        name="ui-http",
        protocol="HTTP",
        port=80,
        defaultAction={
            "forward": {"targetGroups": [{"targetGroupIdentifier": tg["id"], "weight": 100}]}
        },
    )
    lattice.create_service_network_service_association(
        serviceNetworkIdentifier=net["id"], serviceIdentifier=svc["id"]
    )
    return {"vpc": vpc, "net": net["arn"], "svc": svc["arn"], "tg": tg["arn"]}


def live_app(sandbox, **config):
    cfg = AppConfig(connection=sandbox.connection(), max_attempts=1, **config)
    return make_app(cfg, LiveSource(cfg))


async def test_access_denied_is_marked_in_tree_header_and_errors_view(sandbox):
    ids = build_small_account(sandbox)
    sandbox.faults.deny_operations.add("ListTargets")
    app = live_app(sandbox)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        screen = app.screen
        assert ids["tg"] in app.graph
        errors = app.graph.graph["errors"]
        assert any(e["operation"] == "ListTargets" for e in errors)
        word = "load error" if len(errors) == 1 else "load errors"
        assert f"{len(errors)} {word}" in screen.query_one("#header").plain
        # The section says what is incomplete, the target group itself carries the mark.
        section = next(n for n in screen.tree.root.children if n.data == "sec:sn")
        assert "incomplete: ListTargets" in str(section.label)
        screen.jump(ids["tg"])
        await pilot.pause()
        assert screen.tree.current_id == ids["tg"]
        assert "⚠ load error" in str(screen.tree.cursor_node.label)
        # The errors view names the call, the resource and the missing IAM action.
        await pilot.press("E")
        rows = [
            [str(getattr(c, "plain", c)) for c in screen.table.get_row_at(i)]
            for i in range(screen.table.row_count)
        ]
        denied = [r for r in rows if r[1] == "ListTargets"]
        assert denied and denied[0][2] == "ui-tg"
        assert denied[0][4] == "missing IAM action vpc-lattice:ListTargets"
        # enter on the error goes to the resource it was about.
        index = rows.index(denied[0])
        screen.table.move_cursor(row=index)
        await pilot.press("enter")
        assert screen.view == "tree" and screen.tree.current_id == ids["tg"]


async def test_tree_fills_while_loading_then_reload_sees_new_resources(sandbox):
    ids = build_small_account(sandbox)
    sandbox.faults.latency_ms = 120  # every call is slow: the crawl takes seconds
    app = live_app(sandbox, max_concurrency=2)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.loading, 10, "the crawl to start")
        screen_bar = app.screen.query_one("#load-bar")
        await wait_for(pilot, lambda: "calls" in screen_bar.text, 20, "progress text")
        # A partial graph reaches the tree before the crawl ends.
        await wait_for(pilot, lambda: app.graph is not None, 60, "a partial graph")
        assert app.loading, "the first graph should arrive while still loading"
        await wait_loaded(pilot)
        assert ids["net"] in app.graph
        assert not screen_bar.display or screen_bar.has_class("-done")
        sandbox.faults.latency_ms = 0
        lattice = sandbox.client("vpc-lattice")
        new = lattice.create_service_network(name="added-later")["arn"]
        await pilot.press("r")
        await wait_for(
            pilot,
            lambda: app.graph is not None and new in app.graph and not app.loading,
            60,
            "the reload",
        )
        assert node_of(app, "service_network", "added-later") == new
        sections = {n.data: n for n in app.screen.tree.root.children}
        assert "(2)" in str(sections["sec:sn"].label)


async def test_unknown_profile_ends_the_app_with_one_connection_error():
    config = AppConfig(connection=Connection(profile="no-such-profile", region="us-east-1"))
    app = make_app(config, LiveSource(config))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.fatal_error is not None, 20, "the failure")
    assert isinstance(app.fatal_error, ConnectionFailure)
    assert "no-such-profile" in str(app.fatal_error)
    assert app.return_code == 2


async def test_region_command_switches_and_reloads(sandbox):
    ids = build_small_account(sandbox)
    app = live_app(sandbox)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        assert ids["net"] in app.graph
        first_generation = app.generation
        await pilot.press("colon", *"region eu-west-1", "enter")
        await wait_for(pilot, lambda: app.generation > first_generation, 5, "a reload")
        await wait_loaded(pilot)
        assert app.source.connection.region == "eu-west-1"
        assert "region eu-west-1" in app.screen.query_one("#header").plain
        assert ids["net"] not in app.graph  # that network lives in us-east-1
        # :ctx opens the profile picker; esc leaves everything as it was.
        await pilot.press("colon", *"ctx", "enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "PickScreen"
        # The tests' AWS config file is empty: the picker says so instead of a blank list.
        assert "No profiles" in str(app.screen.query_one("#pick-empty").render())
        await pilot.press("escape")
        assert app.source.connection.region == "eu-west-1"
        # :region with no argument opens the list on the region in use.
        await pilot.press("colon", *"region", "enter")
        await pilot.pause()
        picker = app.screen.query_one("#pick-list")
        assert picker.get_option_at_index(picker.highlighted).id == "eu-west-1"
        await pilot.press("escape")
