"""Lattice reachability rules: service networks, associations, their security groups, auth."""

from __future__ import annotations

from collections.abc import Iterator

from tui.doctor import lattice as L
from tui.doctor import policy, sg
from tui.doctor.findings import Hit, rule
from tui.doctor.view import View
from tui.model.kinds import EdgeKind, NodeKind

K = NodeKind


@rule("sn-no-vpc", K.SERVICE_NETWORK, "warning", area="lattice", needs=(K.SN_VPC_ASSOCIATION,))
def sn_no_vpc(v: View, sn: str) -> Iterator[Hit]:
    """Service network with no ACTIVE VPC association.

    AWS: clients reach a network's services only from VPCs associated with it (or through a
    service-network endpoint); with no ACTIVE association nobody in any VPC can resolve or call
    them. Error when the network has services; warning while an association is in progress.
    """
    assocs = L.vpc_associations(v, sn)
    if any(L.status(v, a) == L.ACTIVE for a in assocs):
        return
    services = L.active_services(v, sn)
    pending = any(L.status(v, a).endswith("_IN_PROGRESS") for a in assocs)
    yield Hit(
        f"service network {v.name(sn)} has no ACTIVE VPC association; no client VPC can reach "
        f"its {len(services)} service(s)",
        evidence={"vpc_associations": {a: L.status(v, a) for a in assocs}},
        fix=f"aws vpc-lattice create-service-network-vpc-association --service-network-identifier "
        f"{sn} --vpc-identifier <client-vpc-id> --security-group-ids <sg-id>",
        severity="error" if services and not pending else "warning",
    )


@rule("svc-no-network", K.SERVICE, "error", area="lattice", needs=(K.SN_SERVICE_ASSOCIATION,))
def svc_no_network(v: View, svc: str) -> Iterator[Hit]:
    """Service not associated (ACTIVE) with any service network.

    AWS: a Lattice service is only reachable through a service network it is associated with
    (or a service-network endpoint); unassociated, its DNS name resolves nowhere useful.
    Warning only while an association is *_IN_PROGRESS.
    """
    assocs = L.service_associations_of_service(v, svc)
    if any(L.status(v, a) == L.ACTIVE for a in assocs):
        return
    pending = [a for a in assocs if L.status(v, a).endswith("_IN_PROGRESS")]
    yield Hit(
        f"service {v.name(svc)} is in no service network (no ACTIVE association)"
        + ("; an association is still in progress" if pending else ""),
        evidence={"service_network_associations": {a: L.status(v, a) for a in assocs}},
        fix="wait for the association to become ACTIVE"
        if pending
        else "aws vpc-lattice create-service-network-service-association "
        f"--service-identifier {svc} --service-network-identifier <service-network-id>",
        severity="warning" if pending else None,
    )


@rule("assoc-failed", (K.SN_SERVICE_ASSOCIATION, K.SN_VPC_ASSOCIATION), "error", area="lattice")
def assoc_failed(v: View, assoc: str) -> Iterator[Hit]:
    """Association in a *_FAILED state (CREATE_FAILED, DELETE_FAILED, UPDATE_FAILED).

    AWS: a failed association carries failureCode/failureMessage and does not carry traffic;
    it must be deleted and re-created (or the cause fixed and the update retried).
    """
    state = L.status(v, assoc)
    if not state.endswith("_FAILED"):
        return
    raw = v.raw(assoc)
    yield Hit(
        f"association {v.name(assoc)} is {state}: {raw.get('failureMessage') or 'no message'}",
        evidence={
            "status": state,
            "failureCode": raw.get("failureCode"),
            "failureMessage": raw.get("failureMessage"),
        },
        fix="fix the failure cause above, then delete the association and create it again "
        f"(aws vpc-lattice delete-*-association --*-association-identifier {assoc})",
    )


def _network_ports(v: View, sn: str) -> list[tuple[str, str, int]]:
    """(service, listener, port) for every listener of every ACTIVE service of the network."""
    out = []
    for svc in L.active_services(v, sn):
        for lst in L.listeners(v, svc):
            port = L.listener_port(v, lst)
            if port is not None:
                out.append((svc, lst, port))
    return out


def association_groups(v: View, assoc: str) -> tuple[list[str], list[dict]]:
    """(security group ids, their Describe items) of a VPC association; items may be partial."""
    ids = list(v.raw(assoc).get("securityGroupIds") or [])
    nodes = v.succ(assoc, EdgeKind.IN, NodeKind.SECURITY_GROUP)
    ids += [v.raw(n).get("GroupId") for n in nodes if v.raw(n).get("GroupId") not in ids]
    groups = [v.raw(v.ec2(i)) for i in ids if v.ec2(i) and v.exists(v.ec2(i))]
    return [i for i in ids if i], groups


