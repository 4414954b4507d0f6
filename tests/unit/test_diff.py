"""diff_graphs: added / removed / changed nodes (with the raw fields) and edges."""

from __future__ import annotations

from tui.model import fixtures as f
from tui.model.graph import ResourceGraph, build_graph
from tui.model.query import diff_graphs


def changed_inventory():
    inv = f.sample_inventory()
    targets = inv.records["target"]
    targets[:] = [t for t in targets if t["raw"]["id"] != "10.0.1.10"]  # deregistered
    next(t for t in targets if t["raw"]["id"] == "10.0.1.11")["raw"]["status"] = "HEALTHY"
    listener = inv.records["listener"][0]["raw"]
    listener["defaultAction"]["forward"]["targetGroups"][0]["weight"] = 50
    inv.add(
        "service",
        {
            "arn": f.SVC_ORDERS.replace("orders", "new"),
            "id": "svc-new",
            "name": "new",
            "status": "ACTIVE",
        },
    )
    return inv


def test_identical_graphs_have_no_diff():
    diff = diff_graphs(build_graph(f.sample_inventory()), build_graph(f.sample_inventory()))
    assert not any(diff.values())


def test_diff_names_what_changed():
    old, new = build_graph(f.sample_inventory()), build_graph(changed_inventory())
    diff = diff_graphs(ResourceGraph(old), new)
    assert [n["id"] for n in diff["added_nodes"]] == [f.SVC_ORDERS.replace("orders", "new")]
    assert diff["removed_nodes"] == [
        {"id": f.T_ORDERS_1, "kind": "target", "name": "10.0.1.10:8080"}
    ]
    changed = {n["id"]: n["changes"] for n in diff["changed_nodes"]}
    assert {"field": "raw.status", "old": "UNHEALTHY", "new": "HEALTHY"} in changed[f.T_ORDERS_2]
    assert {"field": "status", "old": "UNHEALTHY", "new": "HEALTHY"} in changed[f.T_ORDERS_2]
    assert changed[f.L_ORDERS] == [
        {"field": "raw.defaultAction.forward.targetGroups[0].weight", "old": 90, "new": 50}
    ]
    removed = {(e["source"], e["target"], e["kind"]) for e in diff["removed_edges"]}
    assert removed == {
        (f.TG_ORDERS, f.T_ORDERS_1, "registered"),
        (f.T_ORDERS_1, f.TASK[1], "backs"),
    }
    assert diff["changed_edges"] == [
        {
            "source": f.L_ORDERS,
            "target": f.TG_ORDERS,
            "kind": "forwards_to",
            "changes": [{"field": "weight", "old": 90, "new": 50}],
        }
    ]
    assert diff["added_edges"] == []


def test_reverse_diff_mirrors():
    old, new = build_graph(f.sample_inventory()), build_graph(changed_inventory())
    forward, backward = diff_graphs(old, new), diff_graphs(new, old)
    assert forward["added_nodes"] == backward["removed_nodes"]
    assert forward["removed_edges"] == backward["added_edges"]
