"""Per-graph lookups the explorer makes on every key, computed once per graph and kept beside it.

A graph is never changed once loaded (a reload, a partial load step or a planned ecspresso
service makes a new graph object), so anything derived from it can be memoised against the
object: ``memo(graph)`` is a dict that lives exactly as long as the graph does.

The search index is what ``/`` scans: one lowercased string per node (name, id/ARN, IPs, DNS
names, ``region:…`` and ``account:…``), in graph order. Building it costs ~20 µs a node, so the
App builds it in a worker thread once a load is final; filtering is then a substring scan.
"""

from __future__ import annotations

import threading
import weakref
from typing import Any

from tui.screens.nodeinfo import search_text

_MEMO: weakref.WeakKeyDictionary[Any, dict[str, Any]] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def memo(graph: Any) -> dict[str, Any]:
    """A dict tied to ``graph``'s lifetime, for values derived from it."""
    with _LOCK:
        found = _MEMO.get(graph)
        if found is None:
            found = _MEMO[graph] = {}
        return found


def search_index(graph: Any) -> dict[str, str]:
    """node id → the text ``/`` matches, built on first use (or beforehand by ``warm``)."""
    cache = memo(graph)
    index = cache.get("search")
    if index is None:
        index = {node: search_text(graph, node) for node in list(graph.nodes)}
        cache["search"] = index
    return index


def warm(graph: Any) -> None:
    """Build the search index now (called from a worker thread after a final load)."""
    search_index(graph)


def node_search_text(graph: Any, node: str) -> str:
    """One node's search text: from the index when built, else computed (and not stored)."""
    index = memo(graph).get("search")
    if index is not None and node in index:
        return index[node]
    return search_text(graph, node)


def filter_terms(text: str) -> list[str]:
    """The words of a filter: every one must occur in a node's search text."""
    return text.strip().lower().split()


def text_matches(terms: list[str], text: str) -> bool:
    return all(term in text for term in terms)


def matching_nodes(graph: Any, text: str, limit: int | None = None) -> list[str]:
    """Nodes whose search text holds every word of ``text``, in graph order."""
    terms = filter_terms(text)
    if not terms:
        return []
    found: list[str] = []
    if len(terms) == 1:
        term = terms[0]
        for node, haystack in search_index(graph).items():
            if term in haystack:
                found.append(node)
                if limit is not None and len(found) >= limit:
                    break
        return found
    for node, haystack in search_index(graph).items():
        if text_matches(terms, haystack):
            found.append(node)
            if limit is not None and len(found) >= limit:
                break
    return found
