"""Security-group arithmetic over DescribeSecurityGroups items (IpPermissions shape).

Security groups are allow-lists and stateful: traffic is allowed if ANY rule of ANY attached
group matches (protocol, port range, source). IpProtocol "-1" means all protocols and ports;
"tcp"/"6" rules cover FromPort..ToPort.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

# The IPv4 range inside the com.amazonaws.<region>.vpc-lattice managed prefix list: Lattice
# reaches targets from link-local 169.254.171.0/24, so a CIDR containing it also admits Lattice.
LATTICE_IPV4 = ipaddress.ip_network("169.254.171.0/24")
LATTICE_IPV6 = ipaddress.ip_network("fd00:ec2:80::/64")


@dataclass(frozen=True)
class Source:
    sg: str  # the group holding the rule
    kind: str  # "cidr", "cidr6", "prefix_list", "group"
    value: str

    def __str__(self) -> str:
        return f"{self.sg}: {self.value}"


def covers_port(perm: dict[str, Any], port: int, protocol: str = "tcp") -> bool:
    proto = str(perm.get("IpProtocol", "")).lower()
    if proto in ("-1", "all"):
        return True
    wanted = {"tcp": {"tcp", "6"}, "udp": {"udp", "17"}}.get(protocol, {protocol})
    if proto not in wanted:
        return False
    low, high = perm.get("FromPort"), perm.get("ToPort")
    if low is None or high is None:
        return True
    return int(low) <= port <= int(high)


def sources(sg_id: str, perm: dict[str, Any]) -> list[Source]:
    out = [Source(sg_id, "cidr", r["CidrIp"]) for r in perm.get("IpRanges") or [] if "CidrIp" in r]
    out += [
        Source(sg_id, "cidr6", r["CidrIpv6"])
        for r in perm.get("Ipv6Ranges") or []
        if "CidrIpv6" in r
    ]
    out += [
        Source(sg_id, "prefix_list", p["PrefixListId"])
        for p in perm.get("PrefixListIds") or []
        if "PrefixListId" in p
    ]
    out += [
        Source(sg_id, "group", p["GroupId"])
        for p in perm.get("UserIdGroupPairs") or []
        if "GroupId" in p
    ]
    return out


def ingress_sources(
    groups: Iterable[dict[str, Any]], port: int, egress: bool = False
) -> list[Source]:
    """Every source (or destination, for egress) admitted on tcp ``port`` by these groups."""
    key = "IpPermissionsEgress" if egress else "IpPermissions"
    out: list[Source] = []
    for group in groups:
        for perm in group.get(key) or []:
            if covers_port(perm, port):
                out.extend(sources(group.get("GroupId", "?"), perm))
    return out


def _contains(cidr: str, inner: ipaddress.IPv4Network | ipaddress.IPv6Network) -> bool:
    try:
        net = ipaddress.ip_network(cidr, strict=False)
    except ValueError:
        return False
    return net.version == inner.version and inner.subnet_of(net)  # type: ignore[arg-type]


def admits_lattice(found: list[Source], prefix_list_id: str | None) -> bool | None:
    """True if Lattice traffic is admitted, False if not, None if it cannot be told.

    None: a rule names some prefix list, but the vpc-lattice prefix list id is unknown.
    """
    for src in found:
        if src.kind == "prefix_list" and prefix_list_id and src.value == prefix_list_id:
            return True
        if src.kind == "cidr" and _contains(src.value, LATTICE_IPV4):
            return True
        if src.kind == "cidr6" and _contains(src.value, LATTICE_IPV6):
            return True
    if prefix_list_id is None and any(s.kind == "prefix_list" for s in found):
        return None
    return False


def admits_from(found: list[Source], cidr: str | None, group_ids: Iterable[str]) -> bool:
    """True if traffic from ``cidr`` (a whole subnet) or from members of ``group_ids`` passes."""
    groups = set(group_ids)
    for src in found:
        if src.kind == "group" and src.value in groups:
            return True
        if src.kind == "cidr" and cidr:
            try:
                inner = ipaddress.ip_network(cidr, strict=False)
            except ValueError:
                continue
            if _contains(src.value, inner):
                return True
    return False


def summarize(groups: Iterable[dict[str, Any]], egress: bool = False) -> list[str]:
    """Short human form of each rule: 'sg-1 tcp 443-443 from 10.0.0.0/16'."""
    key = "IpPermissionsEgress" if egress else "IpPermissions"
    out = []
    for group in groups:
        for perm in group.get(key) or []:
            proto = perm.get("IpProtocol", "?")
            ports = "all" if proto == "-1" else f"{perm.get('FromPort')}-{perm.get('ToPort')}"
            srcs = ", ".join(s.value for s in sources(group.get("GroupId", "?"), perm)) or "-"
            word = "to" if egress else "from"
            out.append(f"{group.get('GroupId', '?')} {proto} {ports} {word} {srcs}")
    return out or [f"no {'egress' if egress else 'ingress'} rules"]
