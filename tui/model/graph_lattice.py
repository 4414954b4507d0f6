"""The VPC Lattice section of the graph builder: service networks, services, listeners and
rules (with their weighted forwards to target groups), target groups and targets (linked to
the ECS tasks that back them by IP), service-network associations, auth policies, access log
subscriptions, resource gateways and resource configurations. Runs after the EC2 and ECS
sections, whose ``_Refs`` indexes it reads. Mixed into ``tui.model.graph._Builder``, which
supplies ``node`` and ``edge``.
"""

from __future__ import annotations

from tui.model.graph_arns import _last, _Refs
from tui.model.inventory import Inventory
from tui.model.kinds import EdgeKind, NodeKind, auth_policy_id, target_id

K = NodeKind
E = EdgeKind


class _LatticeSections:
    """Builder methods for VPC Lattice records (needs ``node``/``edge`` from _Builder)."""

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
