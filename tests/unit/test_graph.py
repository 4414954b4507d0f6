"""build_graph over the hand-built sample inventory: every kind, edge, stub and attribute."""

from __future__ import annotations

import time
from collections import Counter

import networkx as nx
import pytest

from tui.model import fixtures as f
from tui.model.graph import ResourceGraph, build_graph, kind_from_arn
from tui.model.inventory import Inventory
from tui.model.kinds import EdgeKind, NodeKind


@pytest.fixture(scope="module")
def g() -> nx.MultiDiGraph:
    return build_graph(f.sample_inventory())


def edge(g, u, v, kind):
    assert g.has_edge(u, v, key=kind), f"missing {kind}: {u} -> {v}"
    return g.edges[u, v, kind]


def test_every_node_kind_and_edge_kind_is_present(g):
    kinds = Counter(kind for _, kind in g.nodes(data="kind"))
    assert set(kinds) == {k.value for k in NodeKind}
    assert {k for *_, k in g.edges(keys=True)} == {e.value for e in EdgeKind}
    for _, _, key, data in g.edges(keys=True, data=True):
        assert data["kind"] == key


def test_every_node_has_the_common_attributes(g):
    for nid, data in g.nodes(data=True):
        for attr in ("kind", "name", "region", "account", "raw"):
            assert attr in data, (nid, attr)
        assert data["name"], nid


def test_lattice_edges_and_weights(g):
    assert edge(g, f.VPC_A, f.SNVA_MAIN, "associated")
    assert edge(g, f.SNVA_MAIN, f.SN_MAIN, "associated")
    assert edge(g, f.SN_MAIN, f.SNSA_ORDERS, "associated")
    assert edge(g, f.SNSA_ORDERS, f.SVC_ORDERS, "associated")
    assert edge(g, f.SVC_ORDERS, f.L_ORDERS, "contains")
    assert edge(g, f.L_ORDERS, f.RULE_API, "contains")
    # The default action named the group by bare id: resolved to its ARN.
    assert edge(g, f.L_ORDERS, f.TG_ORDERS, "forwards_to") == {
        "kind": "forwards_to",
        "via": "default",
        "weight": 90,
    }
    assert edge(g, f.L_ORDERS, f.TG_CANARY, "forwards_to")["weight"] == 10
    assert edge(g, f.RULE_API, f.TG_API, "forwards_to")["via"] == "rule"
    assert edge(g, f.RULE_ZERO, f.TG_ORDERS, "forwards_to")["weight"] == 0
    assert edge(g, f.TG_ORDERS, f.T_ORDERS_1, "registered")
    assert edge(g, f.TG_ORDERS, f.VPC_A, "in")
    assert edge(g, f.SNVA_MAIN, f.SG_LATTICE, "in")
    assert edge(g, f.SVC_ORDERS, f.AUTH_ORDERS, "contains")
    assert edge(g, f.SN_MAIN, f.ALS_MAIN, "contains")
    assert edge(g, f.RGW, f.RCFG, "contains")  # resourceGatewayId resolved to the ARN
    assert edge(g, f.RGW, f.SUBNET_A2, "in")


def test_ecs_edges(g):
    attached = edge(g, f.ECS_ORDERS, f.TG_ORDERS, "attached")
    assert attached["port_name"] == "web" and attached["role_arn"] == f.ROLE_LATTICE
    assert edge(g, f.ECS_ORDERS, f.ROLE_LATTICE, "uses")
    assert edge(g, f.ECS_ORDERS, f.TD_ORDERS, "uses")
    assert edge(g, f.CLUSTER, f.ECS_ORDERS, "contains")
    assert edge(g, f.ECS_ORDERS, f.TASK[1], "contains")
    assert not g.has_edge(f.CLUSTER, f.TASK[1])  # a service's task hangs under the service
    assert edge(g, f.CLUSTER, f.TASK[4], "contains")  # a standalone task under its cluster
    assert edge(g, f.TASK[1], f.TD_ORDERS, "uses")
    assert edge(g, f.TASK[1], f.SUBNET_A1, "in")
    assert edge(g, f.ECS_ORDERS, f.SUBNET_A1, "in")
    assert edge(g, f.SG_WEB, f.ECS_ORDERS, "guards")
    assert edge(g, f.SG_WEB, f.TASK[1], "guards")  # from the deployment that started it
    assert not g.has_edge(f.SG_WEB, f.TASK[4])


