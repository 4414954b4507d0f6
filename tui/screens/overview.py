"""The Overview tab: the fields that matter for each kind, said in words, not raw JSON."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from tui.model.kinds import NodeKind
from tui.screens.hierarchy import target_context
from tui.screens.nodeinfo import (
    KIND_TITLE,
    attrs,
    name_of,
    node_errors,
    status_style,
)

K = NodeKind
Rows = list[tuple[str, Any]]


def _short(arn: Any) -> str:
    return str(arn).rsplit("/", 1)[-1] if arn else ""


def _names(graph: Any, ids: list[str]) -> str:
    """Names of nodes in the graph (ids of those that are not), comma-separated."""
    return ", ".join(dict.fromkeys(name_of(graph, i) if i in graph else _short(i) for i in ids))


def action_text(action: dict[str, Any] | None) -> str:
    """A listener/rule action in words: 'forward → tg-a (w80), tg-b (w20)' or 'fixed 404'."""
    if not action:
        return "—"
    if "forward" in action:
        groups = action["forward"].get("targetGroups", [])
        parts = [
            f"{_short(g.get('targetGroupIdentifier'))} (w{g.get('weight', 1)})" for g in groups
        ]
        return "forward → " + (", ".join(parts) or "nothing")
    if "fixedResponse" in action:
        return f"fixed response {action['fixedResponse'].get('statusCode')}"
    return json.dumps(action)


def forward_text(graph: Any, node: str, action: dict[str, Any] | None) -> str:
    """Like action_text, but names the target groups from the graph's forwards_to edges."""
    if not action or "forward" not in action or node not in graph:
        return action_text(action)
    parts = [
        f"{name_of(graph, tg)} (w{data.get('weight', 1)})"
        for _, tg, data in graph.out_edges(node, data=True)
        if data.get("kind") == "forwards_to"
    ]
    return "forward → " + ", ".join(parts) if parts else action_text(action)


def match_text(match: dict[str, Any] | None) -> str:
    http = (match or {}).get("httpMatch") or {}
    parts = []
    if http.get("method"):
        parts.append(http["method"])
    path = (http.get("pathMatch") or {}).get("match") or {}
    for how, value in path.items():
        parts.append(f"path {how} {value}")
    for header in http.get("headerMatches") or []:
        for how, value in (header.get("match") or {}).items():
            parts.append(f"header {header.get('name')} {how} {value}")
    return ", ".join(parts) or "any request"


def _lattice(kind: str, raw: dict[str, Any], graph: Any, node: str) -> Rows:
    if kind == K.SERVICE_NETWORK:
        return [
            ("Auth type", raw.get("authType")),
            ("Services", raw.get("numberOfAssociatedServices")),
            ("VPCs", raw.get("numberOfAssociatedVPCs")),
        ]
    if kind == K.SERVICE:
        return [
            ("Status", raw.get("status")),
            ("Auth type", raw.get("authType")),
            ("DNS", (raw.get("dnsEntry") or {}).get("domainName")),
            ("Custom domain", raw.get("customDomainName")),
        ]
    if kind == K.LISTENER:
        return [
            ("Protocol / port", f"{raw.get('protocol')} {raw.get('port')}"),
            ("Default action", forward_text(graph, node, raw.get("defaultAction"))),
        ]
    if kind == K.RULE:
        return [
            ("Priority", "default" if raw.get("isDefault") else raw.get("priority")),
            ("Match", match_text(raw.get("match"))),
            ("Action", forward_text(graph, node, raw.get("action"))),
        ]
    if kind == K.TARGET_GROUP:
        cfg = raw.get("config") or {}
        hc = cfg.get("healthCheck") or {}
        hc_text = (
            "disabled"
            if hc.get("enabled") is False
            else (
                f"{hc.get('protocol', cfg.get('protocol'))} {hc.get('path', '')} "
                f"port {hc.get('port') or 'traffic port'}"
            )
        )
        return [
            ("Type", raw.get("type")),
            ("Status", raw.get("status")),
            ("Protocol / port", f"{cfg.get('protocol')} {cfg.get('port')}"),
            ("VPC", cfg.get("vpcIdentifier")),
            ("Health check", hc_text),
            ("Used by", _names(graph, raw.get("serviceArns") or []) or "nobody"),
        ]
    if kind == K.TARGET:
        where = target_context(graph, node)
        return [
            ("Target", f"{raw.get('id')}:{raw.get('port')}"),
            ("Health", raw.get("status")),
            ("Reason", raw.get("reasonCode")),
            ("Target group", _names(graph, where.target_groups)),
            ("Lattice service", _names(graph, where.services) or "none forwards to its group"),
            ("ECS service", _names(graph, where.ecs_services)),
            ("ECS task", _names(graph, where.tasks) or "no known task has this IP"),
        ]
    if kind in (K.SN_SERVICE_ASSOCIATION, K.SN_VPC_ASSOCIATION):
        return [
            ("Status", raw.get("status")),
            (
                "Failure",
                " ".join(filter(None, [raw.get("failureCode"), raw.get("failureMessage")])),
            ),
            ("Security groups", ", ".join(raw.get("securityGroupIds") or [])),
            ("DNS", (raw.get("dnsEntry") or {}).get("domainName")),
        ]
    if kind == K.AUTH_POLICY:
        return [("State", raw.get("state")), ("Policy", raw.get("policy"))]
    return []


