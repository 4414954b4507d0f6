"""The `:` views: resource tables per kind, target health, and load errors.

Each view is (title, columns, rows) with rows keyed by node id (errors: ``error:<n>``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from rich.text import Text

from tui.model.inventory import LoadError
from tui.model.kinds import EdgeKind, NodeKind
from tui.screens.graphindex import node_search_text
from tui.screens.hierarchy import (
    in_nodes,
    lattice_services_of_tg,
    networks_of_service,
    out_nodes,
    target_context,
)
from tui.screens.nodeinfo import (
    health_rank,
    name_of,
    raw_of,
    status_of,
    status_style,
)
from tui.screens.overview import forward_text, match_text
from widgets.node_table import Row

K = NodeKind
E = EdgeKind
Column = tuple[str, Callable[[Any, str], Any]]


@dataclass(frozen=True)
class View:
    name: str  # the `:` command
    title: str
    kind: str | None = None  # node kind for resource tables


def _raw(key: str) -> Callable[[Any, str], Any]:
    return lambda g, n: raw_of(g, n).get(key)


def _cfg(key: str) -> Callable[[Any, str], Any]:
    return lambda g, n: (raw_of(g, n).get("config") or {}).get(key)


def _parent_name(edge: str, kind: str | None = None) -> Callable[[Any, str], Any]:
    return lambda g, n: ", ".join(name_of(g, p) for p in in_nodes(g, n, edge, kind))


def _count(edge: str, kind: str | None = None) -> Callable[[Any, str], Any]:
    return lambda g, n: len(out_nodes(g, n, edge, kind))


COLUMNS: dict[str, list[Column]] = {
    K.SERVICE_NETWORK: [
        ("AUTH", _raw("authType")),
        ("SERVICES", _raw("numberOfAssociatedServices")),
        ("VPCS", _raw("numberOfAssociatedVPCs")),
    ],
    K.SERVICE: [
        ("AUTH", _raw("authType")),
        ("NETWORKS", lambda g, n: ", ".join(name_of(g, s) for s in networks_of_service(g, n))),
        ("LISTENERS", _count(E.CONTAINS, K.LISTENER)),
        ("DNS", lambda g, n: (raw_of(g, n).get("dnsEntry") or {}).get("domainName")),
    ],
    K.LISTENER: [
        ("SERVICE", _parent_name(E.CONTAINS)),
        ("PROTOCOL", _raw("protocol")),
        ("PORT", _raw("port")),
        ("DEFAULT", lambda g, n: forward_text(g, n, raw_of(g, n).get("defaultAction"))),
    ],
    K.RULE: [
        ("LISTENER", _parent_name(E.CONTAINS)),
        ("PRIORITY", _raw("priority")),
        ("MATCH", lambda g, n: match_text(raw_of(g, n).get("match"))),
        ("ACTION", lambda g, n: forward_text(g, n, raw_of(g, n).get("action"))),
    ],
    K.TARGET_GROUP: [
        ("TYPE", _raw("type")),
        ("PROTOCOL", _cfg("protocol")),
        ("PORT", _cfg("port")),
        ("TARGETS", _count(E.REGISTERED)),
        ("SERVICES", lambda g, n: ", ".join(name_of(g, s) for s in lattice_services_of_tg(g, n))),
    ],
    K.TARGET: [("TARGET GROUP", _parent_name(E.REGISTERED)), ("REASON", _raw("reasonCode"))],
    K.ECS_CLUSTER: [
        ("SERVICES", _raw("activeServicesCount")),
        ("RUNNING", _raw("runningTasksCount")),
    ],
    K.ECS_SERVICE: [
        ("CLUSTER", _parent_name(E.CONTAINS, K.ECS_CLUSTER)),
        ("RUNNING", _raw("runningCount")),
        ("DESIRED", _raw("desiredCount")),
        ("LATTICE TGS", lambda g, n: ", ".join(name_of(g, t) for t in out_nodes(g, n, E.ATTACHED))),
    ],
    K.ECS_TASK: [
        ("SERVICE", _parent_name(E.CONTAINS, K.ECS_SERVICE)),
        ("IPS", lambda g, n: ", ".join(g.nodes[n].get("ips") or [])),
        ("LAUNCH", _raw("launchType")),
    ],
    K.VPC: [("CIDR", _raw("CidrBlock"))],
    K.SUBNET: [
        ("VPC", _parent_name(E.CONTAINS)),
        ("CIDR", _raw("CidrBlock")),
        ("ZONE", _raw("AvailabilityZone")),
    ],
    K.SECURITY_GROUP: [("VPC", _parent_name(E.CONTAINS)), ("GROUP", _raw("GroupName"))],
    K.VPC_ENDPOINT: [("SERVICE", _raw("ServiceName")), ("TYPE", _raw("VpcEndpointType"))],
    K.IAM_ROLE: [("USED BY", _parent_name(E.USES))],
    K.TASK_DEFINITION: [("NETWORK", _raw("networkMode")), ("USED BY", _parent_name(E.USES))],
}

VIEWS = [
    View("sn", "Service networks", K.SERVICE_NETWORK),
    View("svc", "Lattice services", K.SERVICE),
    View("listener", "Listeners", K.LISTENER),
    View("rule", "Rules", K.RULE),
    View("tg", "Target groups", K.TARGET_GROUP),
    View("target", "Targets", K.TARGET),
    View("cluster", "ECS clusters", K.ECS_CLUSTER),
    View("ecs", "ECS services", K.ECS_SERVICE),
    View("task", "ECS tasks", K.ECS_TASK),
    View("td", "Task definitions", K.TASK_DEFINITION),
    View("vpc", "VPCs", K.VPC),
    View("subnet", "Subnets", K.SUBNET),
    View("sg", "Security groups", K.SECURITY_GROUP),
    View("vpce", "VPC endpoints", K.VPC_ENDPOINT),
    View("role", "IAM roles", K.IAM_ROLE),
    View("health", "Target health (unhealthy first)"),
    View("errors", "Load errors"),
    View("findings", "Doctor findings (errors first)"),
]
VIEW_BY_NAME = {v.name: v for v in VIEWS}
ALIASES = {
    "services": "svc",
    "service": "svc",
    "tgs": "tg",
    "targets": "target",
    "tasks": "task",
    "clusters": "cluster",
    "listeners": "listener",
    "roles": "role",
    "h": "health",
    "err": "errors",
    "error": "errors",
    "rules": "rule",
    "finding": "findings",
    "doctor": "findings",
    "vpcs": "vpc",
}


def resolve(command: str) -> View | None:
    name = command.strip().lstrip(":").lower()
    return VIEW_BY_NAME.get(ALIASES.get(name, name))


def _status_cell(status: str) -> Text:
    return Text(status or "—", status_style(status))


def _sort_value(value: Any) -> Any:
    return value if isinstance(value, int | float) else ("" if value is None else str(value))


PLACE_COLUMNS: list[Column] = [
    ("ACCOUNT", lambda g, n: g.nodes[n].get("account")),
    ("REGION", lambda g, n: g.nodes[n].get("region")),
]


def place_columns(graph: Any) -> list[Column]:
    """ACCOUNT / REGION columns, only when the graph holds more than one of either."""
    info = graph.graph
    several = len(info.get("accounts") or ()) > 1 or len(info.get("regions") or ()) > 1
    return PLACE_COLUMNS if several else []


def kind_columns(kind: str, graph: Any = None) -> list[str]:
    extra = COLUMNS.get(kind, []) + (place_columns(graph) if graph is not None else [])
    return ["NAME", "STATUS", *(title for title, _ in extra), "ID"]


def kind_rows(graph: Any, kind: str) -> tuple[list[str], list[Row]]:
    rows = list(iter_kind_rows(graph, kind))
    rows.sort(key=lambda r: r.sort[0])
    return kind_columns(kind, graph), rows


def iter_kind_rows(graph: Any, kind: str) -> Iterator[Row]:
    extra = COLUMNS.get(kind, []) + place_columns(graph)
    for node in [n for n, k in graph.nodes(data="kind") if k == kind]:
        values = [fn(graph, node) for _, fn in extra]
        status = status_of(graph, node)
        name = name_of(graph, node)
        if graph.nodes[node].get("missing"):
            name += " ? not loaded"
        cells = [name, _status_cell(status), *("" if v is None else str(v) for v in values), node]
        sort = [name.lower(), status, *map(_sort_value, values), node]
        yield Row(node, cells, sort, partial(node_search_text, graph, node))


HEALTH_COLUMNS = [
    "HEALTH",
    "TARGET",
    "REASON",
    "TARGET GROUP",
    "LATTICE SERVICE",
    "ECS SERVICE",
    "ECS TASK",
]


def _health_order(row: Row) -> tuple[Any, ...]:
    return (row.sort[0], row.sort[3], row.sort[1])


def health_rows(graph: Any) -> tuple[list[str], list[Row]]:
    rows = sorted(iter_health_rows(graph), key=_health_order)
    return list(HEALTH_COLUMNS), rows


def iter_health_rows(graph: Any) -> Iterator[Row]:
    services_of: dict[str, list[str]] = {}
    for target in [n for n, k in graph.nodes(data="kind") if k == K.TARGET]:
        raw = raw_of(graph, target)
        status = status_of(graph, target) or str(raw.get("status", ""))
        where_from = target_context(graph, target, services_of)
        tgs, services = where_from.target_groups, where_from.services
        tasks, ecs = where_from.tasks, where_from.ecs_services

        def names(ids: list[str]) -> str:
            return ", ".join(dict.fromkeys(name_of(graph, i) for i in ids)) or "—"

        ident = str(raw.get("id") or name_of(graph, target))
        if ident.startswith("arn:"):
            ident = ident.rsplit("/", 1)[-1].rsplit(":", 1)[-1]
        where = f"{ident}:{raw.get('port')}" if raw.get("port") else ident
        reason = str(raw.get("reasonCode") or "")
        cells = [
            _status_cell(status),
            where,
            Text(reason, "red"),
            names(tgs),
            names(services),
            names(ecs),
            names(tasks),
        ]
        sort = [
            health_rank(status),
            where,
            reason,
            names(tgs),
            names(services),
            names(ecs),
            names(tasks),
        ]
        words = " ".join(str(s).lower() for s in sort[1:])
        search = partial(lambda t, w: f"{node_search_text(graph, t)} {w}", target, words)
        yield Row(target, cells, sort, search)


def error_rows(graph: Any) -> tuple[list[str], list[Row]]:
    columns = ["SERVICE", "OPERATION", "RESOURCE", "CODE", "REASON"]
    rows = []
    for index, raw_error in enumerate(graph.graph.get("errors", []) or []):
        err = LoadError.of(raw_error)
        if err.is_access_denied:
            reason = Text(f"missing IAM action {err.iam_action}", "bold red")
        else:
            reason = Text(err.message)
        resource = name_of(graph, err.resource) if err.resource in graph else err.resource
        cells = [err.service, err.operation, resource or "(account-wide)", err.code, reason]
        sort = [err.service, err.operation, resource, err.code, reason.plain]
        search = " ".join([*map(str, sort), err.resource]).lower()
        rows.append(Row(f"error:{index}", cells, sort, search, {"resource": err.resource}))
    return columns, rows


def iter_view_rows(
    graph: Any, view: View
) -> tuple[list[str], Iterable[Row], Callable[[list[Row]], list[Row]]]:
    """(columns, rows one by one, the final ordering): for building a big table in steps."""
    if view.name == "health":
        return list(HEALTH_COLUMNS), iter_health_rows(graph), partial(sorted, key=_health_order)
    if view.kind:
        order = partial(sorted, key=lambda r: r.sort[0])
        return kind_columns(view.kind, graph), iter_kind_rows(graph, view.kind), order
    columns, rows = view_rows(graph, view)
    return columns, rows, list


def view_rows(graph: Any, view: View) -> tuple[list[str], list[Row]]:
    if view.name == "health":
        return health_rows(graph)
    if view.name == "errors":
        return error_rows(graph)
    if view.name == "findings":
        from tui.screens.findings import findings_rows

        return findings_rows(graph)
    return kind_rows(graph, view.kind or "")
