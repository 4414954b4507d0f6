"""Lattice-shaped helpers shared by the lattice_* rules and reach.py."""

from __future__ import annotations

from typing import Any

from tui.doctor.view import View
from tui.model.kinds import EdgeKind, NodeKind

ACTIVE = "ACTIVE"
HEALTHY = "HEALTHY"
UNHEALTHY = "UNHEALTHY"


def status(v: View, node_id: str) -> str:
    return str(v.raw(node_id).get("status") or v.node(node_id).get("status") or "").upper()


def vpc_associations(v: View, network: str) -> list[str]:
    """vpc -> sn_vpc_association -> service_network: the associations are predecessors."""
    return v.pred(network, EdgeKind.ASSOCIATED, NodeKind.SN_VPC_ASSOCIATION)


def service_associations_of_network(v: View, network: str) -> list[str]:
    return v.succ(network, EdgeKind.ASSOCIATED, NodeKind.SN_SERVICE_ASSOCIATION)


def service_associations_of_service(v: View, service: str) -> list[str]:
    return v.pred(service, EdgeKind.ASSOCIATED, NodeKind.SN_SERVICE_ASSOCIATION)


def network_of(v: View, association: str) -> str | None:
    """The service network at either end of an association node."""
    nets = v.succ(association, EdgeKind.ASSOCIATED, NodeKind.SERVICE_NETWORK)
    nets += v.pred(association, EdgeKind.ASSOCIATED, NodeKind.SERVICE_NETWORK)
    return nets[0] if nets else v.raw(association).get("serviceNetworkArn")


def active_services(v: View, network: str) -> list[str]:
    out = []
    for assoc in service_associations_of_network(v, network):
        if status(v, assoc) == ACTIVE:
            out += v.succ(assoc, EdgeKind.ASSOCIATED, NodeKind.SERVICE)
    return out


def listeners(v: View, service: str) -> list[str]:
    return v.succ(service, EdgeKind.CONTAINS, NodeKind.LISTENER)


def rules_of(v: View, listener: str) -> list[str]:
    return v.succ(listener, EdgeKind.CONTAINS, NodeKind.RULE)


def listener_port(v: View, listener: str) -> int | None:
    raw = v.raw(listener)
    port = raw.get("port")
    if port is None:  # Lattice defaults: HTTP 80, HTTPS / TLS_PASSTHROUGH 443
        port = 80 if raw.get("protocol") == "HTTP" else 443 if raw.get("protocol") else None
    return int(port) if port is not None else None


def auth_policies(v: View, resource: str) -> list[str]:
    return v.succ(resource, EdgeKind.CONTAINS, NodeKind.AUTH_POLICY)


def forwards(action: dict[str, Any] | None) -> list[tuple[str, int]] | None:
    """(targetGroupIdentifier, weight) pairs of a forward action, None for a fixed response."""
    action = action or {}
    if "forward" not in action:
        return None
    return [
        (
            str(tg.get("targetGroupIdentifier", "")),
            int(tg.get("weight", 1) if tg.get("weight") is not None else 1),
        )
        for tg in (action["forward"] or {}).get("targetGroups") or []
    ]


def target_group_node(v: View, identifier: str) -> str | None:
    """Target group node for an ARN or a bare tg-… id."""
    if identifier in v.g:
        return identifier
    for tg in v.of_kind(NodeKind.TARGET_GROUP):
        if v.raw(tg).get("id") == identifier or tg.endswith("/" + identifier):
            return tg
    return None


def targets(v: View, target_group: str) -> list[str]:
    return v.succ(target_group, EdgeKind.REGISTERED, NodeKind.TARGET)


def target_statuses(v: View, target_group: str) -> list[tuple[str, str, str]]:
    """(target node, status, reasonCode) for each registered target."""
    return [
        (t, status(v, t), str(v.raw(t).get("reasonCode") or "")) for t in targets(v, target_group)
    ]


def targets_unknown(v: View, target_group: str) -> str | None:
    """Why the targets of this group are unknown (ListTargets failed), or None."""
    return v.load_error(NodeKind.TARGET, target_group)


def is_used(v: View, target_group: str) -> bool:
    """A target group is in use when a listener/rule forwards to it (serviceArns non-empty)."""
    if v.raw(target_group).get("serviceArns"):
        return True
    return bool(v.pred(target_group, EdgeKind.FORWARDS_TO))
