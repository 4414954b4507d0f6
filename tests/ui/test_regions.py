"""Several regions in one graph: the header names them, tables show where, `/` narrows."""

from __future__ import annotations

import json

from uihelpers import FIXED_CLOCK, SIZE, wait_loaded

from tui.app import make_app
from tui.config import AppConfig
from tui.loading import StaticSource
from tui.model.fixtures import ACCOUNT, REGION, sample_inventory
from tui.model.inventory import Inventory
from tui.screens.graphindex import matching_nodes

WEST = "us-west-2"


def two_regions() -> list[Inventory]:
    east = sample_inventory()
    west = Inventory.from_dict(json.loads(json.dumps(east.to_dict()).replace(REGION, WEST)))
    west.region = WEST
    return [east, west]


async def test_two_regions_header_columns_and_region_filter():
    app = make_app(AppConfig(), StaticSource(two_regions()), clock=lambda: FIXED_CLOCK)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        screen = app.screen
        assert sorted(app.graph.graph["regions"]) == [REGION, WEST]
        header = screen.query_one("#header").plain
        assert f"regions {REGION}, {WEST}" in header and f"account {ACCOUNT}" in header
        await pilot.press("colon", *"svc", "enter")
        await pilot.pause()
        table = screen.table
        labels = [str(c.label) for c in table.columns.values()]
        assert "REGION" in labels and "ACCOUNT" in labels
        total = table.row_count
        region_col = labels.index("REGION")
        assert {table.get_row_at(i)[region_col] for i in range(total)} == {REGION, WEST}
        await pilot.press("slash", *f"region:{WEST}", "enter")
        assert 0 < table.row_count == total // 2
        assert all(key.split(":")[3] == WEST for key in table.visible_keys)
        await pilot.press("escape")
        assert table.row_count == total
        # The tree narrows the same way, and by account.
        await pilot.press("t", "slash", *f"region:{WEST} orders", "enter")
        tree = screen.tree
        shown, stack = [], list(tree.root.children)
        while stack:
            node = stack.pop()
            shown.append(node.data)
            stack.extend(node.children)
        graph = app.graph
        svcs = [n for n in shown if n in graph and graph.nodes[n]["kind"] == "service"]
        assert svcs and all(graph.nodes[n]["region"] == WEST for n in svcs)
        assert all(graph.nodes[n]["region"] == WEST for n in shown if n in graph)
        other = matching_nodes(graph, "account:4444")
        assert other and all(graph.nodes[n]["account"] == "444455556666" for n in other)


async def test_one_region_has_no_place_columns():
    app = make_app(AppConfig(), StaticSource(sample_inventory()), clock=lambda: FIXED_CLOCK)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("colon", *"svc", "enter")
        await pilot.pause()
        labels = [str(c.label) for c in app.screen.table.columns.values()]
        assert "REGION" not in labels and "ACCOUNT" not in labels
        assert f"region {REGION}" in app.screen.query_one("#header").plain


async def test_live_source_crawls_every_region_into_one_tree(sandbox):
    """`trellis --region a,b` against a live endpoint: both regions load, the header names them."""
    import dataclasses

    import boto3

    from tui.loading import LiveSource

    names = {}
    for region in (REGION, WEST):
        lattice = boto3.client("vpc-lattice", region_name=region,
                               endpoint_url=sandbox.endpoint_url,
                               aws_access_key_id="testing", aws_secret_access_key="testing")
        names[region] = lattice.create_service(name=f"svc-{region}")["arn"]
    east = sandbox.connection()
    west = dataclasses.replace(east, region=WEST)
    config = AppConfig(connection=east, connections=(east, west), retry_mode="standard",
                       max_attempts=2)
    app = make_app(config, LiveSource(config), clock=lambda: FIXED_CLOCK)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        graph = app.graph
        assert {graph.nodes[arn]["region"] for arn in names.values()} == {REGION, WEST}
        assert f"regions {REGION}, {WEST}" in app.screen.query_one("#header").plain
