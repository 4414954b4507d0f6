"""The attach/detach wizard: one modal walking the steps of ``tui.wizard.flow``.

Each step is validated (by the pure planner) before Next; Back keeps answers; esc cancels
without any write. Apply is disabled, with the reason, in read-only and snapshot mode. Apply
re-reads the service and stops if it changed; the watch follows the rollout and the targets
and can be left at any time (leaving never undoes anything).

    open_attach_wizard(app, graph, node_id, config)            # `a` in the explorer
    open_attach_wizard(app, graph, node_id, config, mode="detach")
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, OptionList, ProgressBar, RichLog, Static

from tui.config import AppConfig
from tui.errors import TrellisError
from tui.model.kinds import NodeKind
from tui.screens import wizard_steps as steps
from tui.screens.hierarchy import ecs_services_of_task, target_context
from tui.wizard.facts import Facts
from tui.wizard.flow import TITLES, WizardState
from tui.wizard.render import service_def_snippet, task_def_snippet

CSS = """
WizardScreen { align: center middle; }
#wizard-box { width: 90%; height: 90%; border: thick $accent; background: $surface;
              padding: 0 1; }
#wizard-title { text-style: bold; height: 1; }
#wizard-info { height: auto; max-height: 6; color: $text-muted; margin-bottom: 1; }
#wizard-choices { height: 1fr; }
#wizard-role-input { margin-top: 1; }
#wizard-review { height: 1fr; }
#wizard-watch { height: 1fr; }
#wizard-log { height: 1fr; }
#wizard-errors { height: auto; max-height: 8; }
#wizard-buttons { height: 3; align-horizontal: right; }
#wizard-buttons Button { margin-left: 1; }
"""


class WizardScreen(ModalScreen[bool]):
    """Dismisses with True when a change was applied, False otherwise."""

    DEFAULT_CSS = CSS
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="close the wizard (no write)"),
        Binding("ctrl+n", "next", "Next", tooltip="validate this step and go on"),
        # ctrl+o as vim's jump back; ctrl+b would be tmux's prefix key
        Binding("ctrl+o", "back", "Back", tooltip="the previous step, answers kept"),
    ]

    def __init__(self, state: WizardState, config: AppConfig, live: bool = True) -> None:
        super().__init__()
        self.state = state
        self.config = config
        self.live = live  # a live account/sandbox behind it (not a snapshot): reads allowed
        self.applied = False
        self.saved_snippets: Path | None = None
        self.verdict: str = ""

    def compose(self) -> ComposeResult:
        with Vertical(id="wizard-box"):
            yield Static(id="wizard-title")
            yield Static(id="wizard-info")
            yield OptionList(id="wizard-choices")
            yield Input(placeholder="or type a role name / ARN", id="wizard-role-input")
            with VerticalScroll(id="wizard-review"):
                yield Static(id="wizard-review-text")
            with Vertical(id="wizard-watch"):
                yield ProgressBar(id="wizard-progress", show_eta=False)
                yield RichLog(id="wizard-log", wrap=True, markup=False)
            yield Static(id="wizard-errors")
            yield Footer()  # the wizard's own keys, not the explorer's beneath it
            with Horizontal(id="wizard-buttons"):
                yield Button("Back", id="back")
                yield Button("Copy snippets", id="copy")
                yield Button("Save snippets", id="save")
                yield Button("Next", id="next", variant="primary")
                yield Button("Apply", id="apply", variant="warning")
                yield Button("Close", id="close")

    def on_mount(self) -> None:
        self.render_step()
        if self.live and self.state.mode == "attach":
            self._load_roles()

    # -- rendering -----------------------------------------------------------------------
    def render_step(self) -> None:
        s = self.state
        step = s.step
        verb = "Attach an ECS service to" if s.mode == "attach" else "Detach an ECS service from"
        self.query_one("#wizard-title", Static).update(
            f"{verb} VPC Lattice — step {s.index + 1}/{len(s.steps)}: {TITLES[step]}"
        )
        self.query_one("#wizard-info", Static).update(steps.info(s))
        opts, highlight = steps.options(s)
        choices = self.query_one("#wizard-choices", OptionList)
        choices.display = bool(opts) or step in (
            "service",
            "port",
            "target_group",
            "role",
            "config",
        )
        choices.clear_options()
        choices.add_options(opts)
        ids = [o.id for o in opts]
        if highlight in ids:
            choices.highlighted = ids.index(highlight)
        else:  # the cursor starts on the first choice that can be taken
            enabled = [i for i, o in enumerate(opts) if not o.disabled]
            if enabled:
                choices.highlighted = enabled[0]
        role_input = self.query_one("#wizard-role-input", Input)
        role_input.display = step == "role"
        review = step == "review"
        self.query_one("#wizard-review").display = review
        if review:
            self.query_one("#wizard-review-text", Static).update(steps.review_text(s))
        self.query_one("#wizard-watch").display = step == "apply"
        self._buttons()
        # Say at once why a step cannot go on (e.g. no named port: the snippet to add).
        stuck = review or (choices.display and not opts and step != "role")
        self.query_one("#wizard-errors", Static).update(
            steps.issues_text(s.errors(step)) if stuck else ""
        )
        if choices.display:
            choices.focus()

    def _buttons(self) -> None:
        step = self.state.step
        self.query_one("#back", Button).display = self.state.index > 0 and step != "apply"
        self.query_one("#next", Button).display = step not in ("review", "apply")
        self.query_one("#copy", Button).display = step == "review"
        self.query_one("#save", Button).display = step == "review"
        apply_btn = self.query_one("#apply", Button)
        apply_btn.display = step == "review"
        ok = self.state.plan().ok
        apply_btn.disabled = not (self.state.writable and ok)
        apply_btn.tooltip = self.state.why_read_only or (None if ok else "fix the errors first")
        if step == "review" and not self.state.writable:
            self.query_one("#wizard-info", Static).update(
                Text(f"Apply is disabled: {self.state.why_read_only}", "bold yellow")
            )
        self.refresh_bindings()  # the footer's Next/Back follow the buttons

    # -- answers ---------------------------------------------------------------------------
    @on(OptionList.OptionHighlighted, "#wizard-choices")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        value = event.option.id or ""
        step = self.state.step
        if step == "service" and value != self.state.service_arn:
            self.state.service_arn = value
            self.state.port_name = ""
            self.query_one("#wizard-info", Static).update(steps.info(self.state))
        elif step == "port":
            self.state.port_name = value
        elif step in ("target_group", "config"):
            self.state.target_group = value
        elif step == "role":
            self.state.role = value
            self.query_one("#wizard-info", Static).update(steps.info(self.state))

    @on(OptionList.OptionSelected, "#wizard-choices")
    def _selected(self, _event: OptionList.OptionSelected) -> None:
        self.action_next()

    @on(Input.Changed, "#wizard-role-input")
    def _typed_role(self, event: Input.Changed) -> None:
        if event.value.strip():
            self.state.role = event.value.strip()

    @on(Input.Submitted, "#wizard-role-input")
    def _submitted_role(self, _event: Input.Submitted) -> None:
        self.action_next()

    # -- navigation ------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Next/Back keys only where their buttons are shown (not while applying)."""
        if action in ("next", "back"):
            buttons = self.query(f"#{action}")
            return bool(buttons) and bool(buttons.first().display)
        return True

    @on(Button.Pressed, "#next")
    def action_next(self) -> None:
        problems = self.state.next()
        if problems:
            self.query_one("#wizard-errors", Static).update(steps.issues_text(problems))
            return
        self.render_step()

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        self.state.back()
        self.render_step()

    @on(Button.Pressed, "#close")
    def action_cancel(self) -> None:
        self.workers.cancel_group(self, "wizard-apply")  # stops watching; undoes nothing
        self.dismiss(self.applied)

    @on(Button.Pressed, "#copy")
    def _copy(self) -> None:
        plan = self.state.plan()
        self.app.copy_to_clipboard(service_def_snippet(plan) + "\n" + task_def_snippet(plan))
        self.notify("ecspresso snippets copied")

    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        from tui.snapshot import atomic_write_text

        plan = self.state.plan()
        name = plan.context.service_name or 'service'
        path = Path.cwd() / f"{name}-vpc-lattice-snippets.json"
        # One JSON document: what to merge into each ecspresso file.
        snippets = {
            "ecs-service-def.json": json.loads(service_def_snippet(plan)),
            "ecs-task-def.json": json.loads(task_def_snippet(plan)),
        }
        text = json.dumps(snippets, indent=2) + "\n"
        try:
            atomic_write_text(path, text)
        except OSError as error:
            self.notify(f"could not save: {error.strerror}", severity="error")
            return
        self.saved_snippets = path
        self.notify(f"saved {path}", title="ecspresso snippets")

    @on(Button.Pressed, "#apply")
    def _apply(self) -> None:
        plan = self.state.plan()
        if not (self.state.writable and plan.ok):
            return
        self.state.index = self.state.steps.index("apply")
        self.render_step()
        self._apply_and_watch(plan)

    # -- workers ---------------------------------------------------------------------------
    @work(exclusive=True, group="wizard-apply", exit_on_error=False)
    async def _apply_and_watch(self, plan: Any) -> None:
        from tui.aws.clients import ClientFactory
        from tui.wizard.apply import apply_plan
        from tui.wizard.diagnose import doctor_causes
        from tui.wizard.watch import watch

        log = self.query_one("#wizard-log", RichLog)
        bar = self.query_one("#wizard-progress", ProgressBar)
        errors = self.query_one("#wizard-errors", Static)
        try:
            async with ClientFactory(self.config) as factory:
                log.write("re-reading the service, then sending UpdateService…")
                await apply_plan(factory, plan)
                self.applied = True
                log.write(f"UpdateService sent: {plan.request_json()}")
                last = None
                async for ev in watch(
                    factory, plan, timeout=self.watch_timeout, interval=self.watch_interval
                ):
                    for message in ev.new_events:
                        log.write(f"event: {message}")
                    log.write(ev.line())
                    goal = (
                        ev.count("HEALTHY")
                        if plan.action == "attach"
                        else len([s for s in ev.targets.values() if s == "DRAINING"])
                    )
                    bar.update(total=max(len(ev.task_ips), ev.desired, 1), progress=goal)
                    last = ev
                self.verdict = last.verdict if last else ""
                if last and last.ok:
                    log.write(f"✓ verdict: {last.verdict} — task IPs {', '.join(last.task_ips)}")
                    bar.update(total=1, progress=1)
                elif last:
                    log.write(f"✗ verdict: {last.verdict}: {last.cause}")
                    for cause in await doctor_causes(factory, plan, last):
                        log.write(f"  doctor: {cause}")
                    log.write("nothing was rolled back (detach to undo)")
        except TrellisError as exc:
            errors.update(Text(f"✗ {exc}", "bold red"))
            self.verdict = "error"
        except Exception as exc:  # noqa: BLE001 - one line in the UI, never a crash
            errors.update(Text(f"✗ {type(exc).__name__}: {exc}", "bold red"))
            self.verdict = "error"

    watch_timeout: float = 600.0
    watch_interval: float = 2.0

    @work(group="wizard-roles", exit_on_error=False)
    async def _load_roles(self) -> None:
        from tui.aws.clients import ClientFactory
        from tui.wizard.fetch import gather_roles

        try:
            inv = await gather_roles(ClientFactory(self.config, read_only=True))
        except Exception:  # noqa: BLE001 - the graph's roles remain; typing an ARN works
            return
        for role in Facts.from_inventory(inv).roles.values():
            self.state.facts.roles.setdefault(role.arn, role)
        if self.state.step == "role":
            self.render_step()


