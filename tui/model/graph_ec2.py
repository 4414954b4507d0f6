"""The EC2 networking section of the graph builder: VPCs, subnets, security groups, route
tables and VPC endpoints, with their contains/uses/in/guards edges and each subnet's route
table (explicit association, else its VPC's main table). It also fills ``_Refs.ec2`` and
``_Refs.subnet_vpc``, which the ECS and Lattice sections resolve against, so it runs first.
Mixed into ``tui.model.graph._Builder``, which supplies ``node`` and ``edge``.
"""

from __future__ import annotations

from typing import Any

from tui.model.graph_arns import _Refs, _tag_name
from tui.model.inventory import Inventory
from tui.model.kinds import EdgeKind, NodeKind, ec2_arn

K = NodeKind
E = EdgeKind


class _Ec2Sections:
    """Builder methods for EC2 networking records (needs ``node``/``edge`` from _Builder)."""

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
