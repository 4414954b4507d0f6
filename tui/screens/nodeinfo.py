"""How a graph node looks in the UI: short kind tags, labels, status colours, search text,
AWS console links. Pure functions over the graph's node attributes (no widgets)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from rich.text import Text

from tui.checks import findings_index
from tui.model.kinds import NodeKind

K = NodeKind

KIND_TAG: dict[str, str] = {
    K.SERVICE_NETWORK: "sn",
    K.SERVICE: "svc",
    K.LISTENER: "listener",
    K.RULE: "rule",
    K.TARGET_GROUP: "tg",
    K.TARGET: "target",
    K.SN_SERVICE_ASSOCIATION: "sn-svc",
    K.SN_VPC_ASSOCIATION: "sn-vpc",
    K.AUTH_POLICY: "auth",
    K.ACCESS_LOG_SUBSCRIPTION: "logs",
    K.RESOURCE_GATEWAY: "rgw",
    K.RESOURCE_CONFIGURATION: "rcfg",
    K.ECS_CLUSTER: "cluster",
    K.ECS_SERVICE: "ecs",
    K.ECS_TASK: "task",
    K.TASK_DEFINITION: "taskdef",
    K.IAM_ROLE: "role",
    K.VPC: "vpc",
    K.SUBNET: "subnet",
    K.SECURITY_GROUP: "sg",
    K.ROUTE_TABLE: "rtb",
    K.VPC_ENDPOINT: "vpce",
}

KIND_TITLE: dict[str, str] = {
    K.SERVICE_NETWORK: "Service network",
    K.SERVICE: "Lattice service",
    K.LISTENER: "Listener",
    K.RULE: "Rule",
    K.TARGET_GROUP: "Target group",
    K.TARGET: "Target",
    K.SN_SERVICE_ASSOCIATION: "Service association",
    K.SN_VPC_ASSOCIATION: "VPC association",
    K.AUTH_POLICY: "Auth policy",
    K.ACCESS_LOG_SUBSCRIPTION: "Access log subscription",
    K.RESOURCE_GATEWAY: "Resource gateway",
    K.RESOURCE_CONFIGURATION: "Resource configuration",
    K.ECS_CLUSTER: "ECS cluster",
    K.ECS_SERVICE: "ECS service",
    K.ECS_TASK: "ECS task",
    K.TASK_DEFINITION: "Task definition",
    K.IAM_ROLE: "IAM role",
    K.VPC: "VPC",
    K.SUBNET: "Subnet",
    K.SECURITY_GROUP: "Security group",
    K.ROUTE_TABLE: "Route table",
    K.VPC_ENDPOINT: "VPC endpoint",
}

GOOD = {"ACTIVE", "HEALTHY", "RUNNING", "AVAILABLE", "COMPLETED"}
BAD_WORDS = ("FAIL", "UNHEALTHY", "STOPPED", "DELETE", "ERROR", "REJECTED", "INACTIVE")
WARN = {"DRAINING", "INITIAL", "PENDING", "UNAVAILABLE", "UNUSED", "PROVISIONING", "ACTIVATING"}

# Target health, worst first: the order of the :health view.
HEALTH_ORDER = ["UNHEALTHY", "UNAVAILABLE", "DRAINING", "INITIAL", "UNUSED", "HEALTHY"]


def health_rank(status: str | None) -> int:
    status = (status or "").upper()
    return HEALTH_ORDER.index(status) if status in HEALTH_ORDER else 0


def status_style(status: str | None) -> str:
    s = (status or "").upper()
    if not s:
        return "dim"
    if s in GOOD:
        return "green"
    if any(word in s for word in BAD_WORDS):
        return "bold red"
    if s in WARN or "PROGRESS" in s or "PENDING" in s:
        return "yellow"
    return "cyan"


def attrs(graph: Any, node_id: str) -> dict[str, Any]:
    return graph.nodes[node_id] if node_id in graph else {}


def kind_of(graph: Any, node_id: str) -> str:
    return str(attrs(graph, node_id).get("kind", ""))


def name_of(graph: Any, node_id: str) -> str:
    data = attrs(graph, node_id)
    return str(data.get("name") or node_id.rsplit("/", 1)[-1] or node_id)


def raw_of(graph: Any, node_id: str) -> dict[str, Any]:
    return attrs(graph, node_id).get("raw") or {}


def status_of(graph: Any, node_id: str) -> str:
    data = attrs(graph, node_id)
    return str(data.get("status") or "")


def is_missing(graph: Any, node_id: str) -> bool:
    return bool(attrs(graph, node_id).get("missing"))


def node_errors(graph: Any, node_id: str) -> list[dict[str, Any]]:
    """The failed calls that were about this very node (e.g. ListTargets on a target group)."""
    data = attrs(graph, node_id)
    if data.get("load_errors"):
        return list(data["load_errors"])
    return [e for e in graph.graph.get("errors", []) if _err(e, "resource") == node_id]


def _err(error: Any, key: str) -> str:
    if isinstance(error, dict):
        return str(error.get(key, ""))
    return str(getattr(error, key, ""))


def node_label(graph: Any, node_id: str, prefix: str = "") -> Text:
    """One tree/table line: kind tag, name, status, and marks for missing or failed data."""
    kind = kind_of(graph, node_id)
    text = Text()
    if prefix:
        text.append(prefix, "dim")
    text.append(f"{KIND_TAG.get(kind, kind)} ", "dim cyan")
    text.append(name_of(graph, node_id), "bold" if kind in ROOT_KINDS else "")
    status = status_of(graph, node_id)
    if status:
        text.append(f" {status}", status_style(status))
    reason = raw_of(graph, node_id).get("reasonCode") if kind == K.TARGET else None
    if reason:
        text.append(f" ({reason})", "red")
    if is_missing(graph, node_id):
        text.append(" ? not loaded", "bold yellow")
    if node_errors(graph, node_id):
        text.append(" ⚠ load error", "bold red")
    if attrs(graph, node_id).get("planned"):
        text.append(" ◆ planned", "bold magenta")
    text.append_text(findings_badge(graph, node_id))
    return text


def findings_badge(graph: Any, node_id: str) -> Text:
    """`` ✗2`` (red) for the node's error findings, `` !1`` (yellow) for warnings."""
    index = findings_index(graph)
    text = Text()
    if index is None:
        return text
    errors, warnings = index.counts(node_id)
    if errors:
        text.append(f" ✗{errors}", "bold red")
    if warnings:
        text.append(f" !{warnings}", "bold yellow")
    return text