def test_targets_are_backed_by_the_task_with_their_ip(g):
    assert edge(g, f.T_ORDERS_1, f.TASK[1], "backs")
    assert edge(g, f.T_ORDERS_2, f.TASK[2], "backs")
    assert edge(g, f.T_CANARY, f.TASK[5], "backs")
    assert not list(g.successors(f.T_API_2))  # 10.0.1.99: no task has it
    assert not list(g.successors(f.T_LAMBDA))


def test_backs_only_within_the_target_groups_vpc():
    inv = f.sample_inventory()
    # Move task 1 into vpc-b (same IP): the vpc-a target must no longer point at it.
    task = next(r["raw"] for r in inv.of("ecs_task") if r["raw"]["taskArn"] == f.TASK[1])
    task["attachments"][0]["details"][0]["value"] = "subnet-b1"
    g = build_graph(inv)
    assert not g.has_edge(f.T_ORDERS_1, f.TASK[1])


def test_ec2_edges_and_route_tables(g):
    assert edge(g, f.VPC_A, f.SUBNET_A1, "contains")
    assert edge(g, f.VPC_A, f.VPCE_ECR, "contains")
    assert edge(g, f.SUBNET_A1, f.RTB_PRIVATE, "uses")  # explicit association
    assert edge(g, f.SUBNET_A2, f.RTB_MAIN, "uses")  # falls back to the main table
    assert not g.has_edge(f.SUBNET_A1, f.RTB_MAIN)
    assert not list(g.successors(f.SUBNET_B1))  # vpc-b has no route tables loaded
    assert edge(g, f.VPCE_S3, f.RTB_PRIVATE, "uses")
    assert edge(g, f.VPCE_ECR, f.SUBNET_A1, "in")
    assert edge(g, f.SG_ENDPOINT, f.VPCE_ECR, "guards")
    assert g.nodes[f.VPC_A]["name"] == "main-vpc"  # from the Name tag


def test_status_attributes(g):
    assert g.nodes[f.T_ORDERS_2]["status"] == "UNHEALTHY"
    assert g.nodes[f.T_ORDERS_2]["reason_code"] == "HealthCheckFailed"
    assert g.nodes[f.TASK[3]]["status"] == "STOPPED"
    assert g.nodes[f.TASK[1]]["ips"] == ["10.0.1.10"]
    assert g.nodes[f.SNSA_BILLING]["status"] == "CREATE_IN_PROGRESS"
    assert g.nodes[f.ECS_ORDERS]["status"] == "ACTIVE"
    assert g.nodes[f.ECS_ORDERS]["rollout_state"] == "COMPLETED"
    assert g.nodes[f.SVC_ORDERS]["dns"][0].startswith("orders-")
    assert "status" not in g.nodes[f.L_ORDERS]


def test_references_outside_the_inventory_become_stub_nodes(g):
    shared = g.nodes[f.TG_SHARED]
    assert shared["kind"] == "target_group" and shared["missing"] and shared["raw"] == {}
    assert shared["account"] == f.OTHER_ACCOUNT and shared["region"] == f.REGION
    assert edge(g, f.RULE_SHARED, f.TG_SHARED, "forwards_to")
    role = g.nodes[f.ROLE_API]
    assert role["kind"] == "iam_role" and role["missing"]
    assert role["region"] == f.REGION  # IAM ARNs carry no region: the referrer's
    assert role["load_errors"][0]["operation"] == "GetRole"
    assert not g.nodes[f.ROLE_LATTICE].get("missing")


def test_graph_metadata(g):
    assert g.graph["account"] == f.ACCOUNT and g.graph["region"] == f.REGION
    assert g.graph["prefix_lists"][0]["PrefixListId"] == "pl-0123"
    assert g.graph["errors"][0]["code"] == "AccessDenied"
    assert list(g.graph["incomplete_kinds"]) == ["iam_role"]


def test_build_is_deterministic():
    one = nx.node_link_data(build_graph(f.sample_inventory()), edges="edges")
    two = nx.node_link_data(build_graph(f.sample_inventory()), edges="edges")
    one.pop("graph"), two.pop("graph")
    assert one == two


