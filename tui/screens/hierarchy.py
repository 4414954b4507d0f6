"""The explorer tree's shape over the graph: sections, children (lazy), canonical parents.

service networks → services → listeners → (default target groups, rules → target groups)
→ targets → backing task; ECS clusters → services → tasks; VPCs → subnets / endpoints /
security groups / route tables. Pure functions; the widget asks for one level at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tui.model.kinds import EdgeKind, NodeKind
from tui.screens.graphindex import memo
from tui.screens.nodeinfo import kind_of, name_of, raw_of

K = NodeKind
E = EdgeKind


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    kinds: tuple[str, ...]


SECTIONS = (
    Section("sec:sn", "Service networks", (K.SERVICE_NETWORK,)),
    Section("sec:svc", "Services not in a network", (K.SERVICE,)),
    Section("sec:tg", "Target groups not forwarded to", (K.TARGET_GROUP,)),
    Section("sec:ecs", "ECS clusters", (K.ECS_CLUSTER,)),
    Section("sec:vpc", "VPCs", (K.VPC,)),
    Section("sec:rgw", "Resource gateways", (K.RESOURCE_GATEWAY,)),
    Section("sec:role", "IAM roles", (K.IAM_ROLE,)),
    Section("sec:td", "Task definitions", (K.TASK_DEFINITION,)),
)
SECTION_BY_KEY = {s.key: s for s in SECTIONS}


def out_nodes(graph: Any, node: str, edge: str, kind: str | None = None) -> list[str]:
    """Successors over ``edge`` edges (edges are keyed by their kind: a dict lookup each)."""
    nodes = graph.nodes
    return [
        v
        for v, keys in graph.succ[node].items()
        if edge in keys and (kind is None or nodes[v].get("kind") == kind)
    ]


def in_nodes(graph: Any, node: str, edge: str, kind: str | None = None) -> list[str]:
    nodes = graph.nodes
    return [
        u
        for u, keys in graph.pred[node].items()
        if edge in keys and (kind is None or nodes[u].get("kind") == kind)
    ]


def ecs_services_of_task(graph: Any, task: str) -> list[str]:
    return in_nodes(graph, task, E.CONTAINS, K.ECS_SERVICE)


def lattice_services_of_tg(graph: Any, tg: str) -> list[str]:
    """The Lattice services whose listeners or rules forward to ``tg``."""
    services = []
    for src in in_nodes(graph, tg, E.FORWARDS_TO):
        if src in graph and graph.nodes[src].get("kind") == K.RULE:
            src = next(iter(in_nodes(graph, src, E.CONTAINS)), src)
        services += in_nodes(graph, src, E.CONTAINS, K.SERVICE)
    return list(dict.fromkeys(services))


@dataclass(frozen=True)
class TargetContext:
    """Where a target sits: the answer to "whose is this unhealthy IP?"."""

    target_groups: list[str]
    services: list[str]  # Lattice services forwarding to its groups
    tasks: list[str]  # the ECS tasks whose IP it is
    ecs_services: list[str]  # their services, or the services attached to its groups


def target_context(
    graph: Any, target: str, services_of: dict[str, list[str]] | None = None
) -> TargetContext:
    """``services_of``: a per-call memo of target group → Lattice services (many targets
    share a group)."""
    memo_ = {} if services_of is None else services_of
    tgs = in_nodes(graph, target, E.REGISTERED)
    for tg in tgs:
        if tg not in memo_:
            memo_[tg] = lattice_services_of_tg(graph, tg)
    tasks = out_nodes(graph, target, E.BACKS)
    ecs = [s for t in tasks for s in ecs_services_of_task(graph, t)]
    ecs += [s for tg in tgs for s in in_nodes(graph, tg, E.ATTACHED) if s not in ecs]
    services = list(dict.fromkeys(s for tg in tgs for s in memo_[tg]))
    return TargetContext(tgs, services, tasks, ecs)


def networks_of_service(graph: Any, service: str) -> list[str]:
    nets = []
    for assoc in in_nodes(graph, service, E.ASSOCIATED, K.SN_SERVICE_ASSOCIATION):
        nets += in_nodes(graph, assoc, E.ASSOCIATED, K.SERVICE_NETWORK)
    return nets


def services_of_network(graph: Any, network: str) -> list[str]:
    services = []
    for assoc in out_nodes(graph, network, E.ASSOCIATED, K.SN_SERVICE_ASSOCIATION):
        services += out_nodes(graph, assoc, E.ASSOCIATED, K.SERVICE)
    return services


def _by_name(graph: Any, ids: list[str]) -> list[str]:
    return sorted(ids, key=lambda n: (name_of(graph, n).lower(), n))


def _rule_order(graph: Any, rule: str) -> tuple[int, str]:
    raw = raw_of(graph, rule)
    priority = raw.get("priority")
    if raw.get("isDefault"):
        priority = 1_000_000
    return (
        int(priority) if isinstance(priority, int | str) and str(priority).isdigit() else 999_999,
        name_of(graph, rule),
    )


def section_members(graph: Any, section: Section) -> list[str]:
    """The section's resources, sorted; computed once per graph (a scan of every node)."""
    cache = memo(graph)
    key = f"section:{section.key}"
    if key not in cache:
        members = _section_members(graph, section)
        cache[key] = (members, frozenset(members))
    return list(cache[key][0])


