"""The App: wires a source → an async load worker → the graph → the explorer screen."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.worker import Worker, WorkerState

from tui.app_checks import COMMAND_HELP, ChecksMixin
from tui.app_status import StatusMixin, nothing_loaded
from tui.commands import NodeSearchProvider
from tui.config import AppConfig
from tui.errors import TrellisError
from tui.loading import LoadResult, LoadUpdate, Source, available_profiles, available_regions
from tui.messages import GraphLoaded, LoadFailed, LoadProgress
from tui.screens.explorer import ExplorerScreen
from tui.screens.help import HelpScreen
from tui.screens.picker import PickScreen
from tui.screens.views import VIEWS

PARTIAL_EVERY = 0.4  # seconds between graph rebuilds while a crawl is running


def _copy_inventory(inventory: Any) -> Any:
    from tui.model.inventory import Inventory

    return Inventory(
        account=inventory.account,
        region=inventory.region,
        records={kind: list(items) for kind, items in inventory.records.items()},
        prefix_lists=list(inventory.prefix_lists),
        errors=list(inventory.errors),
    )


class _Nothing:
    """Stands in for the load bar once the app is closing: every call does nothing."""

    def __getattr__(self, name: str) -> Callable[..., None]:
        return lambda *args, **kwargs: None


class TrellisApp(StatusMixin, ChecksMixin, App):
    CSS_PATH = "app.tcss"
    TITLE = "trellis"
    COMMANDS = App.COMMANDS | {NodeSearchProvider}
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("r,ctrl+r", "reload", "Reload"),
        Binding("ctrl+s", "save_snapshot", "Save", show=False, tooltip="save a snapshot file"),
        Binding("question_mark", "help", "Help"),
    ]

    def __init__(self, config: AppConfig, source: Source, clock: Callable[[], float] | None = None):
        super().__init__()
        self.config = config
        self.source = source
        self.clock = clock or time.time
        self.graph: Any = None
        self.inventory: Any = None
        self.meta: dict[str, Any] = {}
        self.loaded_at: float | None = None
        self.generation = 0
        self.loading = False
        self.fatal_error: BaseException | None = None
        self._last_partial = 0.0
        self._partial_worker: Worker | None = None

    @property
    def explorer(self) -> ExplorerScreen:
        return self.get_screen("explorer")  # type: ignore[return-value]

    def _ui(self) -> ExplorerScreen | None:
        """The explorer, or None while the app is shutting down (late messages, timers)."""
        if not self.is_running:  # shutting down: screens are being pruned of their widgets
            return None
        try:
            screen = self.get_screen("explorer")
        except KeyError:
            return None
        return screen if screen.is_mounted else None  # type: ignore[return-value]

    def _bar(self) -> Any:
        ui = self._ui()
        bars = ui.query("#load-bar") if ui is not None else None
        return bars.first() if bars else _Nothing()

    async def on_mount(self) -> None:
        self.install_screen(ExplorerScreen(), "explorer")
        await self.push_screen("explorer")
        self.refresh_header()
        self.action_reload()
        if self.config.refresh_seconds and self.source.can_reload:
            self.set_interval(self.config.refresh_seconds, self._auto_reload)

    async def on_unmount(self) -> None:
        await self.source.close()

    # -- loading ------------------------------------------------------------------------------
    def _auto_reload(self) -> None:
        if not self.loading and self._ui() is not None:
            self.action_reload()

    def action_reload(self) -> None:
        if self.source.mode == "snapshot" and self.graph is not None:
            self.notify("snapshot mode: reading the file again")
        self.generation += 1
        self.loading = True
        self._last_partial = time.monotonic()
        self._bar().update_progress(0, 0, "starting…")
        self._load_worker = self._load(self.generation)

    @work(exclusive=True, group="load", exit_on_error=False)
    async def _load(self, generation: int) -> None:
        def on_update(update: LoadUpdate) -> None:
            self.post_message(
                LoadProgress(
                    generation,
                    update.calls_done,
                    update.calls_known,
                    update.counts,
                    update.errors,
                    update.phase,
                    update.inventory,
                )
            )

        result: LoadResult = await self.source.load(on_update)
        from tui.model.graph import build_graph

        graph = result.graph
        if graph is None:
            graph = await asyncio.to_thread(build_graph, result.inventory)
        self.post_message(GraphLoaded(generation, graph, result.inventory, True, result.meta))

    @work(group="partial", exit_on_error=False)
    async def _build_partial(self, generation: int, inventory: Any) -> None:
        from tui.model.graph import build_graph

        graph = await asyncio.to_thread(build_graph, inventory)
        self.post_message(GraphLoaded(generation, graph, inventory, final=False))

    def on_load_progress(self, message: LoadProgress) -> None:
        if message.generation != self.generation or not self.loading:
            return
        counts = ", ".join(f"{k} {v}" for k, v in sorted(message.counts.items()) if v)
        text = message.phase or "loading"
        if message.calls_known:  # none yet while the sandbox starts or credentials are checked
            text += f" · {message.calls_done}/{message.calls_known} calls"
        if message.error_count:
            text += f" · {message.error_count} errors"
        if counts:
            text += f" · {counts}"
        self._bar().update_progress(message.calls_done, message.calls_known, text)
        now = time.monotonic()
        building = self._partial_worker is not None and self._partial_worker.is_running
        if (
            message.inventory is not None
            and not isinstance(message.inventory, list)
            and self.loaded_at is None  # a reload keeps the last good graph until it is done
            and not building
            and now - self._last_partial >= PARTIAL_EVERY
        ):
            self._last_partial = now
            self._partial_worker = self._build_partial(
                message.generation, _copy_inventory(message.inventory)
            )

    def on_graph_loaded(self, message: GraphLoaded) -> None:
        if message.generation != self.generation or (not message.final and not self.loading):
            return
        if message.final and self.loaded_at is not None and nothing_loaded(message.inventory):
            invs = message.inventory if isinstance(message.inventory, list) else [message.inventory]
            errors = [e for inv in invs for e in inv.errors]
            self.loading = False
            self._bar().finish()
            first = errors[0]
            example = f"{getattr(first, 'operation', '?')} {getattr(first, 'code', '')}".strip()
            self.refresh_failed(f"all {len(errors)} calls failed (first: {example})")
            return
        if message.final:
            self.refresh_succeeded()
        self.carry_findings(message.graph)
        self.graph = message.graph
        self.inventory = message.inventory
        if message.final:
            self.start_checks(message.graph)
            self.loading = False
            self.meta = message.meta
            self.loaded_at = self.clock()
            self.workers.cancel_group(self, "partial")
            self._bar().finish()
        if self._ui() is not None:
            self.explorer.set_graph(self.graph)
        self.refresh_header()

    def on_load_failed(self, message: LoadFailed) -> None:
        if message.generation != self.generation:
            return
        self.loading = False
        self._bar().finish()
        error = message.error
        if self.graph is None and isinstance(error, TrellisError):
            self.fatal_error = error
            self.exit(return_code=error.exit_code)
            return
        if self.loaded_at is not None:
            self.refresh_failed(str(error) or type(error).__name__)
        else:
            self.notify(f"load failed: {error}", severity="error", timeout=10)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state != WorkerState.ERROR:
            return
        if event.worker is getattr(self, "_load_worker", None):
            self.post_message(LoadFailed(self.generation, event.worker.error))
        elif event.worker.group == "partial":
            self.log.warning(f"partial graph build failed: {event.worker.error!r}")

    # -- actions ----------------------------------------------------------------------------------
    def action_help(self) -> None:
        from tui.screens.explorer import ExplorerScreen as Explorer

        groups = [("Explorer", list(Explorer.BINDINGS)), ("App", list(self.BINDINGS))]
        commands = [(v.name, v.title) for v in VIEWS]
        commands += [
            ("tree", "the resource tree"),
            ("ctx [PROFILE]", "switch AWS profile"),
            ("region [REGION]", "switch region"),
            *COMMAND_HELP,
            ("quit", "leave trellis"),
        ]
        self.push_screen(HelpScreen(groups, commands))

    def action_save_snapshot(self) -> None:
        if self.inventory is None:
            self.notify("nothing loaded yet", severity="warning")
            return
        from tui.snapshot import save_snapshot

        first = self.inventory[0] if isinstance(self.inventory, list) else self.inventory
        account = first.account or "account"
        region = first.region or "region"
        stamp = datetime.fromtimestamp(self.clock()).strftime("%Y%m%d-%H%M%S")
        path = Path.cwd() / f"trellis-{account}-{region}-{stamp}.json"
        meta = {"source": self.source.mode, "profile": self.source.connection.profile}
        try:
            save_snapshot(path, self.inventory, meta)
        except (OSError, TrellisError) as error:
            self.notify(f"could not save: {error}", severity="error")
            return
        self.last_snapshot_path = path
        self.notify(f"saved {path}", title="Snapshot")

    def action_pick_profile(self, profile: str | None = None) -> None:
        if profile:
            self.switch_context(profile=profile)
            return
        self.push_screen(
            PickScreen(
                "AWS profile (~/.aws/config)",
                available_profiles(),
                self.source.connection.profile,
                empty="No profiles in ~/.aws/config: type a name.",
            ),
            lambda choice: self.switch_context(profile=choice) if choice else None,
        )

    def action_pick_region(self, region: str | None = None) -> None:
        if region:
            self.switch_context(region=region)
            return
        self.push_screen(
            PickScreen("Region", available_regions(), self.source.connection.region),
            lambda choice: self.switch_context(region=choice) if choice else None,
        )

    def switch_context(self, profile: str | None = None, region: str | None = None) -> None:
        try:
            source = self.source.with_context(profile=profile, region=region)
        except TrellisError as error:
            self.notify(str(error), severity="warning")
            return
        old, self.source = self.source, source
        if old is not source:
            self._close_source(old)
        self.graph = None
        self.inventory = None
        self.loaded_at = None
        self.action_reload()
        self.refresh_header()

    @work(group="close", exit_on_error=False)
    async def _close_source(self, source: Source) -> None:
        await source.close()


def make_app(
    config: AppConfig, source: Source | None = None, clock: Callable[[], float] | None = None
) -> TrellisApp:
    """The one factory used by `trellis`, the tests and the screenshot script."""
    if source is None:
        from tui.loading import source_for

        source = source_for(config)
    return TrellisApp(config, source, clock)
