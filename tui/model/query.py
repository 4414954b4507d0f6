"""Queries over a built graph (ResourceGraph) and the difference between two graphs."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import networkx as nx

from tui.model.inventory import Inventory


class ResourceGraph:
    """Read-only queries over a built graph. ``g`` stays a plain networkx graph."""

    def __init__(self, g: nx.MultiDiGraph) -> None:
        self.g = g
        self._kinds: dict[str, list[str]] | None = None
        self._search: list[tuple[str, str]] | None = None

    @classmethod
    def from_inventory(cls, inventory: Inventory | Iterable[Inventory]) -> ResourceGraph:
        from tui.model.graph import build_graph  # late: graph.py re-exports this class

        return cls(build_graph(inventory))

    def __contains__(self, nid: str) -> bool:
        return nid in self.g

    def __len__(self) -> int:
        return len(self.g)

    def node(self, nid: str) -> dict[str, Any]:
        return self.g.nodes[nid]

    def by_kind(self, kind: str) -> list[str]:
        if self._kinds is None:
            self._kinds = {}
            for nid, k in self.g.nodes(data="kind"):
                self._kinds.setdefault(k, []).append(nid)
        return self._kinds.get(str(kind), [])

    def neighbours(
        self, nid: str, edge_kind: str | None = None, direction: str = "out"
    ) -> list[str]:
        """Distinct neighbours over edges of ``edge_kind`` (any if None); out, in or both."""
        found: dict[str, None] = {}
        if direction in ("out", "both"):
            for _, v, k in self.g.out_edges(nid, keys=True):
                if edge_kind is None or k == edge_kind:
                    found[v] = None
        if direction in ("in", "both"):
            for u, _, k in self.g.in_edges(nid, keys=True):
                if edge_kind is None or k == edge_kind:
                    found[u] = None
        return list(found)

    def edges(self, nid: str, direction: str = "out") -> Iterator[tuple[str, str, dict]]:
        edges = self.g.out_edges if direction == "out" else self.g.in_edges
        yield from edges(nid, data=True)

    def _view(self, edge_kinds: Iterable[str] | None) -> nx.MultiDiGraph:
        if edge_kinds is None:
            return self.g
        wanted = {str(k) for k in edge_kinds}
        return nx.subgraph_view(self.g, filter_edge=lambda u, v, k: k in wanted)

    def upstream(self, nid: str, edge_kinds: Iterable[str] | None = None) -> set[str]:
        """Everything with a path to ``nid`` (optionally only over some edge kinds)."""
        return nx.ancestors(self._view(edge_kinds), nid)

    def downstream(self, nid: str, edge_kinds: Iterable[str] | None = None) -> set[str]:
        return nx.descendants(self._view(edge_kinds), nid)

    def _index(self) -> list[tuple[str, str]]:
        if self._search is None:
            rows = []
            for nid, data in self.g.nodes(data=True):
                words = [nid, data.get("name", ""), *data.get("ips", ()), *data.get("dns", ())]
                raw = data.get("raw") or {}
                for key in ("id", "CidrBlock", "PrivateIpAddress"):
                    if isinstance(raw.get(key), str):
                        words.append(raw[key])
                rows.append((nid, "\n".join(words).lower()))
            self._search = rows
        return self._search

    def find(self, text: str, limit: int | None = None) -> list[str]:
        """Node ids whose id/ARN, name, IP or DNS name contains ``text``; exact matches first."""
        needle = text.strip().lower()
        if not needle:
            return []
        exact, partial = [], []
        for nid, hay in self._index():
            if needle in hay:
                (exact if needle in hay.split("\n") else partial).append(nid)
        hits = sorted(exact) + sorted(partial)
        return hits[:limit] if limit else hits


# -- diff ---------------------------------------------------------------------------------------
def _changes(old: Any, new: Any, path: str, out: list[dict[str, Any]]) -> None:
    """Leaf-level differences between two JSON values, as dotted paths."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(set(old) | set(new), key=str):
            _changes(old.get(key), new.get(key), f"{path}.{key}" if path else str(key), out)
    elif isinstance(old, list) and isinstance(new, list):
        for i in range(max(len(old), len(new))):
            _changes(old[i] if i < len(old) else None, new[i] if i < len(new) else None,
                     f"{path}[{i}]", out)  # fmt: skip
    elif old != new:
        out.append({"field": path, "old": old, "new": new})


def _summary(g: nx.MultiDiGraph, nid: str) -> dict[str, Any]:
    data = g.nodes[nid]
    return {"id": nid, "kind": str(data.get("kind", "")), "name": data.get("name", "")}


def _edge(u: str, v: str, key: str, data: dict[str, Any]) -> dict[str, Any]:
    extra = {k: x for k, x in sorted(data.items()) if k != "kind"}
    return {"source": u, "target": v, "kind": str(key), **extra}


def diff_graphs(old: Any, new: Any) -> dict[str, list[dict[str, Any]]]:
    """What changed from ``old`` to ``new`` (graphs or ResourceGraphs), in a stable order.

    Node changes list every differing attribute; ``raw.*`` fields name the API field.
    """
    old, new = getattr(old, "g", old), getattr(new, "g", new)
    changed = []
    for nid in sorted(set(old) & set(new)):
        out: list[dict[str, Any]] = []
        _changes(old.nodes[nid], new.nodes[nid], "", out)
        if out:
            changed.append({**_summary(new, nid), "changes": out})
    old_edges = {e[:3]: e[3] for e in old.edges(keys=True, data=True)}
    new_edges = {e[:3]: e[3] for e in new.edges(keys=True, data=True)}
    changed_edges = []
    for e in sorted(set(old_edges) & set(new_edges)):
        out = []
        _changes(old_edges[e], new_edges[e], "", out)
        if out:
            changed_edges.append({**_edge(*e, {"kind": e[2]}), "changes": out})
    return {
        "added_nodes": [_summary(new, n) for n in sorted(set(new) - set(old))],
        "removed_nodes": [_summary(old, n) for n in sorted(set(old) - set(new))],
        "changed_nodes": changed,
        "added_edges": [_edge(*e, new_edges[e]) for e in sorted(set(new_edges) - set(old_edges))],
        "removed_edges": [_edge(*e, old_edges[e]) for e in sorted(set(old_edges) - set(new_edges))],
        "changed_edges": changed_edges,
    }
