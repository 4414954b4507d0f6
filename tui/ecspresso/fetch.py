"""The few AWS reads ecspresso interop needs beyond the crawl (aiobotocore, read-only).

- ``fetch_roles``: the crawl loads only roles that live ECS services name; a planned service
  may name another one, so verify reads it the same way (tui.aws.iam), before planning.
- ``fetch_service``: DescribeServices + DescribeTaskDefinition (with tags) for export.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from tui.config import AppConfig
from tui.errors import ConnectionFailure, UsageError
from tui.model.inventory import Inventory
from tui.model.kinds import NodeKind

_ABSENT = ("NoSuchEntity", "NoSuchEntityException")


async def _roles(config: AppConfig, arns: list[str]) -> Inventory:
    from tui.aws import iam
    from tui.aws.clients import ClientFactory
    from tui.aws.context import CrawlContext

    factory = ClientFactory(config, read_only=True)
    async with factory, factory.client("iam") as client:
        ctx = CrawlContext({"iam": client}, config.max_concurrency)
        async with asyncio.TaskGroup() as tg:
            ctx.tg = tg
            for arn in arns:
                iam.request_role(ctx, arn)
    return ctx.inventory


def fetch_roles(config: AppConfig, inventory: Inventory, arns: Iterable[str]) -> None:
    """Add to ``inventory`` the roles among ``arns`` it lacks (a role that does not exist stays
    absent, so the doctor reports ecs-role-missing; other failures become load errors)."""
    have = {str(r["raw"].get("Arn")) for r in inventory.of(NodeKind.IAM_ROLE)}
    wanted = [a for a in dict.fromkeys(arns) if a.startswith("arn:") and a not in have]
    if not wanted or config.snapshot_path is not None:
        return
    extra = asyncio.run(_roles(config, wanted))
    for rec in extra.of(NodeKind.IAM_ROLE):
        inventory.records.setdefault(str(NodeKind.IAM_ROLE), []).append(rec)
    inventory.errors.extend(e for e in extra.errors if e.code not in _ABSENT)


@dataclass
class LiveService:
    region: str
    service: dict[str, Any]
    task_definition: dict[str, Any]
    task_tags: list[dict[str, str]] = field(default_factory=list)


def _client_error(exc: ClientError, what: str) -> UsageError:
    err = exc.response.get("Error", {})
    return UsageError(f"{what}: {err.get('Code', 'Error')}: {err.get('Message', '')}".rstrip())


async def _service(config: AppConfig, cluster: str, service: str) -> LiveService:
    from tui.aws.clients import ClientFactory
    from tui.aws.context import clean

    factory = ClientFactory(config, read_only=True)
    region = factory.region
    await factory.check_credentials()
    async with factory, factory.client("ecs") as ecs:
        try:
            out = await ecs.describe_services(cluster=cluster, services=[service],
                                              include=["TAGS"])
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code in ("ClusterNotFoundException", "ClusterNotFound"):
                raise UsageError(f"cluster {cluster} not found in {region}") from None
            raise _client_error(exc, f"cannot describe service {service}") from None
        live = [s for s in out.get("services") or [] if s.get("status") != "INACTIVE"]
        if not live:
            failures = out.get("failures") or []
            reason = failures[0].get("reason", "MISSING") if failures else "MISSING"
            if reason == "MISSING" or not failures:
                raise UsageError(f"service {service} not found in cluster {cluster} ({region})")
            raise UsageError(f"cannot describe service {service}: {reason}")
        svc = clean(live[0])
        try:
            td = await ecs.describe_task_definition(taskDefinition=svc["taskDefinition"],
                                                    include=["TAGS"])
        except ClientError as exc:
            raise _client_error(exc, f"cannot describe task definition "
                                     f"{svc['taskDefinition']}") from None
    return LiveService(region, svc, clean(td["taskDefinition"]), clean(td.get("tags") or []))


def fetch_service(config: AppConfig, cluster: str, service: str) -> LiveService:
    try:
        return asyncio.run(_service(config, cluster, service))
    except (BotoCoreError, OSError) as exc:
        raise ConnectionFailure(f"cannot reach AWS: {exc}") from None