def in_section(graph: Any, section_key: str, node: str) -> bool:
    section_members(graph, SECTION_BY_KEY[section_key])
    return node in memo(graph)[f"section:{section_key}"][1]


def _section_members(graph: Any, section: Section) -> list[str]:
    nodes = [n for n, k in graph.nodes(data="kind") if k in section.kinds]
    if section.key == "sec:svc":
        nodes = [n for n in nodes if not networks_of_service(graph, n)]
    elif section.key == "sec:tg":
        nodes = [n for n in nodes if not in_nodes(graph, n, E.FORWARDS_TO)]
    return _by_name(graph, nodes)


def children(graph: Any, node: str) -> list[str]:
    """The tree children of a node (or of a section key), in display order (memoised)."""
    cache = memo(graph).setdefault("children", {})
    found = cache.get(node)
    if found is None:
        found = cache[node] = _children(graph, node)
    return list(found)


_LEAF_EDGES = {  # kind -> (edge, child kind or None): what children() would follow
    K.SERVICE_NETWORK: ((E.ASSOCIATED, K.SN_SERVICE_ASSOCIATION),),
    K.SERVICE: ((E.CONTAINS, K.LISTENER),),
    K.LISTENER: ((E.FORWARDS_TO, None), (E.CONTAINS, K.RULE)),
    K.RULE: ((E.FORWARDS_TO, None),),
    K.TARGET_GROUP: ((E.REGISTERED, None),),
    K.TARGET: ((E.BACKS, None),),
    K.ECS_CLUSTER: ((E.CONTAINS, K.ECS_SERVICE), (E.CONTAINS, K.ECS_TASK)),
    K.ECS_SERVICE: ((E.CONTAINS, K.ECS_TASK),),
    K.VPC: ((E.CONTAINS, None),),
    K.RESOURCE_GATEWAY: ((E.CONTAINS, None),),
}


def has_children(graph: Any, node: str) -> bool:
    """``bool(children(graph, node))`` without building and sorting the list."""
    if node in SECTION_BY_KEY or node not in graph:
        return bool(children(graph, node))
    kind = kind_of(graph, node)
    if kind == K.SERVICE_NETWORK:
        return bool(services_of_network(graph, node))
    return any(out_nodes(graph, node, edge, want) for edge, want in _LEAF_EDGES.get(kind, ()))


