"""The main screen: tree or `:` table on the left, the detail pane on the right.

Navigation state lives here (current view, history, filter); the graph comes from the App.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import ContentSwitcher, DataTable, Footer, Label, Tree

from tui.screens.detail import DetailPane, PathTree, RelatedTree
from tui.screens.history import History, Location
from tui.screens.nodeinfo import console_url, name_of
from tui.screens.resource_tree import FILTER_LIMIT, ResourceTree
from tui.screens.rowfill import RowFill
from tui.screens.views import VIEWS, resolve
from widgets.load_bar import LoadBar
from widgets.node_table import NodeTable
from widgets.prompt import Prompt
from widgets.status_header import StatusHeader

# Extra `:` commands other parts of the app may register (e.g. :verify, :attach, :detach).
EXTRA_COMMANDS: dict[str, Callable[[ExplorerScreen, str], None]] = {}


class ExplorerScreen(RowFill, Screen):
    BINDINGS = [
        Binding("colon", "command", ":cmd", tooltip="jump to a view (:svc :tg :health …)"),
        Binding("slash", "filter", "/filter", tooltip="filter by name, id, ARN, IP or DNS name"),
        Binding("h", "view('health')", "Health", tooltip="every target, unhealthy first"),
        Binding("E", "view('errors')", "Errors", tooltip="every failed API call"),
        Binding("F", "view('findings')", "Findings", tooltip="the doctor's findings, errors first"),
        Binding("a", "app.attach", "Attach", tooltip="attach an ECS service to a target group"),
        Binding("d", "app.detach", "Detach", show=False, tooltip="detach an ECS service"),
        Binding("escape", "escape", "Back", tooltip="clear the filter, else go back in history"),
        Binding("left_square_bracket", "back", "Back", show=False, tooltip="history: back"),
        Binding(
            "right_square_bracket", "forward", "Forward", show=False, tooltip="history: forward"
        ),
        Binding("t", "view('tree')", "Tree", show=False, tooltip="back to the tree"),
        Binding("y", "copy_id", "Copy id", show=False, tooltip="copy the node id"),
        Binding(
            "b", "console_link", "Console", show=False, tooltip="show + copy the AWS console URL"
        ),
        Binding("1", "tab('tab-overview')", "Overview", show=False),
        Binding("2", "tab('tab-related')", "Related", show=False),
        Binding("3", "tab('tab-path')", "Path", show=False),
        Binding("4", "tab('tab-json')", "JSON", show=False),
        Binding("5", "tab('tab-findings')", "Findings", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.graph: Any = None
        self.view = "tree"
        self.history = History()
        self.filters: dict[str, str] = {}
        self._detail_pending = False  # a detail-pane fill is queued after the next paint

    def compose(self) -> ComposeResult:
        yield StatusHeader("trellis", id="header")
        yield LoadBar(id="load-bar")
        with Horizontal(id="body"):
            with Vertical(id="left"):
                yield Label("Resources", id="view-title")
                with ContentSwitcher(initial="tree", id="switcher"):
                    yield ResourceTree(id="tree")
                    yield NodeTable(id="table")
            yield DetailPane(id="detail")
        yield Prompt(id="prompt")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(ResourceTree).focus()
        self.history.push(Location("tree"))
        self._title()

    # -- graph updates (called by the App) -----------------------------------------------------
    def set_graph(self, graph: Any) -> None:
        self.graph = graph
        self.query_one(ResourceTree).set_graph(graph)
        if self.view != "tree":
            self._fill_table(self.view)
        self._show_detail(self.current_node)

    @property
    def tree(self) -> ResourceTree:
        return self.query_one(ResourceTree)

    @property
    def table(self) -> NodeTable:
        return self.query_one(NodeTable)

    @property
    def detail(self) -> DetailPane:
        return self.query_one(DetailPane)

    @property
    def current_node(self) -> str | None:
        if self.view == "tree":
            node = self.tree.current_id
        else:
            node = self.table.current_key
            if node and node.startswith(("error:", "finding:")):
                row = next((r for r in self.table.rows_all if r.key == node), None)
                node = row.extra.get("resource") if row else None
        return node if node and self.graph is not None and node in self.graph else None

    # -- showing things -------------------------------------------------------------------------
    def _show_detail(self, node: str | None) -> None:
        self.detail.show(self.graph, node)

    def _title(self) -> None:
        view = resolve(self.view)
        title = "Resources" if self.view == "tree" else (view.title if view else self.view)
        text = Text(title, "bold")
        if self.view != "tree" and self.rows_building:
            text.append("  building rows…", "italic yellow")
        elif self.view != "tree":
            table = self.table
            text.append(f"  ({table.matching})", "dim")
            if table.matching > table.row_count:
                text.append(f"  showing the first {table.row_count}: / narrows", "yellow")
        if self.filters.get(self.view):
            text.append(f"  filter: {self.filters[self.view]}", "bold magenta")
            if self.view == "tree" and self.tree.truncated:
                text.append(f"  showing the first {FILTER_LIMIT} matches: type more", "yellow")
        self.query_one("#view-title", Label).update(text)

    def show_view(self, name: str, node: str | None = None, record: bool = True) -> None:
        """Switch to the tree or a `:` view, optionally with the cursor on ``node``."""
        self.view = name
        switcher = self.query_one(ContentSwitcher)
        self.set_class(name != "tree", "-table")
        if name == "tree":
            switcher.current = "tree"
            if node:
                self.reveal(node)
            self.tree.focus()
        else:
            switcher.current = "table"
            self._fill_table(name, fresh=True, node=node)
            self.table.focus()
        if record:
            self.history.push(Location(name, node or self.current_node))
        self._title()
        self._show_detail(self.current_node)

    def _cursor_to_row(self, key: str) -> None:
        with contextlib.suppress(Exception):  # not in this table (or filtered out)
            self.table.move_cursor(row=self.table.get_row_index(key), animate=False)

    def reveal(self, node: str) -> bool:
        found = self.tree.reveal(node)
        if not found and self.tree.filter_text:
            self.set_filter("tree", "")
            found = self.tree.reveal(node)
        return found

    def jump(self, node: str) -> None:
        """Go to a node (a related edge, a path hop, a table row): the tree if it has a place."""
        if self.graph is None or node not in self.graph:
            self.notify(f"{node} is not in the graph", severity="warning")
            return
        self.view = "tree"
        self.set_class(False, "-table")
        self.query_one(ContentSwitcher).current = "tree"
        if not self.reveal(node):
            self.notify(f"{name_of(self.graph, node)} has no place in the tree; shown on the right")
        self.history.push(Location("tree", node))
        self._title()
        self._show_detail(node)

    # -- events ------------------------------------------------------------------------------------
    @on(Tree.NodeHighlighted, "#tree")
    def _tree_moved(self, event: Tree.NodeHighlighted) -> None:
        self._detail_after_paint()
        self.history.replace_node(self.current_node)

    def _detail_after_paint(self) -> None:
        """Paint the cursor move first, then fill the detail pane; a run of moves (key repeat)
        only fills it for where the cursor stops."""
        if not self._detail_pending:
            self._detail_pending = True
            self.call_after_refresh(self._detail_now)

    def _detail_now(self) -> None:
        self._detail_pending = False
        self._show_detail(self.current_node)

    @on(Tree.NodeSelected, "#tree")
    def _tree_entered(self, event: Tree.NodeSelected) -> None:
        node = event.node.data
        if node and self.graph is not None and node in self.graph:
            self.history.push(Location("tree", node))

    @on(DataTable.RowHighlighted, "#table")
    def _row_moved(self, event: DataTable.RowHighlighted) -> None:
        self._detail_after_paint()
        self.history.replace_node(self.current_node)

    @on(DataTable.RowSelected, "#table")
    def _row_entered(self, event: DataTable.RowSelected) -> None:
        node = self.current_node
        if node:
            self.jump(node)
            self.tree.focus()

    @on(Tree.NodeSelected, "#related-tree")
    @on(Tree.NodeSelected, "#path-tree")
    def _detail_entered(self, event: Tree.NodeSelected) -> None:
        node = event.node.data
        if node and isinstance(event.control, RelatedTree | PathTree):
            self.jump(node)

    # -- the prompt -------------------------------------------------------------------------
    def action_command(self) -> None:
        names = [v.name for v in VIEWS] + ["tree", "ctx", "region", "quit", *EXTRA_COMMANDS]
        self.query_one(Prompt).open(":", "", names)

    def action_filter(self) -> None:
        self.query_one(Prompt).open("/", self.filters.get(self.view, ""))

    @on(Prompt.Changed)
    def _prompt_changed(self, event: Prompt.Changed) -> None:
        if event.input.mode == "/":  # a change handled after enter is settled by Done
            self.set_filter(self.view, event.value)

    @on(Prompt.Done)
    def _prompt_done(self, event: Prompt.Done) -> None:
        self._focus_view()
        if event.mode == "/" and self.filters.get(self.view, "") != event.value:
            self.set_filter(self.view, event.value)
        elif event.mode == ":":
            self.run_command(event.value)

    @on(Prompt.Cancelled)
    def _prompt_cancelled(self, event: Prompt.Cancelled) -> None:
        if event.mode == "/":
            self.set_filter(self.view, "")
        self._focus_view()

    def _focus_view(self) -> None:
        (self.tree if self.view == "tree" else self.table).focus()

    def set_filter(self, view: str, text: str) -> None:
        self.filters[view] = text
        if view == "tree":
            self.tree.set_filter(text)
        else:
            self.table.set_filter(text)
        self._title()

    def run_command(self, text: str) -> None:
        command = text.strip().lstrip(":").strip()
        word, _, arg = command.partition(" ")
        word = word.lower()
        if not word:
            return
        if word in ("q", "quit"):
            self.app.exit()
        elif word in ("tree", "home", "top"):
            self.show_view("tree")
        elif word in ("ctx", "context", "profile"):
            self.app.action_pick_profile(arg or None)
        elif word == "region":
            self.app.action_pick_region(arg or None)
        elif word in EXTRA_COMMANDS:
            EXTRA_COMMANDS[word](self, arg)
        elif resolve(word) is not None:
            self.show_view(resolve(word).name)
        else:
            self.notify(f"unknown command :{word} (press ? for help)", severity="error")

    # -- actions ---------------------------------------------------------------------------------
    def action_view(self, name: str) -> None:
        self.show_view(name)

    def action_escape(self) -> None:
        if self.filters.get(self.view):
            self.set_filter(self.view, "")
        else:
            self.action_back()

    def _go(self, location: Location | None) -> None:
        if location is None:
            self.notify("no more history", timeout=1.5)
            return
        if location.view == "tree" and location.node:
            self.jump_without_history(location.node)
        else:
            self.show_view(location.view, location.node, record=False)

    def jump_without_history(self, node: str) -> None:
        self.view = "tree"
        self.set_class(False, "-table")
        self.query_one(ContentSwitcher).current = "tree"
        if self.graph is not None and node in self.graph:
            self.reveal(node)
        self._title()
        self._show_detail(node if self.graph is not None and node in self.graph else None)
        self.tree.focus()

    def action_back(self) -> None:
        self._go(self.history.back())

    def action_forward(self) -> None:
        self._go(self.history.forward())

    def action_tab(self, tab: str) -> None:
        """Show a detail tab and put the keyboard in it (tab/shift+tab or t to come back)."""
        self.detail.active = tab
        target = {
            "tab-overview": "#overview-body",
            "tab-related": "#related-tree",
            "tab-path": "#path-tree",
            "tab-json": "#json-view",
            "tab-findings": "#findings-body",
        }[tab]
        self.call_after_refresh(self.query_one(target).focus)

    def action_copy_id(self) -> None:
        node = self.detail.node_id
        if not node:
            self.notify("nothing selected", severity="warning")
            return
        self.app.copy_to_clipboard(node)
        self.notify(f"copied {node}", title="Node id")

    def action_console_link(self) -> None:
        node = self.detail.node_id
        if not node or self.graph is None:
            self.notify("nothing selected", severity="warning")
            return
        url = console_url(self.graph, node)
        self.app.copy_to_clipboard(url)
        self.notify(url, title="AWS console URL (copied)", timeout=8)
