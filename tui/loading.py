"""Async graph sources for the app: a snapshot file, a live account, or the embedded demo.

A source knows how to produce an Inventory (and a little metadata) while reporting progress
through one callable; it knows nothing of Textual. The App runs ``load`` in an async worker.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.config import AppConfig, Connection
from tui.errors import UsageError


@dataclass
class LoadUpdate:
    """What a source reports while it loads (a loader Progress is translated into this)."""

    calls_done: int = 0
    calls_known: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    errors: int = 0
    phase: str = ""
    inventory: Any = None


OnUpdate = Callable[[LoadUpdate], None]


@dataclass
class LoadResult:
    inventory: Any
    meta: dict[str, Any] = field(default_factory=dict)
    graph: Any = None  # already built (and checked) by the source, or None
    loaded_at: float = field(default_factory=time.time)


class Source:
    """Base class. ``mode`` is "live", "demo", "snapshot" or "static"."""

    mode = "static"
    can_reload = True
    can_switch_context = False

    def __init__(self, config: AppConfig | None = None) -> None:
        self.config = config or AppConfig()

    @property
    def connection(self) -> Connection:
        return self.config.connection

    async def load(self, on_update: OnUpdate) -> LoadResult:  # pragma: no cover - abstract
        raise NotImplementedError

    async def close(self) -> None:
        """Release what ``load`` started (servers, clients). Safe to call twice."""

    def with_context(self, profile: str | None = None, region: str | None = None) -> Source:
        raise UsageError(f"cannot switch profile or region in {self.mode} mode")


def _counts(inventories: list[Any]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for inv in inventories:
        for kind, n in inv.counts().items():
            counts[kind] = counts.get(kind, 0) + n
    return counts


def _one_or_all(inventories: list[Any]) -> Any:
    """What a LoadResult carries: the inventory, or the list when several are merged."""
    return inventories[0] if len(inventories) == 1 else inventories


class StaticSource(Source):
    """Inventories already in memory (tests, fixtures): one, or a list (accounts × regions,
    merged into one graph). ``delay`` simulates a slow load."""

    mode = "static"

    def __init__(self, inventory: Any, config: AppConfig | None = None, delay: float = 0.0):
        super().__init__(config)
        self.inventory = inventory
        self.delay = delay

    async def load(self, on_update: OnUpdate) -> LoadResult:
        invs = self.inventory if isinstance(self.inventory, list) else [self.inventory]
        partial = invs[0] if len(invs) == 1 else None  # partial graphs are single-inventory
        on_update(LoadUpdate(0, 1, {}, 0, "loading", partial))
        if self.delay:
            await asyncio.sleep(self.delay)
        errors = sum(len(inv.errors) for inv in invs)
        on_update(LoadUpdate(1, 1, _counts(invs), errors, "done", partial))
        return LoadResult(self.inventory, {"source": "static"})


class SnapshotSource(Source):
    """A saved snapshot file: never talks to AWS, and is read-only by construction."""

    mode = "snapshot"

    def __init__(self, path: Path | str, config: AppConfig | None = None) -> None:
        path = Path(path)
        super().__init__(config or AppConfig(snapshot_path=path))
        self.path = path

    async def load(self, on_update: OnUpdate) -> LoadResult:
        from tui.snapshot import checked_graph, load_snapshot_all

        if not self.path.exists():
            raise UsageError(f"snapshot file not found: {self.path}")
        on_update(LoadUpdate(0, 1, {}, 0, f"reading {self.path.name}"))
        invs, meta = await asyncio.to_thread(load_snapshot_all, self.path)
        graph = await asyncio.to_thread(checked_graph, invs, self.path)
        meta = dict(meta or {})
        meta.setdefault("path", str(self.path))
        errors = sum(len(inv.errors) for inv in invs)
        on_update(LoadUpdate(1, 1, _counts(invs), errors, "done", _one_or_all(invs)))
        return LoadResult(_one_or_all(invs), meta, graph=graph)


def _translate(progress: Any, phase: str = "crawling") -> LoadUpdate:
    errors = getattr(progress, "errors", 0)
    return LoadUpdate(
        calls_done=getattr(progress, "calls_done", 0),
        calls_known=getattr(progress, "calls_known", 0),
        counts=dict(getattr(progress, "counts", {}) or {}),
        errors=errors if isinstance(errors, int) else len(errors or ()),
        phase="done" if getattr(progress, "finished", False) else phase,
        inventory=getattr(progress, "inventory", None),
    )


class LiveSource(Source):
    """A live account (or any endpoint) crawled by ``tui.aws.loader.crawl``."""

    mode = "live"
    can_switch_context = True

    async def load(self, on_update: OnUpdate) -> LoadResult:
        from tui.aws.loader import crawl, crawl_all

        on_update(LoadUpdate(phase="connecting"))
        if len(self.config.all_connections) == 1:
            inventory = await crawl(self.config, lambda p: on_update(_translate(p)))
            return LoadResult(inventory, {"source": "live"})
        # Several accounts/regions crawl at once: report their summed progress (partial
        # graphs are single-inventory, so none is drawn until all are in).
        latest: dict[int, Any] = {}

        def combined(progress: Any) -> None:
            latest[id(progress.inventory)] = progress
            parts = [_translate(p) for p in latest.values()]
            counts: dict[str, int] = {}
            for part in parts:
                for kind, n in part.counts.items():
                    counts[kind] = counts.get(kind, 0) + n
            on_update(LoadUpdate(
                sum(p.calls_done for p in parts), sum(p.calls_known for p in parts), counts,
                sum(p.errors for p in parts), "crawling", None,
            ))

        inventories = await crawl_all(self.config, combined)
        return LoadResult(inventories, {"source": "live"})

    def with_context(self, profile: str | None = None, region: str | None = None) -> Source:
        conn = self.config.connection
        conn = dataclasses.replace(
            conn,
            profile=profile if profile is not None else conn.profile,
            region=region if region is not None else conn.region,
        )
        return type(self)(dataclasses.replace(self.config, connection=conn))


class DemoSource(Source):
    """Starts the embedded sandbox seeded with ``demo`` in-process, then crawls it live."""

    mode = "demo"
    can_switch_context = True

    def __init__(self, config: AppConfig | None = None, seed: str = "demo") -> None:
        super().__init__(config or AppConfig(demo=True))
        self.seed = seed
        self.sandbox: Any = None
        self._region: str | None = self.config.connection.region

    @property
    def connection(self) -> Connection:
        if self.sandbox is None:
            return self.config.connection
        return self._live_config().connection

    def _live_config(self) -> AppConfig:
        conn = self.sandbox.connection()
        if self._region:
            conn = dataclasses.replace(conn, region=self._region)
        return dataclasses.replace(self.config, connection=conn)

    async def _start(self, on_update: OnUpdate) -> None:
        if self.sandbox is not None:
            return
        from tui.sandbox import Sandbox

        on_update(LoadUpdate(phase=f"starting the sandbox (seed {self.seed})"))
        sandbox = Sandbox(seed=self.seed)
        await asyncio.to_thread(sandbox.start)
        self.sandbox = sandbox

    async def load(self, on_update: OnUpdate) -> LoadResult:
        await self._start(on_update)
        live = LiveSource(self._live_config())
        result = await live.load(on_update)
        result.meta.update(source="demo", endpoint_url=self.sandbox.endpoint_url)
        return result

    def with_context(self, profile: str | None = None, region: str | None = None) -> Source:
        if profile:
            return LiveSource(dataclasses.replace(self.config, demo=False)).with_context(
                profile, region
            )
        if region:
            self._region = region
        return self

    async def close(self) -> None:
        sandbox, self.sandbox = self.sandbox, None
        if sandbox is not None:
            await asyncio.to_thread(sandbox.stop)


def source_for(config: AppConfig) -> Source:
    """The source a command line asks for: --snapshot, --demo, or the live account."""
    if config.snapshot_path is not None:
        return SnapshotSource(config.snapshot_path, config)
    if config.demo:
        return DemoSource(config)
    return LiveSource(config)


def available_profiles() -> list[str]:
    """Profiles from the user's AWS config and credentials files (botocore's own reading)."""
    try:
        import botocore.session

        return sorted(botocore.session.Session().available_profiles)
    except Exception:  # noqa: BLE001 - a broken config file must not break the picker
        return []


def available_regions() -> list[str]:
    try:
        import botocore.session

        session = botocore.session.Session()
        regions = set(session.get_available_regions("vpc-lattice"))
        regions |= set(session.get_available_regions("ecs"))
        return sorted(regions)
    except Exception:  # noqa: BLE001
        return []