def _ecs(kind: str, raw: dict[str, Any], node: dict[str, Any]) -> Rows:
    if kind == K.ECS_CLUSTER:
        return [
            ("Status", raw.get("status")),
            ("Services", raw.get("activeServicesCount")),
            (
                "Tasks running / pending",
                f"{raw.get('runningTasksCount')} / {raw.get('pendingTasksCount')}",
            ),
        ]
    if kind == K.ECS_SERVICE:
        primary = next(
            (d for d in raw.get("deployments") or [] if d.get("status") == "PRIMARY"), {}
        )
        net = (raw.get("networkConfiguration") or {}).get("awsvpcConfiguration") or {}
        configs = primary.get("vpcLatticeConfigurations") or []
        lattice = "; ".join(
            f"{_short(c.get('targetGroupArn'))} port {c.get('portName')} role "
            f"{_short(c.get('roleArn'))}"
            for c in configs
        )
        return [
            ("Status", raw.get("status")),
            ("Launch type", raw.get("launchType") or "capacity provider"),
            ("Tasks running / desired", f"{raw.get('runningCount')} / {raw.get('desiredCount')}"),
            (
                "Deployment",
                " ".join(
                    filter(None, [primary.get("rolloutState"), primary.get("rolloutStateReason")])
                ),
            ),
            ("Task definition", _short(raw.get("taskDefinition"))),
            ("Lattice", lattice or "not attached"),
            ("Subnets", ", ".join(net.get("subnets") or [])),
            ("Security groups", ", ".join(net.get("securityGroups") or [])),
        ]
    if kind == K.ECS_TASK:
        return [
            ("Status", f"{raw.get('lastStatus')} (desired {raw.get('desiredStatus')})"),
            ("Health", raw.get("healthStatus")),
            ("IPs", ", ".join(node.get("ips") or [])),
            ("Started by", raw.get("group") or raw.get("startedBy")),
            ("Task definition", _short(raw.get("taskDefinitionArn"))),
        ]
    if kind == K.TASK_DEFINITION:
        ports = [
            f"{m.get('name') or '(unnamed)'}={m.get('containerPort')}/{m.get('protocol', 'tcp')}"
            + (f" {m['appProtocol']}" if m.get("appProtocol") else "")
            for c in raw.get("containerDefinitions") or []
            for m in c.get("portMappings") or []
        ]
        return [
            ("Family:revision", f"{raw.get('family')}:{raw.get('revision')}"),
            ("Network mode", raw.get("networkMode")),
            ("Port mappings", ", ".join(ports) or "none"),
            ("Execution role", _short(raw.get("executionRoleArn"))),
            ("Task role", _short(raw.get("taskRoleArn"))),
        ]
    return []


