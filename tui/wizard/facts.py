"""What the planner knows: raw API records indexed for name-or-ARN lookups. Pure, no SDK.

Built from an Inventory (the crawler's output, or the wizard's own targeted reads in fetch.py)
or from a graph (nodes carry ``kind`` and ``raw``; role documents ride in ``ctx``).
"""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from tui.doctor import policy
from tui.model.inventory import Inventory, lattice_prefix_list_id
from tui.model.kinds import NodeKind
from tui.wizard.arns import account_of, last_part

Raw = dict[str, Any]


@dataclass
class RoleInfo:
    arn: str
    name: str
    trust: Raw  # AssumeRolePolicyDocument, decoded
    attached: list[Raw] = field(default_factory=list)  # [{PolicyName, PolicyArn}]
    inline: dict[str, Raw] = field(default_factory=dict)  # name -> document
    documents: dict[str, Raw] = field(default_factory=dict)  # attached policy ARN -> document
    # Every policy of the role was read (no failed IAM call about it, every attached policy's
    # document known or the Lattice one): only then is "no permission" a fact, not a guess.
    fully_read: bool = False


def decode_document(doc: Any) -> Raw:
    """IAM returns policy documents URL-encoded JSON (SDKs usually decode them already)."""
    if isinstance(doc, dict):
        return doc
    if isinstance(doc, str) and doc:
        text = doc if doc.lstrip().startswith("{") else urllib.parse.unquote(doc)
        try:
            value = json.loads(text)
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}
    return {}


def role_from_record(raw: Raw, ctx: Raw) -> RoleInfo:
    return RoleInfo(
        arn=raw.get("Arn", ""),
        name=raw.get("RoleName", last_part(raw.get("Arn", ""))),
        trust=decode_document(raw.get("AssumeRolePolicyDocument")),
        attached=list(ctx.get("attachedPolicies") or []),
        inline={k: decode_document(v) for k, v in (ctx.get("inlinePolicies") or {}).items()},
        documents={k: decode_document(v) for k, v in (ctx.get("policyDocuments") or {}).items()},
    )


LATTICE_POLICY = "AmazonECSInfrastructureRolePolicyForVpcLattice"


def is_lattice_policy(attached: Raw) -> bool:
    """Is this attached policy (a {PolicyName, PolicyArn} entry) AWS's Lattice one?"""
    return attached.get("PolicyName") == LATTICE_POLICY or str(
        attached.get("PolicyArn", "")
    ).endswith("/" + LATTICE_POLICY)


def _fully_read(role: RoleInfo, failed: set[str]) -> bool:
    if any(r == role.arn or r.startswith(role.arn + "/") for r in failed):
        return False
    if not policy.fully_modelled([*role.inline.values(), *role.documents.values()]):
        return False
    for pol in role.attached:
        if is_lattice_policy(pol) or str(pol.get("PolicyArn", "")) in role.documents:
            continue
        return False  # another AWS-managed policy (not fetched), or its document failed
    return True


def forward_targets(action: Raw | None) -> list[str]:
    """Target group identifiers a Lattice listener/rule action forwards to."""
    forward = (action or {}).get("forward") or {}
    return [t.get("targetGroupIdentifier", "") for t in forward.get("targetGroups") or []]


