"""--from-vpc reachability: which hop fails."""

from __future__ import annotations

import json

import pytest
from doctor_builders import (
    SG_CLIENT,
    SN,
    SNSA,
    SNVA,
    SVC,
    TARGET,
    VPC,
    add,
    healthy,
    link,
    perm,
    raw,
    set_auth_policy,
)

from tui.doctor.reach import UnknownVpc, reach_from_vpc
from tui.model.kinds import EdgeKind as E
from tui.model.kinds import NodeKind as K


def only(g, vpc="vpc-a"):
    (r,) = reach_from_vpc(g, vpc)
    return r


def test_healthy_service_is_reachable_by_bare_id_or_node_id():
    for vpc in ("vpc-a", VPC):
        r = only(healthy(), vpc)
        assert r.reachable and r.failed is None
        assert [h.name for h in r.hops] == ["vpc-association", "service-network", "listener",
                                            "security-groups", "network-auth", "service-auth",
                                            "targets"]


def test_unknown_vpc():
    with pytest.raises(UnknownVpc):
        reach_from_vpc(healthy(), "vpc-nope")


@pytest.mark.parametrize("breaks, hop", [
    (lambda g: raw(g, SNVA).update(status="CREATE_FAILED"), "vpc-association"),
    (lambda g: raw(g, SNSA).update(status="DELETE_IN_PROGRESS"), "service-network"),
    (lambda g: raw(g, SG_CLIENT).update(IpPermissions=[perm(443, cidr="10.0.0.0/16")]),
     "security-groups"),
    (lambda g: raw(g, SN).update(authType="AWS_IAM"), "network-auth"),
    (lambda g: raw(g, SVC).update(authType="AWS_IAM"), "service-auth"),
    (lambda g: raw(g, TARGET).update(status="UNHEALTHY"), "targets"),
])
def test_failing_hop_is_named(breaks, hop):
    g = healthy()
    breaks(g)
    r = only(g)
    assert not r.reachable and r.failed.name == hop
    assert r.to_dict()["failed_hop"] == hop


def test_auth_with_allow_policy_passes_with_sigv4_note():
    g = healthy()
    raw(g, SVC)["authType"] = "AWS_IAM"
    set_auth_policy(g, SVC, json.dumps({"Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "vpc-lattice-svcs:Invoke",
         "Resource": "*"}]}))
    r = only(g)
    assert r.reachable
    assert "SigV4" in next(h for h in r.hops if h.name == "service-auth").detail


def test_other_vpc_not_associated():
    g = healthy()
    other = add(g, VPC.replace("vpc-a", "vpc-b"), K.VPC, {"VpcId": "vpc-b"})
    r = only(g, "vpc-b")
    assert r.failed.name == "vpc-association"
    link(g, other, SNVA, E.ASSOCIATED)  # same association from vpc-b: now reachable
    assert only(g, "vpc-b").reachable


def test_to_dict_is_json():
    d = only(healthy()).to_dict()
    json.dumps(d)
    assert d["reachable"] is True and d["service"] == SVC and len(d["hops"]) == 7