def _children(graph: Any, node: str) -> list[str]:
    if node in SECTION_BY_KEY:
        return section_members(graph, SECTION_BY_KEY[node])
    if node not in graph:
        return []
    kind = kind_of(graph, node)
    if kind == K.SERVICE_NETWORK:
        return _by_name(graph, services_of_network(graph, node))
    if kind == K.SERVICE:
        return _by_name(graph, out_nodes(graph, node, E.CONTAINS, K.LISTENER))
    if kind == K.LISTENER:
        defaults = _by_name(graph, out_nodes(graph, node, E.FORWARDS_TO))
        rules = sorted(
            out_nodes(graph, node, E.CONTAINS, K.RULE), key=lambda r: _rule_order(graph, r)
        )
        return defaults + rules
    if kind == K.RULE:
        return _by_name(graph, out_nodes(graph, node, E.FORWARDS_TO))
    if kind == K.TARGET_GROUP:
        return _by_name(graph, out_nodes(graph, node, E.REGISTERED))
    if kind == K.TARGET:
        return out_nodes(graph, node, E.BACKS)
    if kind == K.ECS_CLUSTER:
        services = _by_name(graph, out_nodes(graph, node, E.CONTAINS, K.ECS_SERVICE))
        tasks = _by_name(graph, out_nodes(graph, node, E.CONTAINS, K.ECS_TASK))
        return services + tasks
    if kind == K.ECS_SERVICE:
        return _by_name(graph, out_nodes(graph, node, E.CONTAINS, K.ECS_TASK))
    if kind == K.VPC:
        order = [K.SUBNET, K.VPC_ENDPOINT, K.SECURITY_GROUP, K.ROUTE_TABLE]
        kids = out_nodes(graph, node, E.CONTAINS)
        return sorted(
            kids,
            key=lambda n: (
                order.index(kind_of(graph, n)) if kind_of(graph, n) in order else 9,
                name_of(graph, n).lower(),
            ),
        )
    if kind == K.RESOURCE_GATEWAY:
        return _by_name(graph, out_nodes(graph, node, E.CONTAINS))
    return []


def edge_prefix(graph: Any, parent: str, child: str) -> str:
    """A short note on the edge that leads to a child (default action, weight)."""
    if parent not in graph or child not in graph:
        return ""
    data = graph.get_edge_data(parent, child, default={}) or {}
    for attrs in data.values():
        if attrs.get("kind") == E.FORWARDS_TO:
            via = "default → " if attrs.get("via") == "default" else "→ "
            weight = attrs.get("weight")
            return f"{via}w{weight} " if weight is not None else via
    return ""


def parent_of(graph: Any, node: str) -> str | None:
    """The canonical tree parent: the first place ``reveal`` looks for a node."""
    kind = kind_of(graph, node)
    first = lambda ids: sorted(ids)[0] if ids else None  # noqa: E731
    if kind == K.SERVICE:
        return first(networks_of_service(graph, node)) or "sec:svc"
    if kind in (
        K.LISTENER,
        K.RULE,
        K.ECS_SERVICE,
        K.SUBNET,
        K.VPC_ENDPOINT,
        K.SECURITY_GROUP,
        K.ROUTE_TABLE,
        K.RESOURCE_CONFIGURATION,
    ):
        return first(in_nodes(graph, node, E.CONTAINS))
    if kind == K.TARGET_GROUP:
        sources = in_nodes(graph, node, E.FORWARDS_TO)
        return first(sources) or "sec:tg"
    if kind == K.TARGET:
        return first(in_nodes(graph, node, E.REGISTERED))
    if kind == K.ECS_TASK:
        return first(ecs_services_of_task(graph, node)) or first(in_nodes(graph, node, E.CONTAINS))
    for section in SECTIONS:
        if kind in section.kinds:
            return section.key
    return None


def tree_path(graph: Any, node: str) -> list[str]:
    """Section key first, the node last; [] when the node has no place in the tree."""
    cache = memo(graph).setdefault("tree_path", {})
    found = cache.get(node)
    if found is None:
        found = cache[node] = _tree_path(graph, node)
    return list(found)


def _tree_path(graph: Any, node: str) -> list[str]:
    path = [node]
    seen = {node}
    current = node
    while current not in SECTION_BY_KEY:
        parent = parent_of(graph, current)
        if parent is None or parent in seen:
            return []
        path.append(parent)
        seen.add(parent)
        current = parent
    path.reverse()
    if path[1:] and not in_section(graph, path[0], path[1]):
        return []
    return path
