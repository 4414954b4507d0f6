"""Graph exporters: json (networkx node-link), mermaid, dot, graphml. Deterministic output.

Only the JSON-able graph metadata is exported (not the source inventories).
"""

from __future__ import annotations

import io
import json
from typing import Any

import networkx as nx

FORMATS = ("json", "mermaid", "dot", "graphml")
_META_KEYS = ("account", "region", "accounts", "regions", "errors", "incomplete_kinds",
              "prefix_lists")  # fmt: skip


def _meta(g: nx.MultiDiGraph) -> dict[str, Any]:
    return {k: g.graph[k] for k in _META_KEYS if k in g.graph}


def _sorted_copy(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Same graph, nodes and edges in sorted order, so every exporter is deterministic."""
    out = nx.MultiDiGraph(**_meta(g))
    out.add_nodes_from(sorted(g.nodes(data=True), key=lambda n: n[0]))
    out.add_edges_from(sorted(g.edges(keys=True, data=True), key=lambda e: e[:3]))
    return out


def to_json(g: nx.MultiDiGraph) -> str:
    data = nx.node_link_data(_sorted_copy(g), edges="edges")
    return json.dumps(data, indent=1, sort_keys=True, default=str) + "\n"


def _label(data: dict[str, Any]) -> str:
    label = f"{data.get('name', '')}\n{data.get('kind', '')}"
    if data.get("status"):
        label += f" · {data['status']}"
    if data.get("missing"):
        label += " · missing"
    return label


def _edge_label(data: dict[str, Any]) -> str:
    label = str(data.get("kind", ""))
    if data.get("weight") is not None:
        label += f" {data['weight']}"
    if data.get("port_name"):
        label += f" {data['port_name']}"
    return label


def to_mermaid(g: nx.MultiDiGraph) -> str:
    # Mermaid ids must be simple words: number the sorted nodes; labels carry the names.
    ordered = sorted(g.nodes)
    ids = {nid: f"n{i}" for i, nid in enumerate(ordered)}

    def esc(text: str) -> str:
        return text.replace('"', "#quot;").replace("\n", "<br/>")

    lines = ["flowchart LR"]
    for nid in ordered:
        data = g.nodes[nid]
        style = ":::missing" if data.get("missing") else ""
        lines.append(f'    {ids[nid]}["{esc(_label(data))}"]{style}')
    for u, v, _k, data in sorted(g.edges(keys=True, data=True), key=lambda e: e[:3]):
        lines.append(f'    {ids[u]} -->|"{esc(_edge_label(data))}"| {ids[v]}')
    lines.append("    classDef missing stroke-dasharray: 4 4")
    return "\n".join(lines) + "\n"


def _dot_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def to_dot(g: nx.MultiDiGraph) -> str:
    # networkx's DOT writers need pydot/pygraphviz; DOT is simple enough to write directly.
    lines = ["digraph trellis {", "  rankdir=LR;", "  node [shape=box];"]
    for nid in sorted(g.nodes):
        data = g.nodes[nid]
        attrs = {"label": _label(data), "kind": str(data.get("kind", ""))}
        if data.get("missing"):
            attrs["style"] = "dashed"
        body = ", ".join(f"{k}={_dot_quote(v)}" for k, v in attrs.items())
        lines.append(f"  {_dot_quote(nid)} [{body}];")
    for u, v, key, data in sorted(g.edges(keys=True, data=True), key=lambda e: e[:3]):
        attrs = {"label": _edge_label(data), "kind": str(key)}
        body = ", ".join(f"{k}={_dot_quote(v)}" for k, v in attrs.items())
        lines.append(f"  {_dot_quote(u)} -> {_dot_quote(v)} [{body}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _scalar(value: Any) -> Any:
    """GraphML holds scalars only: keep str/int/float/bool, JSON-encode the rest (raw, lists)."""
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return str(value)  # plain str, not a StrEnum
    return json.dumps(value, sort_keys=True, default=str)


def to_graphml(g: nx.MultiDiGraph) -> str:
    src = _sorted_copy(g)
    out = nx.MultiDiGraph(**{k: _scalar(v) for k, v in src.graph.items()})
    for nid, data in src.nodes(data=True):
        out.add_node(nid, **{k: _scalar(v) for k, v in data.items() if v is not None})
    for u, v, key, data in src.edges(keys=True, data=True):
        out.add_edge(u, v, key=key, **{k: _scalar(x) for k, x in data.items() if x is not None})
    buffer = io.BytesIO()
    nx.write_graphml(out, buffer, encoding="utf-8")
    return buffer.getvalue().decode("utf-8")


def export(g: nx.MultiDiGraph, fmt: str) -> str:
    return {"json": to_json, "mermaid": to_mermaid, "dot": to_dot, "graphml": to_graphml}[fmt](g)
