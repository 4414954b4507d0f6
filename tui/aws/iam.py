"""IAM fetchers: only the roles ECS references (Lattice infrastructure, task, execution roles).

Per role, at once: GetRole, ListAttachedRolePolicies (→ GetPolicy → GetPolicyVersion for
customer-managed policies, each policy once per crawl), ListRolePolicies (→ GetRolePolicy).
"""

from __future__ import annotations

import asyncio
import json
import urllib.parse
from typing import Any

from tui.aws.context import CrawlContext
from tui.model.kinds import NodeKind as K

SVC = "iam"
KIND = K.IAM_ROLE


def decode_policy(doc: Any) -> Any:
    """A policy document as a dict (IAM returns URL-encoded JSON; botocore usually decodes)."""
    if not isinstance(doc, str):
        return doc
    for text in (doc, urllib.parse.unquote(doc)):
        try:
            return json.loads(text)
        except ValueError:
            continue
    return doc


def role_name(arn: str) -> str:
    """'arn:aws:iam::1:role/path/name' → 'name' (GetRole takes the bare name)."""
    return arn.split(":role/", 1)[-1].rsplit("/", 1)[-1]


def is_aws_managed(policy_arn: str) -> bool:
    return ":iam::aws:policy/" in policy_arn


def request_role(ctx: CrawlContext, arn: str) -> None:
    ctx.once((KIND, arn), lambda: _role(ctx, arn))


async def _role(ctx: CrawlContext, arn: str) -> None:
    name = role_name(arn)
    resp, (attached, documents), inline = await asyncio.gather(
        ctx.call(SVC, "GetRole", kind=KIND, resource=arn, RoleName=name),
        _attached(ctx, arn, name),
        _inline(ctx, arn, name),
    )
    if resp is None:
        return
    role = dict(resp.get("Role", {}))
    if "AssumeRolePolicyDocument" in role:
        role["AssumeRolePolicyDocument"] = decode_policy(role["AssumeRolePolicyDocument"])
    ctx.inventory.add(KIND, role, attachedPolicies=attached, inlinePolicies=inline,
                      policyDocuments=documents)


async def _attached(ctx: CrawlContext, arn: str, name: str) -> tuple[list[Any], dict[str, Any]]:
    attached: list[dict[str, Any]] = []
    pending: dict[str, Any] = {}
    async for page in ctx.pages(SVC, "ListAttachedRolePolicies", kind=KIND, resource=arn,
                                RoleName=name):
        for policy in page.get("AttachedPolicies", []):
            attached.append(policy)
            parn = policy.get("PolicyArn", "")
            if parn and not is_aws_managed(parn):
                pending[parn] = ctx.once(("policy", parn), lambda p=parn: _policy_document(ctx, p))
    documents = {parn: await task for parn, task in pending.items()}
    return attached, {k: v for k, v in documents.items() if v is not None}


async def _policy_document(ctx: CrawlContext, policy_arn: str) -> Any:
    policy = await ctx.call(SVC, "GetPolicy", unlocks=True, kind=KIND, resource=policy_arn,
                            PolicyArn=policy_arn)
    version = (policy or {}).get("Policy", {}).get("DefaultVersionId")
    if not version:
        return None
    resp = await ctx.call(SVC, "GetPolicyVersion", kind=KIND, resource=policy_arn,
                          PolicyArn=policy_arn, VersionId=version)
    if resp is None:
        return None
    return decode_policy(resp.get("PolicyVersion", {}).get("Document"))


async def _inline(ctx: CrawlContext, arn: str, name: str) -> dict[str, Any]:
    names: list[str] = []
    async for page in ctx.pages(SVC, "ListRolePolicies", kind=KIND, resource=arn, RoleName=name):
        names.extend(page.get("PolicyNames", []))
    docs = await asyncio.gather(*(
        ctx.call(SVC, "GetRolePolicy", kind=KIND, resource=f"{arn}/{n}", RoleName=name,
                 PolicyName=n)
        for n in names
    ))
    return {n: decode_policy(d.get("PolicyDocument")) for n, d in zip(names, docs, strict=True)
            if d is not None}
