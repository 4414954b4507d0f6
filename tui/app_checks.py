"""The App's doctor, ecspresso verify and attach/detach wiring (mixed into TrellisApp).

After each final load the doctor runs in a worker thread over the graph (with the planned
ecspresso service placed into a copy, when `:verify PATH` set one); the result's FindingsIndex
is stored on the graph it judged and the explorer redrawn: tree badges, the Findings tab, the
:findings view, the Path marks and the header's error count all read it from there.
"""

from __future__ import annotations

import asyncio
import gc
import time
from typing import Any

from textual import work

from tui.checks import FINDINGS_KEY, check_graph, findings_index, load_ecspresso, verdict_lines
from tui.errors import TrellisError
from tui.messages import ChecksDone, ChecksFailed
from tui.screens.explorer import EXTRA_COMMANDS
from tui.screens.graphindex import warm

COMMAND_HELP = [
    ("verify PATH", "check an ecspresso config here: plan its service into the graph"),
    ("verify off", "drop the planned ecspresso service"),
    ("attach", "attach an ECS service to a Lattice target group (wizard)"),
    ("detach", "detach an ECS service from a Lattice target group (wizard)"),
]


class ChecksMixin:
    """Needs from the App: graph, generation, explorer, _ui, notify, refresh_header."""

    checking: bool = False  # the doctor (or a :verify) is running
    live_graph: Any = None  # the last final graph as loaded (never with a plan in it)
    project: Any = None  # the ecspresso project planned into the graph, if any
    report: Any = None  # its verify report

    # -- running --------------------------------------------------------------------------
    def carry_findings(self: Any, graph: Any) -> None:
        """Partial graphs of a reload keep the previous findings until the doctor runs again."""
        old = findings_index(self.graph)
        if old is not None and graph is not self.graph:
            graph.graph.setdefault(FINDINGS_KEY, old)

    def start_checks(self: Any, graph: Any, verify: bool = False) -> None:
        self.live_graph = graph
        self.checking = True
        self._checks(self.generation, graph, self.project, verify)

    @work(exclusive=True, group="checks", exit_on_error=False)
    async def _checks(self: Any, generation: int, graph: Any, project: Any, verify: bool) -> None:
        try:
            checked = await asyncio.to_thread(check_graph, graph, project)
        except Exception as error:  # noqa: BLE001 - shown as one line, never a crash
            self.post_message(ChecksFailed(generation, error, verify))
            return
        # The `/` index of the graph about to be shown, built off the UI thread.
        await asyncio.to_thread(warm, checked.graph)
        self.post_message(ChecksDone(generation, checked, verify))

    def on_checks_done(self: Any, message: ChecksDone) -> None:
        if message.generation != self.generation:
            return
        checked = message.checked
        checked.graph.graph[FINDINGS_KEY] = checked.index
        settle_heap()
        self.checking = False
        self.graph = checked.graph
        self.report = checked.report
        if self._ui() is not None:
            self.explorer.set_graph(self.graph)
        self.refresh_header()
        if message.verify and checked.report is not None:
            self._show_verdicts(checked.report)

    def on_checks_failed(self: Any, message: ChecksFailed) -> None:
        if message.generation != self.generation:
            return
        self.checking = False
        error = message.error
        if message.verify:
            self.project = None
            text = str(error) if isinstance(error, TrellisError) else repr(error)
            self.notify(f"verify failed: {text}", severity="error", timeout=10)
        else:
            self.notify(f"doctor failed: {error!r}", severity="error", timeout=10)
        self.refresh_header()

    # -- :verify ----------------------------------------------------------------------------
    def start_verify(self: Any, path: str) -> None:
        path = path.strip()
        if not path:
            self.notify("usage: :verify PATH/ecspresso.yml (or :verify off)", severity="error")
            return
        if path == "off":
            self.project = None
            if self.live_graph is not None:
                self.start_checks(self.live_graph)
            self.notify("planned service dropped")
            return
        if self.live_graph is None:
            self.notify("nothing loaded yet", severity="warning")
            return
        self.checking = True
        self.refresh_header()
        self._verify(self.generation, path)

    @work(exclusive=True, group="checks", exit_on_error=False)
    async def _verify(self: Any, generation: int, path: str) -> None:
        try:
            project = await asyncio.to_thread(load_ecspresso, path)
            checked = await asyncio.to_thread(check_graph, self.live_graph, project)
        except Exception as error:  # noqa: BLE001 - bad path / bad config: one line
            self.post_message(ChecksFailed(generation, error, verify=True))
            return
        self.project = project
        self.post_message(ChecksDone(generation, checked, verify=True))

    def _show_verdicts(self: Any, report: Any) -> None:
        plan = report.plan
        ui = self._ui()
        if ui is not None and plan.service_id in self.graph:
            ui.jump(plan.service_id)
            ui.detail.active = "tab-findings"
        lines = verdict_lines(report)
        statuses = {v.status for v in report.verdicts}
        severity = (
            "error"
            if "FAIL" in statuses or report.has_errors
            else "warning"
            if "WARN" in statuses
            else "information"
        )
        name = plan.service_id.rsplit("/", 1)[-1]
        self.notify(
            "\n".join(lines), title=f"ecspresso verify: {name}", severity=severity, timeout=20
        )

    def action_prompt_verify(self: Any) -> None:
        """The palette's "Verify ecspresso config…": the `:` prompt, pre-filled."""
        ui = self._ui()
        if ui is None:
            return
        ui.action_command()
        prompt = ui.query_one("#prompt")
        prompt.value = "verify "
        prompt.cursor_position = len(prompt.value)

    # -- attach / detach ------------------------------------------------------------------
    def action_attach(self: Any) -> None:
        self.open_wizard("attach")

    def action_detach(self: Any) -> None:
        self.open_wizard("detach")

    def open_wizard(self: Any, mode: str) -> None:
        graph = self.live_graph or self.graph
        if graph is None:
            self.notify("nothing loaded yet", severity="warning")
            return
        from tui.screens.wizard import open_attach_wizard

        ui = self._ui()
        node = ui.current_node if ui is not None else None
        open_attach_wizard(self, graph, node, self.config, mode=mode, callback=self._wizard_done)

    def _wizard_done(self: Any, applied: bool | None) -> None:
        if applied:
            self.notify("change applied: reloading")
            self.action_reload()

    # -- header --------------------------------------------------------------------------
    def check_segments(self: Any) -> list[tuple[str, str]]:
        segments = []
        if self.project is not None:
            segments.append((f"planned: {self.project.service}", "bold black on magenta"))
        index = findings_index(self.graph)
        if index is None:
            if self.checking:
                segments.append(("doctor…", "italic"))
            return segments
        errors = index.errors
        word = "finding" if errors == 1 else "findings"
        text = f"✗ {errors} error {word}" if errors else "✓ no error findings"
        segments.append((text + ("…" if self.checking else ""), "bold red" if errors else "green"))
        return segments


