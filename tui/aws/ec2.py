"""EC2 fetchers: the network pieces Lattice and ECS stand on, all started at t=0.

No MaxResults: EC2 then returns everything it can in one response (and a NextToken, which
the paginator follows, when it cannot).
"""

from __future__ import annotations

from tui.aws.context import CrawlContext
from tui.model.kinds import NodeKind as K

SVC = "ec2"

# (operation, result key, kind) — kind None means inventory.prefix_lists.
DESCRIBES: tuple[tuple[str, str, str | None], ...] = (
    ("DescribeVpcs", "Vpcs", K.VPC),
    ("DescribeSubnets", "Subnets", K.SUBNET),
    ("DescribeSecurityGroups", "SecurityGroups", K.SECURITY_GROUP),
    ("DescribeRouteTables", "RouteTables", K.ROUTE_TABLE),
    ("DescribeVpcEndpoints", "VpcEndpoints", K.VPC_ENDPOINT),
    ("DescribeManagedPrefixLists", "PrefixLists", None),
)


async def crawl(ctx: CrawlContext) -> None:
    for op, key, kind in DESCRIBES:
        ctx.spawn(_describe(ctx, op, key, kind))


async def _describe(ctx: CrawlContext, op: str, key: str, kind: str | None) -> None:
    async for page in ctx.pages(SVC, op, kind=kind or "prefix_list"):
        for item in page.get(key, []):
            if kind is None:
                ctx.inventory.prefix_lists.append(item)
            else:
                ctx.inventory.add(kind, item)