ROOT_KINDS = {K.SERVICE_NETWORK, K.ECS_CLUSTER, K.VPC}

_SEARCH_KEYS = ("ip", "dns", "domain", "address", "cidr", "hostname")
_KEY_WANTED: dict[str, bool] = {}  # raw response key -> does it name an IP/DNS-ish value


def _wanted(key: str) -> bool:
    wanted = _KEY_WANTED.get(key)
    if wanted is None:
        lowered = key.lower()
        wanted = _KEY_WANTED[key] = any(s in lowered for s in _SEARCH_KEYS)
    return wanted


def _collect(value: Any, key: str, out: list[str], depth: int = 0) -> None:
    if depth > 6:
        return
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(v, dict | list) or (isinstance(v, str | int) and _wanted(str(k))):
                _collect(v, str(k), out, depth + 1)
    elif isinstance(value, list):
        for v in value:
            _collect(v, key, out, depth + 1)
    elif isinstance(value, str | int) and _wanted(key):
        out.append(str(value))


def search_text(graph: Any, node_id: str) -> str:
    """What ``/`` matches: name, id/ARN, IPs and DNS names found in the raw response, and
    ``region:<region> account:<account>`` (so a filter can narrow a many-region graph)."""
    data = attrs(graph, node_id)
    parts = [node_id, str(data.get("name", ""))]
    raw = data.get("raw") or {}
    if data.get("kind") == K.TARGET:
        parts.append(str(raw.get("id", "")))
    for extra in ("ips", "dns"):
        value = data.get(extra)
        parts.extend(str(v) for v in (value if isinstance(value, list | tuple | set) else [value]))
    _collect(raw, "", parts)
    parts.append(f"region:{data.get('region') or ''} account:{data.get('account') or ''}")
    return " ".join(parts).lower()


def console_url(graph: Any, node_id: str) -> str:
    """Best-effort AWS console link for a node (the console's URL fragments are not an API)."""
    data = attrs(graph, node_id)
    kind = kind_of(graph, node_id)
    region = data.get("region") or graph.graph.get("region") or "us-east-1"
    raw = data.get("raw") or {}
    host = f"https://{region}.console.aws.amazon.com"
    vpc = f"{host}/vpcconsole/home?region={region}#"
    arn = quote(node_id, safe="")
    bare = node_id.rsplit("/", 1)[-1]
    ecs = f"{host}/ecs/v2/clusters"
    if kind == K.SERVICE_NETWORK:
        return f"{vpc}ServiceNetwork:serviceNetworkArn={arn}"
    if kind in (K.SERVICE, K.LISTENER, K.RULE, K.AUTH_POLICY):
        service = node_id.split("/listener/")[0].split("/auth-policy")[0]
        return f"{vpc}Service:serviceArn={quote(service, safe='')}"
    if kind in (K.TARGET_GROUP, K.TARGET):
        tg = node_id.split("/target/")[0]
        return f"{vpc}TargetGroup:targetGroupArn={quote(tg, safe='')}"
    if kind == K.ECS_CLUSTER:
        return f"{ecs}/{data.get('name', bare)}/services?region={region}"
    if kind == K.ECS_SERVICE:
        cluster = str(raw.get("clusterArn", "")).rsplit("/", 1)[-1]
        return f"{ecs}/{cluster}/services/{data.get('name', bare)}/health?region={region}"
    if kind == K.ECS_TASK:
        cluster = str(raw.get("clusterArn", "")).rsplit("/", 1)[-1]
        return f"{ecs}/{cluster}/tasks/{bare}/configuration?region={region}"
    if kind == K.TASK_DEFINITION:
        family, _, rev = bare.partition(":")
        return f"{host}/ecs/v2/task-definitions/{family}/{rev}/containers?region={region}"
    if kind == K.IAM_ROLE:
        return f"https://console.aws.amazon.com/iam/home#/roles/details/{data.get('name', bare)}"
    ec2 = {
        K.VPC: "VpcDetails:VpcId=",
        K.SUBNET: "SubnetDetails:subnetId=",
        K.SECURITY_GROUP: "SecurityGroup:groupId=",
        K.ROUTE_TABLE: "RouteTableDetails:RouteTableId=",
        K.VPC_ENDPOINT: "EndpointDetails:vpcEndpointId=",
    }
    if kind in ec2:
        return f"{vpc}{ec2[kind]}{bare}"
    return f"{vpc}"