@rule(
    "assoc-sg-blocks",
    K.SN_VPC_ASSOCIATION,
    "error",
    area="lattice",
    needs=(K.SECURITY_GROUP, K.LISTENER),
)
def assoc_sg_blocks(v: View, assoc: str) -> Iterator[Hit]:
    """A VPC association's security groups admit nothing on the listener ports of the services.

    AWS: security groups on a service-network VPC association filter the traffic clients in
    that VPC send to the network's services; a listener port no group admits is unreachable
    from the VPC. With no security groups on the association nothing is filtered.
    """
    if L.status(v, assoc) != L.ACTIVE:
        return
    ids, groups = association_groups(v, assoc)
    if not ids:
        return
    if len(groups) < len(ids):
        missing = [i for i in ids if not (v.ec2(i) and v.exists(v.ec2(i)))]
        yield Hit(
            f"could not check: security group(s) {', '.join(missing)} not loaded",
            evidence={"securityGroupIds": ids},
            severity="info",
        )
        return
    sn = L.network_of(v, assoc)
    blocked = [
        (svc, lst, port)
        for svc, lst, port in _network_ports(v, sn or "")
        if not sg.ingress_sources(groups, port)
    ]
    if not blocked:
        return
    ports = sorted({p for _, _, p in blocked})
    yield Hit(
        f"security groups {', '.join(ids)} of this VPC association admit no inbound traffic on "
        f"port(s) {', '.join(map(str, ports))}; "
        f"{len({s for s, _, _ in blocked})} service(s) unreachable from the VPC",
        evidence={
            "securityGroupIds": ids,
            "blocked": [f"{v.name(s)} listener {v.name(lst)} port {p}" for s, lst, p in blocked],
            "ingress": sg.summarize(groups),
        },
        fix="; ".join(
            f"aws ec2 authorize-security-group-ingress --group-id {ids[0]} --protocol tcp "
            f"--port {port} --cidr {_vpc_cidr(v, assoc) or '<client-vpc-cidr>'}"
            for port in ports
        ),
    )


def _vpc_cidr(v: View, assoc: str) -> str | None:
    """The CIDR of the VPC on this association: where its clients' traffic comes from."""
    vpc = v.ec2(str(v.raw(assoc).get("vpcId") or ""))
    return v.raw(vpc).get("CidrBlock") if vpc and v.exists(vpc) else None


@rule(
    "auth-no-policy",
    (K.SERVICE, K.SERVICE_NETWORK),
    "error",
    area="lattice",
    needs=(K.AUTH_POLICY,),
)
def auth_no_policy(v: View, resource: str) -> Iterator[Hit]:
    """authType AWS_IAM with no auth policy.

    AWS: when a service or service network uses AWS_IAM auth and has no auth policy attached,
    VPC Lattice denies every request (403 AccessDeniedException).
    """
    if str(v.raw(resource).get("authType", "")).upper() != "AWS_IAM":
        return
    if v.load_error(NodeKind.AUTH_POLICY, resource):
        yield Hit(
            f"could not check: auth policy of {v.name(resource)} not loaded "
            f"({v.load_error(NodeKind.AUTH_POLICY, resource)})",
            severity="info",
        )
        return
    policies = [p for p in L.auth_policies(v, resource) if v.raw(p).get("policy")]
    if policies:
        return
    yield Hit(
        f"{v.kind(resource).replace('_', ' ')} {v.name(resource)} uses AWS_IAM auth but has no "
        "auth policy: every request is denied",
        evidence={"authType": "AWS_IAM", "auth_policy": None},
        fix=f"aws vpc-lattice put-auth-policy --resource-identifier {resource} --policy "
        "file://auth-policy.json  (or --auth-type NONE if IAM auth is not wanted)",
    )


@rule("auth-policy-denies", K.AUTH_POLICY, "error", area="lattice")
def auth_policy_denies(v: View, pol: str) -> Iterator[Hit]:
    """Auth policy with no Allow statement, or one that denies everyone.

    AWS: Lattice evaluates auth policies like IAM: no matching Allow is an implicit deny, and an
    explicit Deny for Principal "*" on vpc-lattice-svcs:Invoke with Resource "*" denies all.
    An auth policy is only enforced when the resource's authType is AWS_IAM (state Active).
    The finding is placed on the service / service network that owns the policy.
    """
    raw = v.raw(pol)
    owners = v.pred(pol, EdgeKind.CONTAINS)
    owner = owners[0] if owners else pol.removesuffix("/auth-policy")
    auth_type = str(v.raw(owner).get("authType") or "AWS_IAM").upper()
    if str(raw.get("state", "Active")).lower() == "inactive" or auth_type != "AWS_IAM":
        return
    verdict, why = policy.auth_verdict(raw.get("policy"))
    if verdict == "ok":
        return
    yield Hit(
        f"auth policy of {v.name(owner)} denies every request: {why}",
        node=owner if owner in v.g else pol,
        evidence={"verdict": verdict, "auth_policy": pol, "policy": str(raw.get("policy"))[:400]},
        fix=f"aws vpc-lattice put-auth-policy --resource-identifier {owner} --policy "
        "file://auth-policy.json with an Allow for vpc-lattice-svcs:Invoke to the callers",
    )


@rule("svc-no-listener", K.SERVICE, "warning", area="lattice", needs=(K.LISTENER,))
def svc_no_listener(v: View, svc: str) -> Iterator[Hit]:
    """Service with no listener.

    AWS: a Lattice service accepts connections only on its listeners' ports; without a listener
    every connection to its DNS name is refused.
    """
    if L.listeners(v, svc):
        return
    yield Hit(
        f"service {v.name(svc)} has no listener: it accepts no traffic",
        evidence={"listeners": []},
        fix=f"aws vpc-lattice create-listener --service-identifier {svc} --protocol HTTP "
        '--port 80 --default-action \'{"forward":{"targetGroups":[{"targetGroupIdentifier":'
        '"<tg-id>"}]}}\'',
    )
