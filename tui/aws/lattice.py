"""VPC Lattice fetchers: every list fans out at once, each page as soon as it arrives.

Dependent chains (the crawl's critical path):
  ListServices → ListListeners → ListRules → GetRule        (plus GetService, GetListener;
                                                            default rules come from GetListener)
  ListTargetGroups → ListTargets                             (plus GetTargetGroup)
  ListServiceNetworks → List*Associations → GetServiceNetworkVpcAssociation
A failed Get* keeps the list summary as the record (ctx ``summaryOnly``) next to its LoadError.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from tui.aws.context import CrawlContext
from tui.model.inventory import Inventory
from tui.model.kinds import NodeKind as K

SVC = "vpc-lattice"
PAGE = {"PaginationConfig": {"PageSize": 100}}  # maxResults=100, the API's maximum


async def crawl(ctx: CrawlContext) -> None:
    ctx.spawn(_each(ctx, "ListServiceNetworks", K.SERVICE_NETWORK, _service_network))
    ctx.spawn(_each(ctx, "ListServices", K.SERVICE, _service))
    ctx.spawn(_each(ctx, "ListTargetGroups", K.TARGET_GROUP, _target_group))
    ctx.spawn(_each(ctx, "ListResourceGateways", K.RESOURCE_GATEWAY, _resource_gateway))
    ctx.spawn(
        _each(ctx, "ListResourceConfigurations", K.RESOURCE_CONFIGURATION, _resource_config)
    )


async def _each(ctx: CrawlContext, op: str, kind: str, handle: Any, resource: str = "",
                **params: Any) -> None:
    """Page through ``op`` and start ``handle(ctx, item)`` for every item at once."""
    async for page in ctx.pages(SVC, op, kind=kind, resource=resource, **PAGE, **params):
        for item in page.get("items", []):
            ctx.spawn(handle(ctx, item))


async def _get(ctx: CrawlContext, op: str, kind: str, summary: dict[str, Any],
               unlocks: bool = False, **params: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """(raw, extra ctx): the Get* response, or the list summary when the Get failed."""
    resource = summary.get("arn") or summary.get("id", "")
    raw = await ctx.call(SVC, op, kind=kind, resource=resource, unlocks=unlocks, **params)
    if raw is None:
        return summary, {"summaryOnly": True}
    return raw, {}


async def _auth_policy(ctx: CrawlContext, resource_id: str, resource_arn: str) -> None:
    raw = await ctx.call(SVC, "GetAuthPolicy", kind=K.AUTH_POLICY, resource=resource_arn,
                         missing_ok=True, resourceIdentifier=resource_id)
    if raw and raw.get("policy"):  # not found / empty = no policy, which is not an error
        ctx.inventory.add(K.AUTH_POLICY, raw, resourceArn=resource_arn)


async def _access_logs(ctx: CrawlContext, resource_id: str, resource_arn: str) -> None:
    async def one(_: CrawlContext, item: dict[str, Any]) -> None:
        raw, extra = await _get(ctx, "GetAccessLogSubscription", K.ACCESS_LOG_SUBSCRIPTION,
                                item, accessLogSubscriptionIdentifier=item["id"])
        ctx.inventory.add(K.ACCESS_LOG_SUBSCRIPTION, raw, **extra)

    await _each(ctx, "ListAccessLogSubscriptions", K.ACCESS_LOG_SUBSCRIPTION, one,
                resource=resource_arn, resourceIdentifier=resource_id)


# -- service networks ------------------------------------------------------------------
async def _service_network(ctx: CrawlContext, item: dict[str, Any]) -> None:
    sn_id, sn_arn = item["id"], item.get("arn", item["id"])

    async def vpc_assoc(_: CrawlContext, a: dict[str, Any]) -> None:
        raw, extra = await _get(ctx, "GetServiceNetworkVpcAssociation", K.SN_VPC_ASSOCIATION,
                                a, serviceNetworkVpcAssociationIdentifier=a["id"])
        ctx.inventory.add(K.SN_VPC_ASSOCIATION, raw, serviceNetworkArn=sn_arn,
                          vpcId=raw.get("vpcId") or a.get("vpcId", ""), **extra)

    async def svc_assoc(_: CrawlContext, a: dict[str, Any]) -> None:
        ctx.inventory.add(K.SN_SERVICE_ASSOCIATION, a, serviceNetworkArn=sn_arn,
                          serviceArn=a.get("serviceArn", ""))

    ctx.spawn(_each(ctx, "ListServiceNetworkVpcAssociations", K.SN_VPC_ASSOCIATION, vpc_assoc,
                    resource=sn_arn, serviceNetworkIdentifier=sn_id))
    ctx.spawn(_each(ctx, "ListServiceNetworkServiceAssociations", K.SN_SERVICE_ASSOCIATION,
                    svc_assoc, resource=sn_arn, serviceNetworkIdentifier=sn_id))
    ctx.spawn(_access_logs(ctx, sn_id, sn_arn))
    raw, extra = await _get(ctx, "GetServiceNetwork", K.SERVICE_NETWORK, item, unlocks=True,
                            serviceNetworkIdentifier=sn_id)
    ctx.inventory.add(K.SERVICE_NETWORK, raw, **extra)
    if raw.get("authType") == "AWS_IAM" or extra:  # Get failed: authType unknown, so ask
        await _auth_policy(ctx, sn_id, sn_arn)


# -- services, listeners, rules --------------------------------------------------------
async def _service(ctx: CrawlContext, item: dict[str, Any]) -> None:
    svc_id, svc_arn = item["id"], item.get("arn", item["id"])

    async def listener(_: CrawlContext, li: dict[str, Any]) -> None:
        got: asyncio.Future[dict[str, Any] | None] = asyncio.get_running_loop().create_future()
        ctx.spawn(_rules(ctx, svc_id, svc_arn, li, got))
        raw, extra = await _get(ctx, "GetListener", K.LISTENER, li,
                                serviceIdentifier=svc_id, listenerIdentifier=li["id"])
        got.set_result(None if extra else raw)
        ctx.inventory.add(K.LISTENER, raw, serviceArn=svc_arn, **extra)

    ctx.spawn(_each(ctx, "ListListeners", K.LISTENER, listener, resource=svc_arn,
                    serviceIdentifier=svc_id))
    ctx.spawn(_access_logs(ctx, svc_id, svc_arn))
    raw, extra = await _get(ctx, "GetService", K.SERVICE, item, unlocks=True,
                            serviceIdentifier=svc_id)
    ctx.inventory.add(K.SERVICE, raw, **extra)
    if raw.get("authType") == "AWS_IAM" or extra:  # Get failed: authType unknown, so ask
        await _auth_policy(ctx, svc_id, svc_arn)


async def _rules(ctx: CrawlContext, svc_id: str, svc_arn: str, li: dict[str, Any],
                 listener: Awaitable[dict[str, Any] | None]) -> None:
    """Rules of one listener. The default rule's action is the listener's default action,
    which GetListener already returns: no GetRule for it (a fifth of Lattice's calls)."""
    li_arn = li.get("arn", li["id"])

    async def rule(_: CrawlContext, r: dict[str, Any]) -> None:
        if r.get("isDefault"):
            got = await listener
            if got is not None and "defaultAction" in got:
                raw = {**r, "action": got["defaultAction"]}
                ctx.inventory.add(K.RULE, raw, listenerArn=li_arn, serviceArn=svc_arn)
                return
        raw, extra = await _get(ctx, "GetRule", K.RULE, r, serviceIdentifier=svc_id,
                                listenerIdentifier=li["id"], ruleIdentifier=r["id"])
        ctx.inventory.add(K.RULE, raw, listenerArn=li_arn, serviceArn=svc_arn, **extra)

    await _each(ctx, "ListRules", K.RULE, rule, resource=li_arn, serviceIdentifier=svc_id,
                listenerIdentifier=li["id"])


# -- target groups and targets ---------------------------------------------------------
async def _target_group(ctx: CrawlContext, item: dict[str, Any]) -> None:
    tg_id, tg_arn = item["id"], item.get("arn", item["id"])

    async def targets() -> None:
        async for page in ctx.pages(SVC, "ListTargets", kind=K.TARGET, resource=tg_arn,
                                    targetGroupIdentifier=tg_id, **PAGE):
            for target in page.get("items", []):
                ctx.inventory.add(K.TARGET, target, targetGroupArn=tg_arn)

    ctx.spawn(targets())
    raw, extra = await _get(ctx, "GetTargetGroup", K.TARGET_GROUP, item,
                            targetGroupIdentifier=tg_id)
    ctx.inventory.add(K.TARGET_GROUP, raw, **extra)


# -- resource gateways / configurations ------------------------------------------------
async def _resource_gateway(ctx: CrawlContext, item: dict[str, Any]) -> None:
    raw, extra = await _get(ctx, "GetResourceGateway", K.RESOURCE_GATEWAY, item,
                            resourceGatewayIdentifier=item["id"])
    ctx.inventory.add(K.RESOURCE_GATEWAY, raw, **extra)


async def _resource_config(ctx: CrawlContext, item: dict[str, Any]) -> None:
    raw, extra = await _get(ctx, "GetResourceConfiguration", K.RESOURCE_CONFIGURATION, item,
                            resourceConfigurationIdentifier=item["id"])
    ctx.inventory.add(K.RESOURCE_CONFIGURATION, raw, **extra)


def finish(inv: Inventory) -> None:
    """Fill ctx.serviceArn of service associations whose list item only gave an id."""
    by_id = {r["raw"].get("id"): r["raw"].get("arn") for r in inv.of(K.SERVICE)}
    for rec in inv.of(K.SN_SERVICE_ASSOCIATION):
        if not rec["ctx"].get("serviceArn"):
            rec["ctx"]["serviceArn"] = by_id.get(rec["raw"].get("serviceId"), "")
