"""Exporters: each parses back (json via node_link_graph, graphml via read_graphml) and is
deterministic whatever order the graph was built in."""

from __future__ import annotations

import io
import json
import random
import re

import networkx as nx
import pytest

from tui.export import FORMATS, export, to_dot, to_graphml, to_json, to_mermaid
from tui.model import fixtures as f
from tui.model.graph import build_graph


@pytest.fixture(scope="module")
def g() -> nx.MultiDiGraph:
    return build_graph(f.sample_inventory())


def shuffled(g):
    nodes, edges = list(g.nodes(data=True)), list(g.edges(keys=True, data=True))
    random.Random(7).shuffle(nodes)
    random.Random(7).shuffle(edges)
    out = nx.MultiDiGraph(**g.graph)
    out.add_nodes_from(nodes)
    out.add_edges_from(edges)
    return out


def test_json_is_node_link_and_parses_back(g):
    data = json.loads(to_json(g))
    assert set(data) >= {"nodes", "edges", "graph", "directed", "multigraph"}
    assert "inventories" not in data["graph"] and data["graph"]["account"] == f.ACCOUNT
    back = nx.node_link_graph(data, edges="edges")
    assert isinstance(back, nx.MultiDiGraph)
    assert set(back.nodes) == set(g.nodes)
    assert set(back.edges(keys=True)) == set(g.edges(keys=True))
    assert back.nodes[f.T_ORDERS_2] == json.loads(json.dumps(g.nodes[f.T_ORDERS_2]))
    assert back.edges[f.L_ORDERS, f.TG_ORDERS, "forwards_to"]["weight"] == 90


def test_graphml_parses_back_with_raw_as_json(g):
    back = nx.read_graphml(io.BytesIO(to_graphml(g).encode()), force_multigraph=True)
    assert set(back.nodes) == set(g.nodes)
    assert {(u, v, k) for u, v, k in back.edges(keys=True)} == set(g.edges(keys=True))
    node = back.nodes[f.TG_ORDERS]
    assert node["kind"] == "target_group" and json.loads(node["raw"]) == g.nodes[f.TG_ORDERS]["raw"]
    assert back.nodes[f.TG_SHARED]["missing"] is True
    assert back.edges[f.L_ORDERS, f.TG_ORDERS, "forwards_to"]["weight"] == 90
    assert back.graph["account"] == f.ACCOUNT


def test_mermaid_has_every_node_and_edge(g):
    text = to_mermaid(g)
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    assert len([x for x in lines if re.match(r'^    n\d+\["', x)]) == len(g)
    assert len([x for x in lines if " -->|" in x]) == g.number_of_edges()
    assert '|"forwards_to 90"|' in text and ":::missing" in text
    assert '"' not in re.sub(r'"[^"\n]*"', "", text)  # every quote is paired: labels escaped


def test_dot_has_every_node_and_edge_and_escapes(g):
    h = nx.MultiDiGraph()
    h.add_node('a"b\\c', kind="service", name='we"ird', raw={})
    h.add_edge('a"b\\c', "x", key="contains", kind="contains")
    h.nodes["x"].update(kind="listener", name="x", raw={})
    text = to_dot(h)
    assert '"a\\"b\\\\c" -> "x"' in text and 'we\\"ird' in text
    full = to_dot(g)
    assert full.startswith("digraph trellis {") and full.rstrip().endswith("}")
    assert full.count(" -> ") == g.number_of_edges()
    assert full.count("];") == 1 + len(g) + g.number_of_edges()  # + the node defaults


@pytest.mark.parametrize("fmt", FORMATS)
def test_output_is_deterministic(g, fmt):
    assert export(g, fmt) == export(shuffled(g), fmt)
