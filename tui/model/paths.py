"""Traffic paths and orphans over a built graph.

A path is the chain a request follows:
  vpc -> sn_vpc_association -> service_network -> sn_service_association -> service
      -> listener -> [rule] -> target_group (weight) -> target (health) -> ecs_task
as a list of Hops. A hop whose link is broken carries a ``broken`` reason. Paths that cannot
start at a VPC (a network with no VPC, a service in no network, a target group nothing forwards
to) start where they can, with the reason on their first hop. Default rules are skipped: the
listener's default action already says the same thing.

Enumeration is lazy and capped (``limit``): one VPC of a large account fans out into millions.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from itertools import islice
from typing import Any

import networkx as nx

from tui.model.kinds import EdgeKind as E
from tui.model.kinds import NodeKind as K

Chain = list[tuple[str, dict[str, Any] | None]]  # (node id, data of the edge into it)


@dataclass(frozen=True)
class Hop:
    node: str
    kind: str
    name: str
    edge: str | None = None  # edge kind that led here
    weight: int | None = None  # forwards_to weight (target_group hops)
    via: str | None = None  # "default" action or "rule"
    status: str | None = None
    broken: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


# (edge kind, kind of the other end) along which a path moves forward from each kind.
_NEXT = {
    K.VPC: ((E.ASSOCIATED, K.SN_VPC_ASSOCIATION),),
    K.SN_VPC_ASSOCIATION: ((E.ASSOCIATED, K.SERVICE_NETWORK),),
    K.SERVICE_NETWORK: ((E.ASSOCIATED, K.SN_SERVICE_ASSOCIATION),),
    K.SN_SERVICE_ASSOCIATION: ((E.ASSOCIATED, K.SERVICE),),
    K.SERVICE: ((E.CONTAINS, K.LISTENER),),
    K.LISTENER: ((E.CONTAINS, K.RULE), (E.FORWARDS_TO, K.TARGET_GROUP)),
    K.RULE: ((E.FORWARDS_TO, K.TARGET_GROUP),),
    K.TARGET_GROUP: ((E.REGISTERED, K.TARGET),),
    K.TARGET: ((E.BACKS, K.ECS_TASK),),
    K.ECS_TASK: (),
}
_PREV: dict[str, list[tuple[str, str]]] = {}
for _src, _steps in _NEXT.items():
    for _edge, _dst in _steps:
        _PREV.setdefault(_dst, []).append((_edge, _src))

_NO_UPSTREAM = {
    K.SERVICE_NETWORK: "no VPC association",
    K.SERVICE: "not associated with any service network",
    K.TARGET_GROUP: "no listener or rule forwards to it",
}


def _is_default_rule(data: dict[str, Any]) -> bool:
    return data.get("kind") == K.RULE and bool(data.get("is_default"))


def _step(g: nx.MultiDiGraph, nid: str, forward: bool) -> list[tuple[str, dict[str, Any]]]:
    kind = g.nodes[nid].get("kind")
    steps = _NEXT.get(kind, ()) if forward else _PREV.get(kind, ())
    adj = g.succ[nid] if forward else g.pred[nid]
    found = []
    for other, keyed in adj.items():
        odata = g.nodes[other]
        for edge, other_kind in steps:
            if edge in keyed and odata.get("kind") == other_kind and not _is_default_rule(odata):
                found.append((other, keyed[edge]))
    # Stable order: rules by priority, everything else by id.
    found.sort(key=lambda p: (g.nodes[p[0]]["raw"].get("priority", 0) or 0, p[0]))
    return found


def _back(g: nx.MultiDiGraph, nid: str) -> Iterator[Chain]:
    preds = _step(g, nid, forward=False)
    if not preds:
        yield [(nid, None)]
        return
    for pred, data in preds:
        for chain in _back(g, pred):
            yield [*chain, (nid, data)]


def _forth(g: nx.MultiDiGraph, nid: str, data: dict[str, Any] | None) -> Iterator[Chain]:
    nexts = _step(g, nid, forward=True)
    if not nexts:
        yield [(nid, data)]
        return
    for nxt, edata in nexts:
        for chain in _forth(g, nxt, edata):
            yield [(nid, data), *chain]


def _node_reason(g: nx.MultiDiGraph, nid: str, data: dict[str, Any] | None) -> str | None:
    node = g.nodes[nid]
    kind, status = node.get("kind"), node.get("status")
    if node.get("missing"):
        return f"not in the inventory (account {node.get('account')}, or not loaded)"
    if kind in (K.SN_VPC_ASSOCIATION, K.SN_SERVICE_ASSOCIATION) and status != "ACTIVE":
        return f"association is {status}"
    if kind == K.TARGET_GROUP and data is not None and data.get("weight") == 0:
        return "weight 0: receives no traffic"
    if kind == K.TARGET and status != "HEALTHY":
        reason = node.get("reason_code")
        return f"target is {status}" + (f" ({reason})" if reason else "")
    if kind == K.ECS_TASK and status != "RUNNING":
        return f"task is {status}"
    return None


def _end_reason(g: nx.MultiDiGraph, nid: str) -> str | None:
    node = g.nodes[nid]
    kind = node.get("kind")
    if node.get("missing"):
        return None
    if kind == K.TARGET_GROUP:
        if node.get("load_errors"):
            return "targets not loaded: " + node["load_errors"][0].get("code", "error")
        return "target group has no targets"
    if kind == K.TARGET:
        tg = next(iter(g.pred[nid]), None)
        if tg is not None and g.nodes[tg]["raw"].get("type", "IP") == "IP":
            return "not backed by any ECS task"
    if kind == K.SERVICE_NETWORK:
        return "no services in this network"
    if kind == K.SERVICE:
        return "service has no listeners"
    return None


def _hops(g: nx.MultiDiGraph, chain: Chain) -> list[Hop]:
    hops = []
    last = len(chain) - 1
    for i, (nid, data) in enumerate(chain):
        node = g.nodes[nid]
        reasons = []
        if i == 0 and node.get("kind") in _NO_UPSTREAM:
            reasons.append(_NO_UPSTREAM[node["kind"]])
        if reason := _node_reason(g, nid, data):
            reasons.append(reason)
        if i == last and (reason := _end_reason(g, nid)):
            reasons.append(reason)
        data = data or {}
        hops.append(
            Hop(
                node=nid,
                kind=node.get("kind", ""),
                name=node.get("name", ""),
                edge=data.get("kind"),
                weight=data.get("weight"),
                via=data.get("via"),
                status=node.get("status"),
                broken="; ".join(reasons) or None,
            )
        )
    return hops


def _through(g: nx.MultiDiGraph, nid: str) -> Iterator[Chain]:
    for prefix in _back(g, nid):
        if len(prefix) == 1 and g.nodes[nid].get("kind") == K.ECS_TASK:
            return  # a task no target points at carries no Lattice traffic
        for suffix in _forth(g, nid, prefix[-1][1]):
            chain = prefix[:-1] + suffix
            if len(chain) > 1 or g.nodes[nid].get("kind") != K.VPC:
                yield chain


def paths_through(g: nx.MultiDiGraph, node_id: str, limit: int = 500) -> list[list[Hop]]:
    """Every traffic path that includes ``node_id`` (at most ``limit``).

    An ecs_service stands for its tasks and the target groups it is attached to.
    """
    if node_id not in g:
        return []
    starts = [node_id]
    if g.nodes[node_id].get("kind") == K.ECS_SERVICE:
        starts = [v for _, v, k in g.out_edges(node_id, keys=True) if k in (E.CONTAINS, E.ATTACHED)]
    seen: set[tuple[str, ...]] = set()
    paths = []
    for start in sorted(starts):
        if g.nodes[start].get("kind") not in _NEXT:
            continue
        for chain in _through(g, start):
            key = tuple(n for n, _ in chain)
            if key not in seen:
                seen.add(key)
                paths.append(_hops(g, chain))
                if len(paths) >= limit:
                    return paths
    return paths


def all_paths(g: nx.MultiDiGraph, limit: int = 1000) -> Iterator[list[Hop]]:
    """Paths from every VPC, then the ones that cannot start at a VPC (lazily, capped)."""

    def chains() -> Iterator[Chain]:
        for nid, kind in sorted(g.nodes(data="kind")):
            if kind == K.VPC or (kind in _NO_UPSTREAM and not _step(g, nid, forward=False)):
                yield from (c for c in _forth(g, nid, None) if len(c) > 1 or kind != K.VPC)

    return (_hops(g, chain) for chain in islice(chains(), limit))


def is_broken(path: list[Hop]) -> bool:
    return any(hop.broken for hop in path)


def orphans(g: nx.MultiDiGraph) -> dict[str, list[str]]:
    """Lattice pieces no traffic can reach: sorted node ids per category."""

    def lacking(kind: str, edge: str) -> list[str]:
        return sorted(
            nid
            for nid, data in g.nodes(data=True)
            if data.get("kind") == kind
            and not data.get("missing")
            and not any(edge in keyed for keyed in g.pred[nid].values())
        )

    return {
        "unused_target_groups": lacking(K.TARGET_GROUP, E.FORWARDS_TO),
        "services_without_network": lacking(K.SERVICE, E.ASSOCIATED),
        "networks_without_vpc": lacking(K.SERVICE_NETWORK, E.ASSOCIATED),
    }
