"""ECS fetchers: clusters → services (batches of 10) and running tasks (batches of 100).

Task definitions are fetched once per distinct identifier; the IAM roles they and the services'
``vpcLatticeConfigurations`` reference are handed to ``iam.request_role`` as soon as seen.
"""

from __future__ import annotations

from typing import Any

from tui.aws import iam
from tui.aws.context import CrawlContext
from tui.model.kinds import NodeKind as K

SVC = "ecs"
PAGE = {"PaginationConfig": {"PageSize": 100}}
SERVICES_PER_DESCRIBE = 10  # DescribeServices limit
TASKS_PER_DESCRIBE = 100  # DescribeTasks limit


def _chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _name(arn: str) -> str:
    return arn.rsplit("/", 1)[-1]


async def crawl(ctx: CrawlContext) -> None:
    async for page in ctx.pages(SVC, "ListClusters", kind=K.ECS_CLUSTER, **PAGE):
        arns = page.get("clusterArns", [])
        for chunk in _chunks(arns, 100):
            ctx.spawn(_describe_clusters(ctx, chunk))
        for arn in arns:
            ctx.spawn(_services(ctx, arn))
            ctx.spawn(_tasks(ctx, arn))


def _failures(ctx: CrawlContext, op: str, kind: str, resp: dict[str, Any]) -> None:
    for f in resp.get("failures", []):
        ctx.error(SVC, op, f.get("arn", ""), f.get("reason", "Failure"), f.get("detail", ""),
                  kind)


async def _describe_clusters(ctx: CrawlContext, arns: list[str]) -> None:
    resp = await ctx.call(SVC, "DescribeClusters", kind=K.ECS_CLUSTER, resource=",".join(arns),
                          clusters=arns)
    if resp is None:
        for arn in arns:
            ctx.inventory.add(K.ECS_CLUSTER, {"clusterArn": arn, "clusterName": _name(arn)},
                              summaryOnly=True)
        return
    for cluster in resp.get("clusters", []):
        ctx.inventory.add(K.ECS_CLUSTER, cluster)
    _failures(ctx, "DescribeClusters", K.ECS_CLUSTER, resp)


# -- services --------------------------------------------------------------------------
async def _services(ctx: CrawlContext, cluster: str) -> None:
    async for page in ctx.pages(SVC, "ListServices", kind=K.ECS_SERVICE, resource=cluster,
                                cluster=cluster, **PAGE):
        for chunk in _chunks(page.get("serviceArns", []), SERVICES_PER_DESCRIBE):
            ctx.spawn(_describe_services(ctx, cluster, chunk))


async def _describe_services(ctx: CrawlContext, cluster: str, arns: list[str]) -> None:
    resp = await ctx.call(SVC, "DescribeServices", unlocks=True, kind=K.ECS_SERVICE,
                          resource=",".join(arns), cluster=cluster, services=arns)
    if resp is None:
        for arn in arns:
            raw = {"serviceArn": arn, "serviceName": _name(arn), "clusterArn": cluster}
            ctx.inventory.add(K.ECS_SERVICE, raw, summaryOnly=True)
        return
    for service in resp.get("services", []):
        ctx.inventory.add(K.ECS_SERVICE, service)
        task_defs = {service.get("taskDefinition")}
        for dep in service.get("deployments", []):
            task_defs.add(dep.get("taskDefinition"))
            for cfg in dep.get("vpcLatticeConfigurations") or []:
                if cfg.get("roleArn"):
                    iam.request_role(ctx, cfg["roleArn"])
        for td in task_defs - {None, ""}:
            request_task_definition(ctx, td)
    _failures(ctx, "DescribeServices", K.ECS_SERVICE, resp)


# -- tasks -----------------------------------------------------------------------------
async def _tasks(ctx: CrawlContext, cluster: str) -> None:
    async for page in ctx.pages(SVC, "ListTasks", kind=K.ECS_TASK, resource=cluster,
                                cluster=cluster, desiredStatus="RUNNING", **PAGE):
        for chunk in _chunks(page.get("taskArns", []), TASKS_PER_DESCRIBE):
            ctx.spawn(_describe_tasks(ctx, cluster, chunk))


async def _describe_tasks(ctx: CrawlContext, cluster: str, arns: list[str]) -> None:
    resp = await ctx.call(SVC, "DescribeTasks", unlocks=True, kind=K.ECS_TASK,
                          resource=",".join(arns), cluster=cluster, tasks=arns)
    if resp is None:
        for arn in arns:
            ctx.inventory.add(K.ECS_TASK, {"taskArn": arn, "clusterArn": cluster},
                              summaryOnly=True)
        return
    for task in resp.get("tasks", []):
        ctx.inventory.add(K.ECS_TASK, task)
        if task.get("taskDefinitionArn"):
            request_task_definition(ctx, task["taskDefinitionArn"])
    _failures(ctx, "DescribeTasks", K.ECS_TASK, resp)


# -- task definitions ------------------------------------------------------------------
def request_task_definition(ctx: CrawlContext, ident: str) -> None:
    ctx.once(("task_definition", ident), lambda: _task_definition(ctx, ident))


async def _task_definition(ctx: CrawlContext, ident: str) -> None:
    resp = await ctx.call(SVC, "DescribeTaskDefinition", unlocks=True, kind=K.TASK_DEFINITION,
                          resource=ident, taskDefinition=ident)
    if resp is None:
        return
    td = resp.get("taskDefinition", {})
    arn = td.get("taskDefinitionArn", ident)
    seen = ctx.seen[K.TASK_DEFINITION]
    if arn in seen:  # "family:1" and its full ARN are the same definition
        return
    seen.add(arn)
    ctx.inventory.add(K.TASK_DEFINITION, td)
    for key in ("taskRoleArn", "executionRoleArn"):
        if td.get(key):
            iam.request_role(ctx, td[key])