def wizard_subject(graph: Any, node_id: str | None) -> str | None:
    """What `a`/`d` on ``node_id`` is about: a target or task stands for its ECS service
    (else a target for its group), so the health view's selected row pre-fills the wizard."""
    if not node_id or node_id not in graph:
        return node_id
    kind = graph.nodes[node_id].get("kind")
    if kind == NodeKind.TARGET:
        where = target_context(graph, node_id)
        return next(iter(where.ecs_services or where.target_groups), node_id)
    if kind == NodeKind.ECS_TASK:
        return next(iter(ecs_services_of_task(graph, node_id)), node_id)
    return node_id


def open_attach_wizard(
    app: Any,
    graph: Any,
    node_id: str | None,
    config: AppConfig,
    mode: str = "attach",
    callback: Any = None,
) -> WizardScreen:
    """Push the wizard pre-filled from ``node_id`` (an ecs_service or a target_group).

    ``callback(applied: bool)`` runs when it closes (the explorer reloads after an apply)."""
    source = getattr(app, "source", None)
    connection = getattr(source, "connection", None) or config.connection
    source_mode = getattr(source, "mode", "live")
    writable = config.can_write and source_mode in ("live", "demo")
    why = ""
    if config.snapshot_path is not None or source_mode in ("snapshot", "static"):
        why = f"{source_mode} mode: a saved snapshot cannot be changed; open a live account"
    elif config.read_only:
        why = "read-only mode (--read-only): restart without it to apply"
    state = WizardState(Facts.from_graph(graph), mode=mode, writable=writable, why_read_only=why)
    node_id = wizard_subject(graph, node_id)
    kind = graph.nodes[node_id].get("kind") if node_id and node_id in graph else None
    state.preselect(node_id, kind)
    if state.service_arn:
        state.next()  # the service is known: start at the next step (Back returns to it)
    live = source_mode in ("live", "demo") and config.snapshot_path is None
    screen = WizardScreen(state, dataclasses.replace(config, connection=connection), live=live)
    app.push_screen(screen, callback)
    return screen
