"""The concurrent crawl: one account + region → Inventory, with progress and per-call errors.

Everything independent starts at once inside one TaskGroup: STS (account id), Lattice, ECS,
EC2 and IAM (roles as soon as ECS names them). Each list page fans out immediately; every
request takes one slot of a semaphore of ``config.max_concurrency``. Failed calls become
``inventory.errors``; only a connection/credential failure (ConnectionFailure) ends a crawl.

    inventory = await crawl(config, on_progress=print)
    inventory = load_inventory(config)        # sync, for CLI commands
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
from collections.abc import Callable
from typing import Any

from tui.aws import ec2, ecs, lattice
from tui.aws.clients import ClientFactory
from tui.aws.context import CrawlContext, Progress, describe_failure
from tui.aws.pacing import Pacer, watch
from tui.config import AppConfig
from tui.errors import TrellisError
from tui.model.inventory import Inventory

__all__ = ["Progress", "crawl", "crawl_all", "load_inventories", "load_inventory", "SERVICES"]

SERVICES = ("vpc-lattice", "ecs", "ec2", "iam")
_ID_KEYS = (
    "arn",
    "serviceArn",
    "taskArn",
    "clusterArn",
    "taskDefinitionArn",
    "Arn",
    "VpcId",
    "SubnetId",
    "GroupId",
    "RouteTableId",
    "VpcEndpointId",
    "PrefixListId",
    "id",
)


async def crawl(
    config: AppConfig,
    on_progress: Callable[[Progress], None] | None = None,
    factory: ClientFactory | None = None,
) -> Inventory:
    """Load every resource of the graph vocabulary. Raises ConnectionFailure only."""
    if factory is None:
        if config.pace_requests and config.retry_mode == "adaptive":
            # The Pacer is the client-side limiter (per bucket, measured): adaptive mode's own
            # would slow the whole client again. The SDK still retries (same attempts).
            config = dataclasses.replace(config, retry_mode="standard")
        factory = ClientFactory(config, read_only=True, iso_timestamps=True)
    region = factory.region
    await factory.check_credentials()
    async with contextlib.AsyncExitStack() as stack:
        if not factory.is_open:
            await stack.enter_async_context(factory)
        clients = {s: await stack.enter_async_context(factory.client(s)) for s in SERVICES}
        pacer = Pacer(config.lattice_rate) if config.pace_requests else None
        if pacer is not None:
            for service, client in clients.items():
                watch(client, service, pacer)
        ctx = CrawlContext(
            clients,
            config.max_concurrency,
            on_progress,
            call_deadline=config.call_deadline,
            pacer=pacer,
        )
        ctx.inventory.region = region
        ctx.emit()
        try:
            async with asyncio.TaskGroup() as tg:
                ctx.tg = tg
                tg.create_task(_account(ctx, factory))
                for module in (lattice, ecs, ec2):
                    tg.create_task(module.crawl(ctx))
        except BaseExceptionGroup as group:
            first = _first_trellis_error(group)
            if first is not None:
                raise first from None
            raise
    inventory = ctx.inventory
    inventory.account = inventory.account or _account_from_arns(inventory)
    lattice.finish(inventory)
    _sort(inventory)
    ctx.emit(finished=True)
    return inventory


def load_inventory(config: AppConfig) -> Inventory:
    """Synchronous crawl for command-line subcommands."""
    return asyncio.run(crawl(config))


async def crawl_all(
    config: AppConfig, on_progress: Callable[[Progress], None] | None = None
) -> list[Inventory]:
    """Every account/region of ``config.all_connections`` at once: one Inventory each, in
    that order (``build_graph`` joins them; cross-account references become stub nodes)."""
    configs = [
        dataclasses.replace(config, connection=c, connections=()) for c in config.all_connections
    ]
    return list(await asyncio.gather(*(crawl(c, on_progress) for c in configs)))


def load_inventories(config: AppConfig) -> list[Inventory]:
    return asyncio.run(crawl_all(config))


async def _account(ctx: CrawlContext, factory: ClientFactory) -> None:
    ctx.calls_known += 1
    try:
        async with ctx.slots:
            ctx.inventory.account = await factory.account_id()
    except TrellisError:
        raise
    except Exception as exc:  # noqa: BLE001 - throttled/5xx past retries: recorded, not fatal
        ctx.error("sts", "GetCallerIdentity", "", *describe_failure(exc), "")
    finally:
        ctx.calls_done += 1
        ctx.emit()


def _account_from_arns(inventory: Inventory) -> str:
    """When STS failed: the account of the first ARN the crawl saw (ARN field 5)."""
    for records in inventory.records.values():
        for record in records:
            for key in _ID_KEYS:
                value = str(record["raw"].get(key, ""))
                if value.startswith("arn:") and len(parts := value.split(":")) > 5 and parts[4]:
                    return parts[4]
    return ""


def _first_trellis_error(group: BaseExceptionGroup) -> TrellisError | None:
    for exc in group.exceptions:
        if isinstance(exc, TrellisError):
            return exc
        if isinstance(exc, BaseExceptionGroup) and (inner := _first_trellis_error(exc)):
            return inner
    return None


def _record_key(record: dict[str, Any]) -> tuple[str, str]:
    raw, ctx = record["raw"], record["ctx"]
    ident = next((str(raw[k]) for k in _ID_KEYS if raw.get(k)), "")
    return ident, json.dumps(ctx, sort_keys=True, default=str) if ctx else ""


def _sort(inventory: Inventory) -> None:
    """Deterministic order (concurrency makes arrival order random): same account, same JSON."""
    for kind in inventory.records:
        inventory.records[kind].sort(key=_record_key)
    inventory.records = dict(sorted(inventory.records.items()))
    inventory.prefix_lists.sort(key=lambda p: str(p.get("PrefixListId", "")))
    inventory.errors.sort(key=lambda e: (e.service, e.operation, e.resource, e.code))