SETTLE_EVERY_SECONDS = 30.0
_last_settle: list[float] = []  # monotonic time of the last settle_heap that collected


def settle_heap() -> None:
    """Collect the last graph's garbage once, then freeze what is left (the graph just loaded).

    Python's cyclic collector otherwise walks the whole graph again and again: measured on
    scale:large (19,027 nodes), a full collection in the middle of a keypress added 60 ms and
    more to that frame. Frozen objects are never collected, so the previously frozen graph
    (networkx views make cycles) is unfrozen and collected here first. That full collection
    costs as much as the heap is big, so it runs at most every 30 s: graphs loaded in between
    (a fast ``--refresh``) unfreeze the heap instead, so the collector reclaims the graph they
    replaced."""
    now = time.monotonic()
    if _last_settle and now - _last_settle[-1] < SETTLE_EVERY_SECONDS:
        gc.unfreeze()  # the replaced graph goes back to the ordinary collector: no leak
        return
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    _last_settle[:] = [time.monotonic()]


def _verify_command(screen: Any, arg: str) -> None:
    screen.app.start_verify(arg)


EXTRA_COMMANDS["verify"] = _verify_command
EXTRA_COMMANDS["attach"] = lambda screen, arg: screen.app.open_wizard("attach")
EXTRA_COMMANDS["detach"] = lambda screen, arg: screen.app.open_wizard("detach")
