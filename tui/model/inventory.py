"""The crawler's output and the graph builder's input: raw API records, grouped by kind.

An Inventory is plain JSON-able data (datetimes already turned into ISO strings), so it can be
saved, diffed and rebuilt into a graph without any AWS SDK.

``records[kind]`` is a list of Record dicts: ``{"raw": <API response object>, "ctx": {...}}``.
``raw`` is the API's own shape with ResponseMetadata removed; ``ctx`` carries what the crawler
knew but the response does not say (parent ARNs, extra documents). Per kind:

  service_network         raw = GetServiceNetwork                 ctx = {}
  service                 raw = GetService                        ctx = {}
  listener                raw = GetListener (has serviceArn)      ctx = {}
  rule                    raw = GetRule                           ctx = {listenerArn, serviceArn}
  target_group            raw = GetTargetGroup (config, serviceArns) ctx = {}
  target                  raw = ListTargets item {id, port, status, reasonCode}
                                                                  ctx = {targetGroupArn}
  sn_service_association  raw = GetServiceNetworkServiceAssociation (or the list item)
                          ctx = {serviceNetworkArn, serviceArn}
  sn_vpc_association      raw = GetServiceNetworkVpcAssociation (securityGroupIds)
                                                                  ctx = {serviceNetworkArn, vpcId}
  auth_policy             raw = GetAuthPolicy {policy, state}     ctx = {resourceArn}
  access_log_subscription raw = GetAccessLogSubscription          ctx = {}
  resource_gateway        raw = GetResourceGateway                ctx = {}
  resource_configuration  raw = GetResourceConfiguration          ctx = {}
  ecs_cluster             raw = DescribeClusters item             ctx = {}
  ecs_service             raw = DescribeServices item (deployments[].vpcLatticeConfigurations)
                                                                  ctx = {}
  ecs_task                raw = DescribeTasks item                ctx = {}
  task_definition         raw = DescribeTaskDefinition.taskDefinition ctx = {}
  iam_role                raw = GetRole.Role (AssumeRolePolicyDocument decoded to a dict)
                          ctx = {attachedPolicies: [{PolicyName, PolicyArn}],
                                 inlinePolicies: {name: document},
                                 policyDocuments: {policyArn: document}}
  vpc subnet security_group route_table vpc_endpoint
                          raw = the Describe* item                ctx = {}

Any record may carry ``ctx.summaryOnly = True``: its Get/Describe call failed, so ``raw`` is the
List summary (kept rather than dropped; the matching LoadError says why). Listener records always
carry ``ctx.serviceArn``.

``prefix_lists`` holds DescribeManagedPrefixLists items (the vpc-lattice one matters).
``errors`` lists every call that failed: LoadError dicts.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from tui.model.kinds import NodeKind

Record = dict[str, Any]

# Exact shape: com.amazonaws.<region>.ipv6.vpc-lattice is a different list.
_LATTICE_PREFIX_LIST = re.compile(r"com\.amazonaws\.[a-z0-9-]+\.vpc-lattice")


def lattice_prefix_list_id(prefix_lists: list[dict[str, Any]]) -> str | None:
    """PrefixListId of the IPv4 com.amazonaws.<region>.vpc-lattice managed prefix list."""
    for item in prefix_lists:
        if _LATTICE_PREFIX_LIST.fullmatch(str(item.get("PrefixListName", ""))):
            return item.get("PrefixListId")
    return None


@dataclass(frozen=True)
class LoadError:
    """One failed API call, said exactly: which call, on what, and why."""

    service: str  # "vpc-lattice", "ecs", "ec2", "iam"
    operation: str  # e.g. "ListTargets"
    resource: str  # the id/ARN the call was about, or "" for account-wide lists
    code: str  # e.g. "AccessDeniedException", "Timeout"
    message: str
    kind: str = ""  # the NodeKind whose data is missing because of it

    @property
    def iam_action(self) -> str:
        """The IAM action a denied call needs, e.g. 'vpc-lattice:ListTargets'."""
        return f"{self.service}:{self.operation}"

    @property
    def is_access_denied(self) -> bool:
        return "AccessDenied" in self.code or self.code in {"UnauthorizedOperation", "AccessDenied"}

    def to_dict(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, str]) -> LoadError:
        return cls(**{k: data.get(k, "") for k in cls.__dataclass_fields__})

    @classmethod
    def of(cls, value: Any) -> LoadError:
        """A LoadError, or the dict form a graph's ``errors`` may hold."""
        return value if isinstance(value, cls) else cls.from_dict(dict(value))


@dataclass
class Inventory:
    account: str = ""
    region: str = ""
    records: dict[str, list[Record]] = field(default_factory=dict)
    prefix_lists: list[dict[str, Any]] = field(default_factory=list)
    errors: list[LoadError] = field(default_factory=list)

    def add(self, kind: NodeKind | str, raw: dict[str, Any], **ctx: Any) -> None:
        self.records.setdefault(str(kind), []).append({"raw": raw, "ctx": ctx})

    def of(self, kind: NodeKind | str) -> list[Record]:
        return self.records.get(str(kind), [])

    def counts(self) -> dict[str, int]:
        return {kind: len(items) for kind, items in self.records.items()}

    def to_dict(self) -> dict[str, Any]:
        return {
            "account": self.account,
            "region": self.region,
            "records": self.records,
            "prefix_lists": self.prefix_lists,
            "errors": [e.to_dict() for e in self.errors],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Inventory:
        return cls(
            account=data.get("account", ""),
            region=data.get("region", ""),
            records={k: list(v) for k, v in data.get("records", {}).items()},
            prefix_lists=list(data.get("prefix_lists", [])),
            errors=[LoadError.from_dict(e) for e in data.get("errors", [])],
        )
