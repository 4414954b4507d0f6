"""Targeted reads for a plan: only what attach/detach needs, as an Inventory (read-only calls).

``gather(factory, cluster=…, service=…, target_group=…, role=…)`` reads the cluster, the
service, its task definition, subnets, security groups, the vpc-lattice prefix list, the named
target group and role (or every target group / every role trusting ECS with ``choices=True``).
"Not found" answers simply leave a record out (the planner says what is missing); any other
failure (access denied, throttled, unreachable) raises one clear TrellisError.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from tui.aws import ecs as ecs_fetch
from tui.aws import iam as iam_fetch
from tui.aws.clients import ClientFactory
from tui.aws.context import CrawlContext
from tui.errors import TrellisError
from tui.model.inventory import Inventory
from tui.model.kinds import NodeKind as K
from tui.wizard.arns import looks_like_arn, parse_any
from tui.wizard.checks import awsvpc, current_configs
from tui.wizard.facts import decode_document

SERVICES = ("ecs", "ec2", "vpc-lattice", "iam")
NOT_FOUND = {
    "ClusterNotFoundException",
    "ServiceNotFoundException",
    "ResourceNotFoundException",
    "NoSuchEntity",
    "MISSING",
    "InvalidSubnetID.NotFound",
    "InvalidGroup.NotFound",
    "ClientException",  # DescribeTaskDefinition of an unknown revision
    "InvalidParameterException",
    "ValidationException",
}


class ReadFailure(TrellisError):
    """A read the plan needs failed for a reason other than "not found"."""


async def gather(
    factory: ClientFactory,
    *,
    cluster: str,
    service: str,
    target_group: str | None = None,
    role: str | None = None,
    choices: bool = False,
) -> Inventory:
    async with contextlib.AsyncExitStack() as stack:
        if not factory.is_open:
            await stack.enter_async_context(factory)
        clients = {s: await stack.enter_async_context(factory.client(s)) for s in SERVICES}
        ctx = CrawlContext(clients, factory.config.max_concurrency)
        ctx.inventory.region = factory.region
        try:
            async with asyncio.TaskGroup() as tg:
                ctx.tg = tg
                tg.create_task(_ecs(ctx, cluster, service))
                tg.create_task(_prefix_list(ctx))
                if choices:
                    tg.create_task(_all_target_groups(ctx))
                    tg.create_task(_ecs_roles(ctx))
                elif target_group:
                    tg.create_task(_target_group(ctx, target_group))
                if role:
                    tg.create_task(_role(ctx, role, cluster))
        except BaseExceptionGroup as group:
            raise group.exceptions[0] from None
    _raise_unexpected(ctx.inventory)
    return ctx.inventory


def _raise_unexpected(inv: Inventory) -> None:
    for err in inv.errors:
        if err.code not in NOT_FOUND and not err.code.startswith("HTTP404"):
            hint = f" (needs {err.iam_action})" if err.is_access_denied else ""
            raise ReadFailure(
                f"cannot read {err.resource or err.operation}: {err.operation} failed with "
                f"{err.code}: {err.message}{hint}"
            )


async def _ecs(ctx: CrawlContext, cluster: str, service: str) -> None:
    resp = await ctx.call(
        "ecs", "DescribeClusters", kind=K.ECS_CLUSTER, resource=cluster, clusters=[cluster]
    )
    clusters = [c for c in (resp or {}).get("clusters", []) if c.get("status") == "ACTIVE"]
    if not clusters:
        return
    ctx.inventory.add(K.ECS_CLUSTER, clusters[0])
    cluster_arn = clusters[0]["clusterArn"]
    ctx.inventory.account = parse_any(cluster_arn).account if parse_any(cluster_arn) else ""
    resp = await ctx.call(
        "ecs",
        "DescribeServices",
        kind=K.ECS_SERVICE,
        resource=service,
        cluster=cluster_arn,
        services=[service],
    )
    for svc in (resp or {}).get("services", []):
        ctx.inventory.add(K.ECS_SERVICE, svc)
        if svc.get("taskDefinition"):
            ecs_fetch.request_task_definition(ctx, svc["taskDefinition"])
        for cfg in current_configs(svc):
            ctx.spawn(_target_group(ctx, cfg["targetGroupArn"]))
        net = awsvpc(svc)
        if net.get("subnets"):
            ctx.spawn(
                _describe(ctx, "DescribeSubnets", "Subnets", K.SUBNET, SubnetIds=net["subnets"])
            )
        if net.get("securityGroups"):
            ctx.spawn(
                _describe(
                    ctx,
                    "DescribeSecurityGroups",
                    "SecurityGroups",
                    K.SECURITY_GROUP,
                    GroupIds=net["securityGroups"],
                )
            )


async def _describe(ctx: CrawlContext, op: str, key: str, kind: str, **params: Any) -> None:
    resp = await ctx.call(
        "ec2", op, kind=kind, resource=",".join(next(iter(params.values()))), **params
    )
    for item in (resp or {}).get(key, []):
        ctx.inventory.add(kind, item)


async def _prefix_list(ctx: CrawlContext) -> None:
    name = f"com.amazonaws.{ctx.inventory.region}.vpc-lattice"
    resp = await ctx.call(
        "ec2",
        "DescribeManagedPrefixLists",
        kind="prefix_list",
        Filters=[{"Name": "prefix-list-name", "Values": [name]}],
    )
    ctx.inventory.prefix_lists.extend((resp or {}).get("PrefixLists", []))


async def _get_target_group(ctx: CrawlContext, ident: str) -> None:
    if ident in ctx.seen[K.TARGET_GROUP]:
        return
    ctx.seen[K.TARGET_GROUP].add(ident)
    resp = await ctx.call(
        "vpc-lattice",
        "GetTargetGroup",
        kind=K.TARGET_GROUP,
        resource=ident,
        targetGroupIdentifier=ident,
    )
    if resp and resp.get("arn") not in ctx.seen["tg_arns"]:
        ctx.seen["tg_arns"].add(resp["arn"])
        ctx.inventory.add(K.TARGET_GROUP, resp)


async def _target_group(ctx: CrawlContext, ident: str) -> None:
    """By ARN or id directly; by name through ListTargetGroups."""
    if looks_like_arn(ident) or ident.startswith("tg-"):
        await _get_target_group(ctx, ident)
        return
    async for page in ctx.pages(
        "vpc-lattice", "ListTargetGroups", kind=K.TARGET_GROUP, maxResults=100
    ):
        for item in page.get("items", []):
            if item.get("name") == ident:
                await _get_target_group(ctx, item["id"])


async def _all_target_groups(ctx: CrawlContext) -> None:
    async for page in ctx.pages(
        "vpc-lattice", "ListTargetGroups", kind=K.TARGET_GROUP, maxResults=100
    ):
        for item in page.get("items", []):
            ctx.spawn(_get_target_group(ctx, item["id"]))


async def _role(ctx: CrawlContext, role: str, cluster: str) -> None:
    if looks_like_arn(role):
        iam_fetch.request_role(ctx, role)
        return
    # A bare name: GetRole takes the name; the record carries the real ARN (with its path).
    account = parse_any(cluster).account if parse_any(cluster) else "000000000000"
    iam_fetch.request_role(ctx, f"arn:aws:iam::{account}:role/{role}")


async def _ecs_roles(ctx: CrawlContext) -> None:
    """Every role whose trust policy names ecs.amazonaws.com (the wizard's role choices)."""
    async for page in ctx.pages("iam", "ListRoles", kind=K.IAM_ROLE):
        for role in page.get("Roles", []):
            trust = decode_document(role.get("AssumeRolePolicyDocument"))
            if "ecs.amazonaws.com" in str(trust):
                iam_fetch.request_role(ctx, role["Arn"])


async def gather_roles(factory: ClientFactory) -> Inventory:
    """Every role trusting ecs.amazonaws.com, with its policies (the wizard's role step)."""
    async with contextlib.AsyncExitStack() as stack:
        if not factory.is_open:
            await stack.enter_async_context(factory)
        clients = {"iam": await stack.enter_async_context(factory.client("iam"))}
        ctx = CrawlContext(clients, factory.config.max_concurrency)
        async with asyncio.TaskGroup() as tg:
            ctx.tg = tg
            tg.create_task(_ecs_roles(ctx))
    return ctx.inventory
