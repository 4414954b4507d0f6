"""Read-only helpers over the resource graph, shared by all rules.

Rules lean on each node's ``raw`` (the AWS response) and on edge kinds; lookups of EC2 resources
by bare id (sg-…, subnet-…) go through an index so a rule works whether or not the builder drew
the edge.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

import networkx as nx

from tui.model.inventory import lattice_prefix_list_id
from tui.model.kinds import EdgeKind, NodeKind

RUNNING = "RUNNING"
_EC2_ID_KEYS = {
    NodeKind.VPC: "VpcId",
    NodeKind.SUBNET: "SubnetId",
    NodeKind.SECURITY_GROUP: "GroupId",
    NodeKind.ROUTE_TABLE: "RouteTableId",
    NodeKind.VPC_ENDPOINT: "VpcEndpointId",
}


def _edge_kind(key: Any, data: dict[str, Any]) -> str:
    return str(data.get("kind", key))


class View:
    """A graph plus cached indexes. Cheap to build; build one per doctor run."""

    def __init__(self, graph: nx.MultiDiGraph) -> None:
        self.g = graph

    # --- nodes -----------------------------------------------------------------------------
    def node(self, node_id: str) -> dict[str, Any]:
        return self.g.nodes[node_id] if node_id in self.g else {}

    def raw(self, node_id: str) -> dict[str, Any]:
        return self.node(node_id).get("raw") or {}

    def ctx(self, node_id: str) -> dict[str, Any]:
        """The crawler's ctx for a node: on the node if the builder kept it, else from the
        inventories the graph was built from (graph.graph["inventories"])."""
        return self.node(node_id).get("ctx") or self._ctx_index.get(node_id, {})

    @cached_property
    def _ctx_index(self) -> dict[str, dict[str, Any]]:
        index: dict[str, dict[str, Any]] = {}
        for inv in self.g.graph.get("inventories") or []:
            records = getattr(inv, "records", None) or (
                inv.get("records", {}) if isinstance(inv, dict) else {}
            )
            for rec in records.get(str(NodeKind.IAM_ROLE), []):
                arn = (rec.get("raw") or {}).get("Arn")
                if arn and rec.get("ctx"):
                    index.setdefault(arn, rec["ctx"])
        return index

    def kind(self, node_id: str) -> str:
        return str(self.node(node_id).get("kind", ""))

    def name(self, node_id: str) -> str:
        return str(self.node(node_id).get("name") or node_id)

    def exists(self, node_id: str | None) -> bool:
        """In the graph and not a stub for a missing reference."""
        return bool(node_id) and node_id in self.g and not self.node(node_id).get("missing")

    def foreign(self, node_id: str) -> bool:
        """A stub in an account that was not crawled: absent from the graph, not from AWS."""
        accounts = set(self.g.graph.get("accounts") or []) | {self.g.graph.get("account")}
        parts = node_id.split(":")
        account = parts[4] if len(parts) > 5 else self.node(node_id).get("account")
        return bool(account) and account not in accounts

    def label(self, node_id: str) -> str:
        name = self.name(node_id)
        return name if name == node_id else f"{name} ({node_id})"

    def of_kind(self, kind: str) -> list[str]:
        return self._by_kind.get(str(kind), [])

    @cached_property
    def _by_kind(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for node_id, data in self.g.nodes(data=True):
            out.setdefault(str(data.get("kind", "")), []).append(node_id)
        return out

    # --- edges -----------------------------------------------------------------------------
    def succ(self, node_id: str, edge: str, kind: str | None = None) -> list[str]:
        if node_id not in self.g:
            return []
        out = []
        for _, dst, key, data in self.g.out_edges(node_id, keys=True, data=True):
            if _edge_kind(key, data) == edge and (kind is None or self.kind(dst) == kind):
                out.append(dst)
        return list(dict.fromkeys(out))

    def pred(self, node_id: str, edge: str, kind: str | None = None) -> list[str]:
        if node_id not in self.g:
            return []
        out = []
        for src, _, key, data in self.g.in_edges(node_id, keys=True, data=True):
            if _edge_kind(key, data) == edge and (kind is None or self.kind(src) == kind):
                out.append(src)
        return list(dict.fromkeys(out))

    def edges_out(self, node_id: str, edge: str) -> list[tuple[str, dict[str, Any]]]:
        if node_id not in self.g:
            return []
        return [
            (dst, data)
            for _, dst, key, data in self.g.out_edges(node_id, keys=True, data=True)
            if _edge_kind(key, data) == edge
        ]

    # --- EC2 by bare id --------------------------------------------------------------------
    @cached_property
    def _ec2_index(self) -> dict[str, str]:
        index: dict[str, str] = {}
        for kind, key in _EC2_ID_KEYS.items():
            for node_id in self.of_kind(kind):
                ident = self.raw(node_id).get(key)
                if ident:
                    index[ident] = node_id
        return index

    def ec2(self, resource_id: str) -> str | None:
        """Node id of an EC2 resource given its bare id (vpc-…, sg-…), or None."""
        return self._ec2_index.get(resource_id)

    # --- load health -----------------------------------------------------------------------
    @cached_property
    def incomplete(self) -> dict[str, str]:
        """kind -> why it is incomplete: an account-wide call for it failed.

        graph.graph["incomplete_kinds"] is {kind: [LoadError dicts]} (or a list of kinds); an
        error about one resource (resource != "") leaves the rest of the kind trustworthy, and
        is found by load_error(kind, resource) instead.
        """
        raw = self.g.graph.get("incomplete_kinds") or {}
        reasons: dict[str, str] = {}
        if isinstance(raw, dict):
            for kind, errors in raw.items():
                items = [e for e in (errors if isinstance(errors, list) else [errors])]
                wide = [e for e in items if not isinstance(e, dict) or not e.get("resource")]
                if wide:
                    reasons[str(kind)] = "; ".join(_error_text(e) for e in wide[:2])
        else:
            for kind in raw:
                errors = [e for e in self.errors() if e.get("kind") == kind]
                reasons[str(kind)] = "; ".join(_error_text(e) for e in errors[:2]) or "load failed"
        return reasons

    def errors(self) -> list[dict[str, Any]]:
        out = []
        for error in self.g.graph.get("errors") or []:
            if hasattr(error, "to_dict"):
                error = error.to_dict()
            if isinstance(error, dict):
                out.append(error)
        return out

    @cached_property
    def _errors_by_resource(self) -> dict[tuple[str, str], str]:
        return {
            (str(e.get("kind", "")), str(e.get("resource", ""))): _error_text(e)
            for e in self.errors()
            if e.get("resource")
        }

    def load_error(self, kind: str, resource: str) -> str | None:
        """Why data of ``kind`` about ``resource`` is missing, or None if it loaded."""
        if str(kind) in self.incomplete:
            return self.incomplete[str(kind)]
        return self._errors_by_resource.get((str(kind), resource))

    def resource_errors(self, resource: str, kinds: tuple[str, ...]) -> list[str]:
        """Failed calls about ``resource`` that left data of one of ``kinds`` missing."""
        return [
            f"{k} not loaded ({self._errors_by_resource[(k, resource)]})"
            for k in kinds
            if (k, resource) in self._errors_by_resource
        ]

    # --- shared lookups --------------------------------------------------------------------
    @cached_property
    def lattice_prefix_list(self) -> str | None:
        """PrefixListId of com.amazonaws.<region>.vpc-lattice (None when not loaded)."""
        return lattice_prefix_list_id(self.g.graph.get("prefix_lists") or [])

    def vpc_of_subnet(self, subnet_node: str) -> str | None:
        return self.raw(subnet_node).get("VpcId")

    def route_tables_of_subnet(self, subnet_node: str) -> list[str]:
        """Explicit association, else the VPC's main route table (EC2 implicit association)."""
        tables = self.succ(subnet_node, EdgeKind.USES, NodeKind.ROUTE_TABLE)
        if tables:
            return tables
        subnet_id = self.raw(subnet_node).get("SubnetId")
        vpc_id = self.vpc_of_subnet(subnet_node)
        main = None
        for rt in self.of_kind(NodeKind.ROUTE_TABLE):
            raw = self.raw(rt)
            for assoc in raw.get("Associations") or []:
                if subnet_id and assoc.get("SubnetId") == subnet_id:
                    return [rt]
                if assoc.get("Main") and raw.get("VpcId") == vpc_id:
                    main = rt
        return [main] if main else []


def _error_text(error: dict[str, Any]) -> str:
    op = f"{error.get('service', '')}:{error.get('operation', '')}".strip(":")
    return f"{op} {error.get('code', '')}".strip()