def test_several_inventories_merge_and_real_nodes_replace_stubs():
    home = f.sample_inventory()
    other = Inventory(account=f.OTHER_ACCOUNT, region="eu-west-1")
    other.add(
        "target_group",
        {
            "arn": f.TG_SHARED,
            "id": "tg-shared",
            "name": "shared",
            "type": "IP",
            "status": "ACTIVE",
            "config": {},
        },
    )
    g = build_graph([home, other])
    assert not g.nodes[f.TG_SHARED].get("missing")
    assert g.nodes[f.TG_SHARED]["name"] == "shared"
    assert g.has_edge(f.RULE_SHARED, f.TG_SHARED, key="forwards_to")
    assert g.graph["accounts"] == sorted([f.ACCOUNT, f.OTHER_ACCOUNT])
    assert g.graph["regions"] == ["eu-west-1", "us-east-1"]


@pytest.mark.parametrize(("arn", "kind"), [
    (f.L_ORDERS, "listener"), (f.RULE_API, "rule"), (f.SVC_ORDERS, "service"),
    (f.T_ORDERS_1, "target"), (f.AUTH_ORDERS, "auth_policy"), (f.SNVA_MAIN, "sn_vpc_association"),
    (f.TASK[1], "ecs_task"), (f.TD_API, "task_definition"), (f.ROLE_API, "iam_role"),
    (f.VPCE_S3, "vpc_endpoint"), ("sg-123", None), ("arn:aws:s3:::bucket", None),
])  # fmt: skip
def test_kind_from_arn(arn, kind):
    assert kind_from_arn(arn) == kind


def test_resource_graph_queries(g):
    rg = ResourceGraph(g)
    assert rg.node(f.TG_API)["name"] == "api"
    assert sorted(rg.by_kind("service")) == sorted([f.SVC_ORDERS, f.SVC_BILLING, f.SVC_ORPHAN])
    assert rg.neighbours(f.TG_ORDERS, "registered") == [f.T_ORDERS_1, f.T_ORDERS_2]
    assert set(rg.neighbours(f.TG_ORDERS, "forwards_to", "in")) == {
        f.L_ORDERS,
        f.RULE_ZERO,
        f.RULE_DEFAULT,
    }
    assert f.ECS_ORDERS in rg.neighbours(f.TG_ORDERS, direction="both")
    up = rg.upstream(f.TASK[1], ["backs", "registered", "forwards_to", "contains", "associated"])
    assert {f.VPC_A, f.SN_MAIN, f.SVC_ORDERS, f.TG_ORDERS} <= up
    assert f.SG_WEB not in up  # guards edges were excluded
    assert f.SG_WEB in rg.upstream(f.TASK[1])
    down = rg.downstream(f.SVC_ORDERS, ["contains", "forwards_to", "registered", "backs"])
    assert {f.TASK[1], f.TASK[2], f.TASK[3], f.TG_SHARED} <= down and f.TASK[4] not in down


@pytest.mark.parametrize(("text", "expected"), [
    ("10.0.1.11", f.TASK[2]),  # IP of a task
    ("orders-0a1b", f.SVC_ORDERS),  # DNS name
    ("tg-api", f.TG_API),  # part of an ARN
    ("vpce-ecr.dkr.example", f.VPCE_ECR),  # endpoint DNS
    ("MAIN-VPC", f.VPC_A),  # name, case-insensitive
])  # fmt: skip
def test_find(g, text, expected):
    assert expected in ResourceGraph(g).find(text)


def test_find_puts_exact_matches_first_and_limits(g):
    rg = ResourceGraph(g)
    # Exact names first (the target group and the ECS service "api"), then mere substrings.
    hits = rg.find("api")
    assert set(hits[:2]) == {f.TG_API, f.ECS_API} and f.RULE_API in hits[2:]
    assert len(rg.find("arn:", limit=3)) == 3
    assert rg.find("   ") == []


def test_twenty_thousand_nodes_build_fast():
    inv = f.scale_inventory(services=800)
    start = time.process_time()
    g = build_graph(inv)
    cpu = time.process_time() - start
    print(f"build_graph: {len(g)} nodes, {g.number_of_edges()} edges, {cpu:.3f} s CPU")
    assert len(g) > 20_000
    assert cpu < 1.5  # ~0.35 s on the 2-core CI box; generous for noisy neighbours