@dataclass
class Facts:
    account: str = ""
    region: str = ""
    clusters: dict[str, Raw] = field(default_factory=dict)
    services: dict[str, Raw] = field(default_factory=dict)
    task_definitions: dict[str, Raw] = field(default_factory=dict)
    subnets: dict[str, Raw] = field(default_factory=dict)  # subnet id -> raw
    security_groups: dict[str, Raw] = field(default_factory=dict)  # group id -> raw
    target_groups: dict[str, Raw] = field(default_factory=dict)
    roles: dict[str, RoleInfo] = field(default_factory=dict)
    forwarders: dict[str, list[str]] = field(default_factory=dict)  # tg arn -> labels
    forwarders_known: bool = False
    prefix_lists: list[Raw] = field(default_factory=list)

    # -- construction -------------------------------------------------------------------
    @classmethod
    def from_inventory(cls, inv: Inventory) -> Facts:
        facts = cls(account=inv.account, region=inv.region, prefix_lists=list(inv.prefix_lists))
        for rec in inv.of(NodeKind.ECS_CLUSTER):
            facts.clusters[rec["raw"].get("clusterArn", "")] = rec["raw"]
        for rec in inv.of(NodeKind.ECS_SERVICE):
            facts.services[rec["raw"].get("serviceArn", "")] = rec["raw"]
        for rec in inv.of(NodeKind.TASK_DEFINITION):
            facts.task_definitions[rec["raw"].get("taskDefinitionArn", "")] = rec["raw"]
        for rec in inv.of(NodeKind.SUBNET):
            facts.subnets[rec["raw"].get("SubnetId", "")] = rec["raw"]
        for rec in inv.of(NodeKind.SECURITY_GROUP):
            facts.security_groups[rec["raw"].get("GroupId", "")] = rec["raw"]
        for rec in inv.of(NodeKind.TARGET_GROUP):
            facts.target_groups[rec["raw"].get("arn", "")] = rec["raw"]
        failed = {e.resource for e in inv.errors if e.service == "iam"}
        for rec in inv.of(NodeKind.IAM_ROLE):
            role = role_from_record(rec["raw"], rec.get("ctx") or {})
            role.fully_read = _fully_read(role, failed)
            facts.roles[role.arn] = role
        listeners = inv.of(NodeKind.LISTENER)
        rules = inv.of(NodeKind.RULE)
        facts.forwarders_known = bool(listeners or rules)
        services = {r["raw"].get("arn"): r["raw"].get("name", "") for r in inv.of(NodeKind.SERVICE)}
        listener_names = {r["raw"].get("arn"): r["raw"].get("name", "") for r in listeners}
        for rec in listeners:
            raw = rec["raw"]
            svc = services.get(raw.get("serviceArn") or rec["ctx"].get("serviceArn"), "?")
            label = f"{svc}/{raw.get('name', raw.get('arn', ''))} (default)"
            for tg in forward_targets(raw.get("defaultAction")):
                facts._add_forwarder(tg, label)
        for rec in rules:
            raw, ctx = rec["raw"], rec.get("ctx") or {}
            if raw.get("isDefault"):
                continue  # the listener's default action, already counted
            svc = services.get(ctx.get("serviceArn") or raw.get("serviceArn"), "?")
            listener = listener_names.get(ctx.get("listenerArn") or raw.get("listenerArn"), "?")
            label = f"{svc}/{listener} rule {raw.get('name', raw.get('arn', ''))}"
            for tg in forward_targets(raw.get("action")):
                facts._add_forwarder(tg, label)
        return facts

    @classmethod
    def from_graph(cls, graph: Any) -> Facts:
        """From a ``tui.model.graph`` MultiDiGraph: the inventories it was built from."""
        inventories = list(graph.graph.get("inventories") or [])
        merged = Inventory(
            account=graph.graph.get("account", ""), region=graph.graph.get("region", "")
        )
        for inv in inventories:
            inv = Inventory.from_dict(inv) if isinstance(inv, dict) else inv
            for kind, records in inv.records.items():
                merged.records.setdefault(kind, []).extend(records)
            merged.prefix_lists.extend(inv.prefix_lists)
            merged.errors.extend(inv.errors)
        if not inventories:  # a graph without its inputs: fall back to the nodes' raw
            merged.prefix_lists = list(graph.graph.get("prefix_lists") or [])
            for _, data in graph.nodes(data=True):
                if data.get("raw") and not data.get("missing"):
                    merged.add(data.get("kind", ""), data["raw"], **(data.get("ctx") or {}))
        return cls.from_inventory(merged)

    def _add_forwarder(self, tg_ident: str, label: str) -> None:
        tg = self.find_target_group(tg_ident)
        key = tg[0] if tg else tg_ident
        self.forwarders.setdefault(key, []).append(label)

    # -- lookups (name, id or ARN) --------------------------------------------------------
    def find_cluster(self, ident: str) -> tuple[str, Raw] | None:
        for arn, raw in self.clusters.items():
            if ident in (arn, raw.get("clusterName")) and raw.get("status", "ACTIVE") == "ACTIVE":
                return arn, raw
        return None

    def find_service(self, cluster_arn: str, ident: str) -> tuple[str, Raw] | None:
        for arn, raw in self.services.items():
            if raw.get("clusterArn") != cluster_arn or raw.get("status") == "INACTIVE":
                continue
            if ident in (arn, raw.get("serviceName")):
                return arn, raw
        return None

    def find_task_definition(self, ref: str) -> Raw | None:
        if not ref:
            return None
        for arn, raw in self.task_definitions.items():
            family_rev = f"{raw.get('family')}:{raw.get('revision')}"
            if ref in (arn, family_rev) or last_part(ref) == family_rev:
                return raw
        return None

    def find_target_group(self, ident: str) -> tuple[str, Raw] | None:
        for arn, raw in self.target_groups.items():
            if ident in (arn, raw.get("id"), raw.get("name")):
                return arn, raw
        return None

    def find_role(self, ident: str) -> RoleInfo | None:
        for arn, role in self.roles.items():
            if ident in (arn, role.name):
                return role
        return None

    def vpc_of_subnets(self, subnet_ids: list[str]) -> str | None:
        vpcs = {self.subnets[s].get("VpcId") for s in subnet_ids if s in self.subnets}
        return vpcs.pop() if len(vpcs) == 1 else None

    def lattice_prefix_list(self) -> str | None:
        return lattice_prefix_list_id(self.prefix_lists)

    def account_for(self, arn: str) -> str:
        return account_of(arn) or self.account
