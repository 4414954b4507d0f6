"""Inventory -> networkx MultiDiGraph in the DESIGN vocabulary (see tui.model.kinds).

Node attributes: kind, name, region, account, raw, and where meaningful ``status`` (target
health, association/service/task state, ...). Extras: ``ips`` (tasks), ``dns`` (services,
endpoints), ``rollout_state`` (ecs_service), ``missing=True`` on stub nodes (a reference to
something not in the inventory: another account, or not loaded), ``load_errors`` on nodes a
failed call was about. Edge key = edge kind; attribute ``kind`` plus weight/via/port_name/role_arn.

Graph attributes: account, region, accounts, regions, prefix_lists, errors (LoadError dicts),
incomplete_kinds ({kind: [error dicts]}) and inventories (the inputs, for snapshots).
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from typing import Any

import networkx as nx

from tui.model.inventory import Inventory
from tui.model.kinds import EdgeKind, NodeKind, auth_policy_id, ec2_arn, target_id

K = NodeKind
E = EdgeKind
_PLAIN = {e: e.value for e in EdgeKind}  # edge keys are plain str (exports, equality, speed)

_LATTICE_TYPES = {
    "servicenetwork": K.SERVICE_NETWORK,
    "targetgroup": K.TARGET_GROUP,
    "servicenetworkserviceassociation": K.SN_SERVICE_ASSOCIATION,
    "servicenetworkvpcassociation": K.SN_VPC_ASSOCIATION,
    "accesslogsubscription": K.ACCESS_LOG_SUBSCRIPTION,
    "resourcegateway": K.RESOURCE_GATEWAY,
    "resourceconfiguration": K.RESOURCE_CONFIGURATION,
}
_OTHER_TYPES = {
    ("ecs", "cluster"): K.ECS_CLUSTER,
    ("ecs", "service"): K.ECS_SERVICE,
    ("ecs", "task"): K.ECS_TASK,
    ("ecs", "task-definition"): K.TASK_DEFINITION,
    ("iam", "role"): K.IAM_ROLE,
    ("ec2", "vpc"): K.VPC,
    ("ec2", "subnet"): K.SUBNET,
    ("ec2", "security-group"): K.SECURITY_GROUP,
    ("ec2", "route-table"): K.ROUTE_TABLE,
    ("ec2", "vpc-endpoint"): K.VPC_ENDPOINT,
}


def kind_from_arn(arn: str) -> str | None:
    """The NodeKind an ARN (or constructed id) names, or None when it is not ours."""
    parts = arn.split(":", 5)
    if len(parts) < 6 or parts[0] != "arn":
        return None
    service, resource = parts[2], parts[5]
    rtype = resource.split("/", 1)[0]
    if service == "vpc-lattice":
        if resource.endswith("/auth-policy"):
            return K.AUTH_POLICY
        if "/target/" in resource:
            return K.TARGET
        if rtype == "service":
            return (
                K.RULE
                if "/rule/" in resource
                else K.LISTENER
                if "/listener/" in resource
                else K.SERVICE
            )
        return _LATTICE_TYPES.get(rtype)
    return _OTHER_TYPES.get((service, rtype))


def _arn_place(arn: str) -> tuple[str, str]:
    """(region, account) from an ARN; empty strings where the ARN has none."""
    parts = arn.split(":", 5)
    return (parts[3], parts[4]) if len(parts) == 6 else ("", "")


def _tag_name(raw: dict[str, Any], default: str) -> str:
    for tag in raw.get("Tags") or ():
        if tag.get("Key") == "Name" and tag.get("Value"):
            return tag["Value"]
    return default


def _last(arn: str) -> str:
    return arn.rsplit("/", 1)[-1]


class _Builder:
    """Collects nodes and edges from one or more inventories, then makes the graph."""

    def __init__(self) -> None:
        self.nodes: dict[str, dict[str, Any]] = {}
        self.edges: list[tuple[str, str, str, dict[str, Any]]] = []

    # -- primitives -------------------------------------------------------------------------
    def node(self, nid: str, kind: str, name: str, raw: dict, inv: Inventory, **attrs: Any) -> None:
        region, account = _arn_place(nid)
        attrs["kind"] = str(kind)
        attrs["name"] = name or _last(nid)
        attrs["region"] = region or inv.region
        attrs["account"] = account or inv.account
        attrs["raw"] = raw
        if attrs.get("status") is None:
            attrs.pop("status", None)
        self.nodes.setdefault(nid, attrs)  # first record wins (multi-region merges)

    def edge(self, u: str, v: str, kind: str, **attrs: Any) -> None:
        attrs["kind"] = kind = _PLAIN[kind]
        self.edges.append((u, v, kind, attrs))

    # -- per inventory ---------------------------------------------------------------------
    def add(self, inv: Inventory) -> None:
        r = _Refs(inv)
        self._ec2(inv, r)
        self._ecs(inv, r)
        self._lattice(inv, r)

    def _ec2(self, inv: Inventory, r: _Refs) -> None:
        # Pass 1: index bare EC2 ids -> node ids (the owner may differ from the crawled account).
        types = {
            K.VPC: ("vpc", "VpcId"),
            K.SUBNET: ("subnet", "SubnetId"),
            K.SECURITY_GROUP: ("security-group", "GroupId"),
            K.ROUTE_TABLE: ("route-table", "RouteTableId"),
            K.VPC_ENDPOINT: ("vpc-endpoint", "VpcEndpointId"),
        }
        for kind, (etype, key) in types.items():
            for rec in inv.of(kind):
                bare = rec["raw"].get(key, "")
                r.ec2[bare] = ec2_arn(
                    inv.region, rec["raw"].get("OwnerId") or inv.account, etype, bare
                )
        main_tables: dict[str, str] = {}
        explicit: set[str] = set()
        for kind, (_etype, key) in types.items():
            for rec in inv.of(kind):
                raw = rec["raw"]
                nid = r.ec2[raw.get(key, "")]
                status = raw.get("State") if kind != K.SECURITY_GROUP else None
                extra: dict[str, Any] = {}
                if kind == K.VPC_ENDPOINT:
                    extra["dns"] = [d.get("DnsName", "") for d in raw.get("DnsEntries") or ()]
                name = _tag_name(raw, raw.get("GroupName") or raw.get(key, ""))
                self.node(nid, kind, name, raw, inv, status=status, **extra)
                if kind != K.VPC and raw.get("VpcId"):
                    vpc = r.vpc(raw["VpcId"])
                    self.edge(vpc, nid, E.CONTAINS)
                    if kind == K.SUBNET:
                        r.subnet_vpc[nid] = vpc
                if kind == K.ROUTE_TABLE:
                    for assoc in raw.get("Associations") or ():
                        if assoc.get("Main"):
                            main_tables[raw.get("VpcId", "")] = nid
                        elif assoc.get("SubnetId"):
                            subnet = r.ec2_ref(assoc["SubnetId"], "subnet")
                            explicit.add(subnet)
                            self.edge(subnet, nid, E.USES)
                elif kind == K.VPC_ENDPOINT:
                    for rt in raw.get("RouteTableIds") or ():
                        self.edge(nid, r.ec2_ref(rt, "route-table"), E.USES)
                    for sub in raw.get("SubnetIds") or ():
                        self.edge(nid, r.ec2_ref(sub, "subnet"), E.IN)
                    for group in raw.get("Groups") or ():
                        sg = r.ec2_ref(group.get("GroupId", ""), "security-group")
                        self.edge(sg, nid, E.GUARDS)
        # A subnet without an explicit association routes through its VPC's main table.
        for rec in inv.of(K.SUBNET):
            nid = r.ec2[rec["raw"].get("SubnetId", "")]
            main = main_tables.get(rec["raw"].get("VpcId", ""))
            if nid not in explicit and main:
                self.edge(nid, main, E.USES, via="main")

    def _ecs(self, inv: Inventory, r: _Refs) -> None:
        for rec in inv.of(K.ECS_CLUSTER):
            raw = rec["raw"]
            self.node(
                raw["clusterArn"],
                K.ECS_CLUSTER,
                raw.get("clusterName", ""),
                raw,
                inv,
                status=raw.get("status"),
            )
        for rec in inv.of(K.TASK_DEFINITION):
            raw = rec["raw"]
            name = f"{raw.get('family', '')}:{raw.get('revision', '')}"
            self.node(
                raw["taskDefinitionArn"],
                K.TASK_DEFINITION,
                name,
                raw,
                inv,
                status=raw.get("status"),
            )
            # The task and execution roles: ECR pulls and app permissions depend on them.
            for role in {raw.get("taskRoleArn"), raw.get("executionRoleArn")} - {None, ""}:
                self.edge(raw["taskDefinitionArn"], role, E.USES)
        services: dict[tuple[str, str], dict[str, Any]] = {}
        for rec in inv.of(K.ECS_SERVICE):
            raw = rec["raw"]
            sid = raw["serviceArn"]
            primary = next(
                (d for d in raw.get("deployments") or () if d.get("status") == "PRIMARY"), {}
            )
            self.node(
                sid,
                K.ECS_SERVICE,
                raw.get("serviceName", ""),
                raw,
                inv,
                status=raw.get("status"),
                rollout_state=primary.get("rolloutState"),
            )
            services[(raw.get("clusterArn", ""), raw.get("serviceName", ""))] = raw
            if raw.get("clusterArn"):
                self.edge(raw["clusterArn"], sid, E.CONTAINS)
            if raw.get("taskDefinition"):
                self.edge(sid, raw["taskDefinition"], E.USES)
            vpc_cfg = (raw.get("networkConfiguration") or {}).get("awsvpcConfiguration") or {}
            for sub in vpc_cfg.get("subnets") or ():
                self.edge(sid, r.ec2_ref(sub, "subnet"), E.IN)
            for sg in vpc_cfg.get("securityGroups") or ():
                self.edge(r.ec2_ref(sg, "security-group"), sid, E.GUARDS)
            for cfg in primary.get("vpcLatticeConfigurations") or ():
                tg, role = cfg.get("targetGroupArn", ""), cfg.get("roleArn", "")
                self.edge(
                    sid,
                    r.lattice_ref(tg, "targetgroup"),
                    E.ATTACHED,
                    port_name=cfg.get("portName", ""),
                    role_arn=role,
                )
                if role:
                    self.edge(sid, role, E.USES)
        for rec in inv.of(K.IAM_ROLE):
            raw = rec["raw"]
            # ctx holds the attached/inline policy documents the doctor judges the role by.
            self.node(raw["Arn"], K.IAM_ROLE, raw.get("RoleName", ""), raw, inv, ctx=rec["ctx"])
        for rec in inv.of(K.ECS_TASK):
            self._task(rec["raw"], inv, r, services)

    def _task(self, raw: dict, inv: Inventory, r: _Refs, services: dict) -> None:
        tid, cluster = raw["taskArn"], raw.get("clusterArn", "")
        ips: list[str] = []
        subnets: list[str] = []
        for att in raw.get("attachments") or ():
            if att.get("type") != "ElasticNetworkInterface":
                continue
            details = {d.get("name"): d.get("value") for d in att.get("details") or ()}
            if details.get("privateIPv4Address"):
                ips.append(details["privateIPv4Address"])
            if details.get("subnetId"):
                subnets.append(r.ec2_ref(details["subnetId"], "subnet"))
        for container in raw.get("containers") or ():
            for eni in container.get("networkInterfaces") or ():
                ip = eni.get("privateIpv4Address")
                if ip and ip not in ips:
                    ips.append(ip)
        self.node(tid, K.ECS_TASK, _last(tid), raw, inv, status=raw.get("lastStatus"), ips=ips)
        group = raw.get("group") or ""
        service = services.get((cluster, group[8:])) if group.startswith("service:") else None
        if service:
            self.edge(service["serviceArn"], tid, E.CONTAINS)
            # DescribeTasks has no security groups: the task wears its deployment's (or service's).
            started_by = raw.get("startedBy")
            deps = service.get("deployments") or ()
            dep = next((d for d in deps if d.get("id") == started_by), service)
            cfg = (dep.get("networkConfiguration") or {}).get("awsvpcConfiguration") or {}
            for sg in cfg.get("securityGroups") or ():
                self.edge(r.ec2_ref(sg, "security-group"), tid, E.GUARDS)
        elif cluster:
            self.edge(cluster, tid, E.CONTAINS)
        if raw.get("taskDefinitionArn"):
            self.edge(tid, raw["taskDefinitionArn"], E.USES)
        for subnet in subnets:
            self.edge(tid, subnet, E.IN)
        vpc = next((r.subnet_vpc[s] for s in subnets if s in r.subnet_vpc), None)
        for ip in ips:
            r.task_ips.setdefault((vpc, ip), []).append(tid)
            r.task_ips.setdefault((None, ip), []).append(tid)

    def _lattice(self, inv: Inventory, r: _Refs) -> None:
        for kind, key in (
            (K.SERVICE_NETWORK, "servicenetwork"),
            (K.SERVICE, "service"),
            (K.TARGET_GROUP, "targetgroup"),
            (K.RESOURCE_GATEWAY, "resourcegateway"),
        ):
            for rec in inv.of(kind):
                r.lattice[(key, rec["raw"].get("id", ""))] = rec["raw"]["arn"]
        for rec in inv.of(K.SERVICE_NETWORK):
            raw = rec["raw"]
            self.node(raw["arn"], K.SERVICE_NETWORK, raw.get("name", ""), raw, inv)
        for rec in inv.of(K.SERVICE):
            raw = rec["raw"]
            dns = [(raw.get("dnsEntry") or {}).get("domainName"), raw.get("customDomainName")]
            self.node(
                raw["arn"],
                K.SERVICE,
                raw.get("name", ""),
                raw,
                inv,
                status=raw.get("status"),
                dns=[d for d in dns if d],
            )
        for rec in inv.of(K.LISTENER):
            raw = rec["raw"]
            lid = raw["arn"]
            self.node(lid, K.LISTENER, raw.get("name", ""), raw, inv)
            svc = raw.get("serviceArn") or rec["ctx"].get("serviceArn")
            if svc:
                self.edge(svc, lid, E.CONTAINS)
            self._forwards(lid, raw.get("defaultAction"), "default", inv, r)
        for rec in inv.of(K.RULE):
            raw, ctx = rec["raw"], rec["ctx"]
            rid = raw["arn"]
            self.node(
                rid, K.RULE, raw.get("name", ""), raw, inv, is_default=bool(raw.get("isDefault"))
            )
            listener = (
                ctx.get("listenerArn") or raw.get("listenerArn") or rid.rsplit("/rule/", 1)[0]
            )
            self.edge(listener, rid, E.CONTAINS)
            self._forwards(rid, raw.get("action"), "rule", inv, r)
        for rec in inv.of(K.TARGET_GROUP):
            raw = rec["raw"]
            self.node(
                raw["arn"], K.TARGET_GROUP, raw.get("name", ""), raw, inv, status=raw.get("status")
            )
            vpc = (raw.get("config") or {}).get("vpcIdentifier")
            if vpc:
                self.edge(raw["arn"], r.vpc(vpc), E.IN)
        self._targets(inv, r)
        self._associations(inv, r)
        for rec in inv.of(K.AUTH_POLICY):
            raw, res = rec["raw"], rec["ctx"].get("resourceArn", "")
            nid = auth_policy_id(res)
            self.node(nid, K.AUTH_POLICY, "auth policy", raw, inv, status=raw.get("state"))
            self.edge(res, nid, E.CONTAINS)
        for rec in inv.of(K.ACCESS_LOG_SUBSCRIPTION):
            raw = rec["raw"]
            self.node(
                raw["arn"],
                K.ACCESS_LOG_SUBSCRIPTION,
                _last(raw.get("destinationArn", "")),
                raw,
                inv,
            )
            if raw.get("resourceArn"):
                self.edge(raw["resourceArn"], raw["arn"], E.CONTAINS)
        for rec in inv.of(K.RESOURCE_GATEWAY):
            raw = rec["raw"]
            self.node(
                raw["arn"],
                K.RESOURCE_GATEWAY,
                raw.get("name", ""),
                raw,
                inv,
                status=raw.get("status"),
            )
            for sub in raw.get("subnetIds") or ():
                self.edge(raw["arn"], r.ec2_ref(sub, "subnet"), E.IN)
        for rec in inv.of(K.RESOURCE_CONFIGURATION):
            raw = rec["raw"]
            self.node(
                raw["arn"],
                K.RESOURCE_CONFIGURATION,
                raw.get("name", ""),
                raw,
                inv,
                status=raw.get("status"),
            )
            gw = raw.get("resourceGatewayId") or raw.get("resourceGatewayIdentifier")
            if gw:
                gw_id = r.lattice_ref(gw, "resourcegateway")
                self.edge(gw_id, raw["arn"], E.CONTAINS)

    def _forwards(self, src: str, action: dict | None, via: str, inv: Inventory, r: _Refs) -> None:
        for tg in ((action or {}).get("forward") or {}).get("targetGroups") or ():
            dst = r.lattice_ref(tg.get("targetGroupIdentifier", ""), "targetgroup")
            self.edge(src, dst, E.FORWARDS_TO, via=via, weight=tg.get("weight", 1))

    def _targets(self, inv: Inventory, r: _Refs) -> None:
        tg_raw = {rec["raw"]["arn"]: rec["raw"] for rec in inv.of(K.TARGET_GROUP)}
        for rec in inv.of(K.TARGET):
            raw, tg = rec["raw"], rec["ctx"].get("targetGroupArn", "")
            nid = target_id(tg, raw.get("id", ""), raw.get("port"))
            self.node(
                nid,
                K.TARGET,
                raw.get("id", "") + (f":{raw['port']}" if raw.get("port") is not None else ""),
                raw,
                inv,
                status=raw.get("status"),
                reason_code=raw.get("reasonCode"),
            )
            self.edge(tg, nid, E.REGISTERED)
            group = tg_raw.get(tg, {})
            if group.get("type", "IP") != "IP":
                continue
            vpc_ident = (group.get("config") or {}).get("vpcIdentifier")
            vpc = r.vpc(vpc_ident) if vpc_ident else None
            # Same VPC first; then tasks whose VPC is unknown, if exactly one has the IP.
            tasks = r.task_ips.get((vpc, raw.get("id")), [])
            if not tasks:
                fallback = r.task_ips.get((None, raw.get("id")), [])
                tasks = fallback if len(fallback) == 1 and vpc is None else []
            for task in tasks:
                self.edge(nid, task, E.BACKS)

    def _associations(self, inv: Inventory, r: _Refs) -> None:
        for rec in inv.of(K.SN_VPC_ASSOCIATION):
            raw, ctx = rec["raw"], rec["ctx"]
            sn = r.lattice_ref(
                ctx.get("serviceNetworkArn") or raw.get("serviceNetworkArn", ""), "servicenetwork"
            )
            vpc = r.vpc(ctx.get("vpcId") or raw.get("vpcId", ""))
            name = f"{raw.get('serviceNetworkName') or _last(sn)} ↔ {_last(vpc)}"
            self.node(raw["arn"], K.SN_VPC_ASSOCIATION, name, raw, inv, status=raw.get("status"))
            self.edge(vpc, raw["arn"], E.ASSOCIATED)
            self.edge(raw["arn"], sn, E.ASSOCIATED)
            for sg in raw.get("securityGroupIds") or ():
                self.edge(raw["arn"], r.ec2_ref(sg, "security-group"), E.IN)
        for rec in inv.of(K.SN_SERVICE_ASSOCIATION):
            raw, ctx = rec["raw"], rec["ctx"]
            sn = r.lattice_ref(
                ctx.get("serviceNetworkArn") or raw.get("serviceNetworkArn", ""), "servicenetwork"
            )
            svc = r.lattice_ref(ctx.get("serviceArn") or raw.get("serviceArn", ""), "service")
            name = (
                f"{raw.get('serviceNetworkName') or _last(sn)} ↔ "
                f"{raw.get('serviceName') or _last(svc)}"
            )
            self.node(
                raw["arn"], K.SN_SERVICE_ASSOCIATION, name, raw, inv, status=raw.get("status")
            )
            self.edge(sn, raw["arn"], E.ASSOCIATED)
            self.edge(raw["arn"], svc, E.ASSOCIATED)

    # -- the graph ---------------------------------------------------------------------------
    def graph(self, inventories: list[Inventory]) -> nx.MultiDiGraph:
        g = nx.MultiDiGraph()
        first = inventories[0] if inventories else Inventory()
        _fill(g, self.nodes, self.edges, first)
        errors = [
            {k: str(v) for k, v in e.to_dict().items()} for inv in inventories for e in inv.errors
        ]
        incomplete: dict[str, list[dict[str, str]]] = {}
        for err in errors:
            if err["kind"]:
                incomplete.setdefault(err["kind"], []).append(err)
            if err["resource"] in g:
                g.nodes[err["resource"]].setdefault("load_errors", []).append(err)
        g.graph.update(
            account=first.account,
            region=first.region,
            accounts=sorted({inv.account for inv in inventories if inv.account}),
            regions=sorted({inv.region for inv in inventories if inv.region}),
            prefix_lists=[p for inv in inventories for p in inv.prefix_lists],
            errors=errors,
            incomplete_kinds=incomplete,
            inventories=inventories,
        )
        return g


def _stub(nid: str, referrer: dict[str, Any] | None, first: Inventory) -> dict[str, Any]:
    """A node for a reference to something not loaded (another account, or a failed call)."""
    region, account = _arn_place(nid)
    fallback = referrer or {"region": first.region, "account": first.account}
    return {
        "kind": str(kind_from_arn(nid) or "unknown"),
        "name": _last(nid),
        "region": region or fallback["region"],
        "account": account or fallback["account"],
        "raw": {},
        "missing": True,
    }


def _fill(g: nx.MultiDiGraph, nodes: dict, edges: list, first: Inventory) -> None:
    """Fill networkx's adjacency dicts directly: the same structure add_edge builds (succ and
    pred share one key dict per node pair), ~4x faster than add_edges_from on 60k edges."""
    node_dict, succ, pred = g._node, g._succ, g._pred
    for nid, attrs in nodes.items():
        node_dict[nid] = attrs
        succ[nid] = {}
        pred[nid] = {}
    for u, v, key, data in edges:
        for end, other in ((u, v), (v, u)):
            if end not in node_dict:
                node_dict[end] = _stub(end, node_dict.get(other), first)
                succ[end] = {}
                pred[end] = {}
        keydict = succ[u].get(v)
        if keydict is None:
            keydict = succ[u][v] = pred[v][u] = {}
        if key in keydict:
            keydict[key].update(data)
        else:
            keydict[key] = data


class _Refs:
    """Per-inventory indexes that turn bare ids into node ids."""

    def __init__(self, inv: Inventory) -> None:
        self.inv = inv
        self.ec2: dict[str, str] = {}
        self.lattice: dict[tuple[str, str], str] = {}
        self.subnet_vpc: dict[str, str] = {}
        self.task_ips: dict[tuple[str | None, str], list[str]] = {}

    def ec2_ref(self, bare: str, etype: str) -> str:
        if bare.startswith("arn:"):
            return bare
        return self.ec2.get(bare) or ec2_arn(self.inv.region, self.inv.account, etype, bare)

    def vpc(self, bare: str) -> str:
        return self.ec2_ref(bare, "vpc")

    def lattice_ref(self, ident: str, ltype: str) -> str:
        """Lattice calls accept an id or an ARN; the graph always uses the ARN."""
        if ident.startswith("arn:"):
            return ident
        return self.lattice.get((ltype, ident)) or (
            f"arn:aws:vpc-lattice:{self.inv.region}:{self.inv.account}:{ltype}/{ident}"
        )


def build_graph(inventory: Inventory | Iterable[Inventory]) -> nx.MultiDiGraph:
    """One graph from one inventory, or several (accounts x regions) merged."""
    inventories = [inventory] if isinstance(inventory, Inventory) else list(inventory)
    builder = _Builder()
    # ~100k new dicts and tuples: the cyclic GC would rescan them over and over (~40% of the
    # time) although nothing here makes cycles. Pause it for the build.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for inv in inventories:
            builder.add(inv)
        return builder.graph(inventories)
    finally:
        if was_enabled:
            gc.enable()


# The query wrapper lives in tui.model.query; re-exported so both import paths work.
from tui.model.query import ResourceGraph  # noqa: E402

__all__ = ["ResourceGraph", "build_graph", "kind_from_arn"]
