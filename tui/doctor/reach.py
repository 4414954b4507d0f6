"""Can a client in VPC X reach each Lattice service, and if not, which hop fails?

Hops, in the order traffic meets them: the VPC's service-network association (ACTIVE), the
service's membership in that network, a listener, the association's security groups on the
listener port, the network's and the service's auth (AWS_IAM needs a policy that allows), and
a target behind the listener. ``ok`` is None when the hop could not be judged.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import networkx as nx

from tui.doctor import lattice as L
from tui.doctor import policy, sg
from tui.doctor.lattice_network import association_groups
from tui.doctor.lattice_routing import action_of, dead_end
from tui.doctor.view import View
from tui.model.kinds import EdgeKind, NodeKind


class UnknownVpc(ValueError):
    """The VPC is not in the graph."""


@dataclass(frozen=True)
class Hop:
    name: str
    ok: bool | None
    detail: str
    node: str = ""


@dataclass
class Reach:
    service: str
    name: str
    hops: list[Hop] = field(default_factory=list)

    @property
    def failed(self) -> Hop | None:
        return next((h for h in self.hops if h.ok is False), None)

    @property
    def reachable(self) -> bool:
        return self.failed is None

    def to_dict(self) -> dict[str, Any]:
        failed = self.failed
        return {"service": self.service, "name": self.name, "reachable": self.reachable,
                "failed_hop": failed.name if failed else None,
                "hops": [asdict(h) for h in self.hops]}


def resolve_vpc(v: View, vpc: str) -> str:
    if vpc in v.g and v.kind(vpc) == NodeKind.VPC:
        return vpc
    node = v.ec2(vpc)
    if node:
        return node
    for n in v.of_kind(NodeKind.VPC):  # stubs (missing=True) carry no raw VpcId
        if n.endswith("/" + vpc):
            return n
    raise UnknownVpc(f"VPC {vpc} is not in the graph")


def _auth_hop(v: View, name: str, resource: str) -> Hop:
    if str(v.raw(resource).get("authType", "NONE")).upper() != "AWS_IAM":
        return Hop(name, True, f"{v.name(resource)}: authType NONE", resource)
    policies = [p for p in L.auth_policies(v, resource) if v.raw(p).get("policy")]
    if not policies:
        if v.load_error(NodeKind.AUTH_POLICY, resource):
            return Hop(name, None, "auth policy not loaded", resource)
        return Hop(name, False, f"{v.name(resource)}: AWS_IAM with no auth policy (all denied)",
                   resource)
    verdict, why = policy.auth_verdict(v.raw(policies[0]).get("policy"))
    if verdict != "ok":
        return Hop(name, False, f"{v.name(resource)}: auth policy denies everyone ({why})",
                   policies[0])
    return Hop(name, True, f"{v.name(resource)}: AWS_IAM - callers must sign requests (SigV4) "
               f"as principals the policy allows ({why})", policies[0])


def _sg_hop(v: View, assoc: str, ports: list[int]) -> Hop:
    ids, groups = association_groups(v, assoc)
    if not ids:
        return Hop("security-groups", True, "association has no security groups", assoc)
    if len(groups) < len(ids):
        return Hop("security-groups", None, f"security groups {ids} not loaded", assoc)
    allowed = [p for p in ports if sg.ingress_sources(groups, p)]
    blocked = [p for p in ports if p not in allowed]
    detail = f"{', '.join(ids)} admit port(s) {allowed or 'none'}" + (
        f", block {blocked}" if blocked else "")
    return Hop("security-groups", bool(allowed), detail, assoc)


def _targets_hop(v: View, listeners: list[str]) -> Hop:
    reasons = []
    for lst in listeners:
        action = action_of(v, lst, "defaultAction")
        routes = [action] if not isinstance(action, dict) else []
        routes += [a for r in L.rules_of(v, lst)
                   if not isinstance(a := action_of(v, r, "action"), dict)]
        problems = [dead_end(v, pairs) for pairs in routes]
        if any(p is None for p in problems):
            return Hop("targets", True, f"listener {v.name(lst)} forwards to a serving target",
                       lst)
        reasons += [f"{v.name(lst)}: {p[0]}" for p in problems if p] or [
            f"{v.name(lst)}: fixed response only"]
    return Hop("targets", False, "; ".join(reasons) or "no listener", "")


def reach_service(v: View, vpc: str, svc: str) -> Reach:
    result = Reach(svc, v.name(svc))
    assocs = v.succ(vpc, EdgeKind.ASSOCIATED, NodeKind.SN_VPC_ASSOCIATION)
    active = [a for a in assocs if L.status(v, a) == L.ACTIVE]
    if not active:
        states = {v.name(a): L.status(v, a) for a in assocs}
        result.hops.append(Hop("vpc-association", False,
                               f"VPC has no ACTIVE service-network association {states or ''}"))
        return result
    result.hops.append(Hop("vpc-association", True, ", ".join(v.name(a) for a in active)))
    by_net = {L.network_of(v, a): a for a in active}
    net = next((n for n in by_net if svc in L.active_services(v, n or "")), None)
    if net is None:
        result.hops.append(Hop("service-network", False, "service is not (ACTIVE) in "
                               f"{', '.join(v.name(n) for n in by_net if n)}", svc))
        return result
    result.hops.append(Hop("service-network", True, v.name(net), net))
    listeners = L.listeners(v, svc)
    ports = [p for p in (L.listener_port(v, lst) for lst in listeners) if p is not None]
    if not listeners:
        result.hops.append(Hop("listener", False, "service has no listener", svc))
        return result
    result.hops.append(Hop("listener", True, f"port(s) {ports}", listeners[0]))
    result.hops.append(_sg_hop(v, by_net[net], ports))
    result.hops.append(_auth_hop(v, "network-auth", net))
    result.hops.append(_auth_hop(v, "service-auth", svc))
    result.hops.append(_targets_hop(v, listeners))
    return result


def reach_from_vpc(graph: nx.MultiDiGraph, vpc: str) -> list[Reach]:
    """One Reach per Lattice service (sorted by name). Raises UnknownVpc."""
    v = View(graph)
    vpc_node = resolve_vpc(v, vpc)
    services = [s for s in v.of_kind(NodeKind.SERVICE) if v.exists(s)]
    return sorted((reach_service(v, vpc_node, s) for s in services), key=lambda r: r.name)