def _trust(doc: Any) -> str:
    principals = []
    for st in (doc or {}).get("Statement", []) if isinstance(doc, dict) else []:
        principal = st.get("Principal", {})
        if isinstance(principal, dict):
            for value in principal.values():
                principals += value if isinstance(value, list) else [value]
    return ", ".join(map(str, principals))


def _other(kind: str, raw: dict[str, Any]) -> Rows:
    if kind == K.IAM_ROLE:
        return [
            ("Role", raw.get("RoleName")),
            ("Trusts", _trust(raw.get("AssumeRolePolicyDocument"))),
        ]
    if kind == K.VPC:
        return [("CIDR", raw.get("CidrBlock")), ("State", raw.get("State"))]
    if kind == K.SUBNET:
        return [
            ("CIDR", raw.get("CidrBlock")),
            ("Zone", raw.get("AvailabilityZone")),
            ("Public IPs", raw.get("MapPublicIpOnLaunch")),
        ]
    if kind == K.SECURITY_GROUP:
        inbound = [
            f"{p.get('IpProtocol')} {p.get('FromPort', '*')}-{p.get('ToPort', '*')} from "
            + ", ".join(
                [r.get("CidrIp", "") for r in p.get("IpRanges", [])]
                + [r.get("PrefixListId", "") for r in p.get("PrefixListIds", [])]
                + [r.get("GroupId", "") for r in p.get("UserIdGroupPairs", [])]
            )
            for p in raw.get("IpPermissions") or []
        ]
        return [("Group", raw.get("GroupName")), ("Inbound", "\n".join(inbound) or "nothing")]
    if kind == K.VPC_ENDPOINT:
        return [
            ("Service", raw.get("ServiceName")),
            ("Type", raw.get("VpcEndpointType")),
            ("State", raw.get("State")),
            ("Private DNS", raw.get("PrivateDnsEnabled")),
        ]
    if kind == K.ROUTE_TABLE:
        routes = [
            f"{r.get('DestinationCidrBlock') or r.get('DestinationPrefixListId')} → "
            f"{r.get('GatewayId') or r.get('NatGatewayId') or r.get('VpcEndpointId') or 'local'}"
            for r in raw.get("Routes") or []
        ]
        return [("Routes", "\n".join(routes))]
    return []


def overview_rows(graph: Any, node_id: str) -> Rows:
    node = attrs(graph, node_id)
    kind = str(node.get("kind", ""))
    raw = node.get("raw") or {}
    rows: Rows = [("Kind", KIND_TITLE.get(kind, kind)), ("Name", name_of(graph, node_id))]
    rows += _lattice(kind, raw, graph, node_id) or _ecs(kind, raw, node) or _other(kind, raw)
    rows += [("Id", node_id), ("Account / region", f"{node.get('account')} / {node.get('region')}")]
    return [(k, v) for k, v in rows if v not in (None, "", [])]


def render_overview(graph: Any, node_id: str) -> Group:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column()
    for label, value in overview_rows(graph, node_id):
        text = Text(str(value))
        if label in ("Status", "Health", "State"):
            text.stylize(status_style(str(value).split(" ")[0]))
        if label == "Reason":
            text.stylize("red")
        table.add_row(label, text)
    parts: list[Any] = [table]
    if attrs(graph, node_id).get("missing"):
        parts.append(
            Text(
                "\n? Referenced but not loaded (another account, or the call failed).",
                "bold yellow",
            )
        )
    for err in node_errors(graph, node_id):
        parts.append(
            Text(
                f"\n⚠ {err.get('operation')} failed: {err.get('code')} — {err.get('message')}",
                "bold red",
            )
        )
    return Group(*parts)
