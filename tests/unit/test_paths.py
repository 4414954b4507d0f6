"""Traffic paths (every broken reason), orphans, and the cap on big graphs."""

from __future__ import annotations

import time

import networkx as nx
import pytest

from tui.model import fixtures as f
from tui.model.graph import build_graph
from tui.model.paths import all_paths, is_broken, orphans, paths_through


@pytest.fixture(scope="module")
def g() -> nx.MultiDiGraph:
    return build_graph(f.sample_inventory())


def nodes(path):
    return [hop.node for hop in path]


def hop(path, node):
    return next(h for h in path if h.node == node)


def test_a_healthy_path_from_vpc_to_task(g):
    paths = paths_through(g, f.TASK[1])
    full = [p for p in paths if nodes(p)[-3:] == [f.TG_ORDERS, f.T_ORDERS_1, f.TASK[1]]]
    default = next(p for p in full if f.RULE_ZERO not in nodes(p))
    assert nodes(default) == [
        f.VPC_A,
        f.SNVA_MAIN,
        f.SN_MAIN,
        f.SNSA_ORDERS,
        f.SVC_ORDERS,
        f.L_ORDERS,
        f.TG_ORDERS,
        f.T_ORDERS_1,
        f.TASK[1],
    ]
    assert not is_broken(default)
    tg = hop(default, f.TG_ORDERS)
    assert (tg.edge, tg.weight, tg.via) == ("forwards_to", 90, "default")
    assert hop(default, f.T_ORDERS_1).status == "HEALTHY"


@pytest.mark.parametrize(("node", "at", "reason"), [
    (f.SVC_BILLING, f.SNSA_BILLING, "association is CREATE_IN_PROGRESS"),
    (f.SN_LONELY, f.SN_LONELY, "no VPC association"),
    (f.RULE_ZERO, f.TG_ORDERS, "weight 0"),
    (f.T_ORDERS_2, f.T_ORDERS_2, "target is UNHEALTHY (HealthCheckFailed)"),
    (f.TG_BILLING, f.TG_BILLING, "target group has no targets"),
    (f.TASK[3], f.TASK[3], "task is STOPPED"),
    (f.T_API_2, f.T_API_2, "not backed by any ECS task"),
    (f.SVC_ORPHAN, f.SVC_ORPHAN, "not associated with any service network"),
    (f.TG_UNUSED, f.TG_UNUSED, "no listener or rule forwards to it"),
    (f.RULE_SHARED, f.TG_SHARED, "not in the inventory (account 444455556666"),
])  # fmt: skip
def test_each_broken_reason(g, node, at, reason):
    paths = paths_through(g, node)
    assert paths, node
    assert all(is_broken(p) for p in paths)
    assert any(reason in (hop(p, at).broken or "") for p in paths)


def test_no_false_alarms(g):
    for path in paths_through(g, f.TASK[5]):  # canary: healthy all the way
        assert not is_broken(path), [h.broken for h in path]
    lambda_path = paths_through(g, f.T_LAMBDA)[0]  # not an IP group: no task expected
    assert hop(lambda_path, f.T_LAMBDA).broken is None


def test_the_default_rule_is_not_a_second_path(g):
    assert all(f.RULE_DEFAULT not in nodes(p) for p in all_paths(g))
    assert all(f.RULE_DEFAULT not in nodes(p) for p in paths_through(g, f.L_ORDERS))
    # Asked about explicitly, it still shows where it goes.
    assert paths_through(g, f.RULE_DEFAULT)[0][-3].node == f.TG_ORDERS


def test_paths_through_a_vpc_cover_every_service_behind_it(g):
    paths = paths_through(g, f.VPC_A)
    assert all(p[0].node == f.VPC_A for p in paths)
    assert {f.SVC_ORDERS, f.SVC_BILLING} <= {n for p in paths for n in nodes(p)}
    assert paths_through(g, f.VPC_B) == []  # in no service network: no traffic path


def test_ecs_service_stands_for_its_tasks_and_target_groups(g):
    paths = paths_through(g, f.ECS_ORDERS)
    assert {f.TASK[1], f.TASK[2]} <= {p[-1].node for p in paths}
    assert len({tuple(nodes(p)) for p in paths}) == len(paths)  # no duplicates


def test_nothing_for_unknown_or_off_path_nodes(g):
    assert paths_through(g, "arn:nope") == []
    assert paths_through(g, f.SUBNET_A1) == []
    assert paths_through(g, f.TASK[4]) == []  # no target points at it


def test_hops_serialise(g):
    data = paths_through(g, f.T_ORDERS_2)[0][-2].to_dict()
    assert data["broken"].startswith("target is UNHEALTHY") and "weight" not in data


def test_orphans(g):
    assert orphans(g) == {
        "unused_target_groups": sorted([f.TG_UNUSED, f.TG_LAMBDA]),
        "services_without_network": [f.SVC_ORPHAN],
        "networks_without_vpc": [f.SN_LONELY],
    }


def test_all_paths_include_starts_that_are_not_vpcs(g):
    starts = {p[0].node for p in all_paths(g)}
    assert starts == {f.VPC_A, f.SN_LONELY, f.SVC_ORPHAN, f.TG_UNUSED, f.TG_LAMBDA}


def test_big_graphs_are_capped_not_enumerated():
    g = build_graph(f.scale_inventory(services=400))  # one VPC fans out to ~16k paths
    start = time.process_time()
    paths = paths_through(g, f.VPC_A, limit=50)
    assert len(paths) == 50
    assert len(list(all_paths(g, limit=100))) == 100
    assert time.process_time() - start < 1.0
