"""The detail pane: Overview, Related, Path, JSON and Findings tabs for the selected node."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import TabbedContent, TabPane, Tree

from tui.screens.findings import findings_tab_label, path_mark, render_findings
from tui.screens.nodeinfo import attrs, node_label
from tui.screens.overview import match_text, render_overview
from widgets.json_view import JsonView
from widgets.rendered_view import RenderedView

EDGE_WORDS = {
    ("out", "contains"): "contains",
    ("in", "contains"): "inside",
    ("out", "associated"): "associated with",
    ("in", "associated"): "associated from",
    ("out", "forwards_to"): "forwards to",
    ("in", "forwards_to"): "receives traffic from",
    ("out", "registered"): "has targets",
    ("in", "registered"): "registered in",
    ("out", "backs"): "backed by",
    ("in", "backs"): "backs target",
    ("out", "attached"): "attached to",
    ("in", "attached"): "attached from",
    ("out", "uses"): "uses",
    ("in", "uses"): "used by",
    ("out", "in"): "placed in",
    ("in", "in"): "hosts",
    ("out", "guards"): "guards",
    ("in", "guards"): "guarded by",
}


def _edge_note(data: dict[str, Any]) -> str:
    notes = []
    if data.get("via"):
        notes.append(str(data["via"]))
    if data.get("weight") is not None:
        notes.append(f"weight {data['weight']}")
    if data.get("port_name"):
        notes.append(f"port {data['port_name']}")
    return f"  [{', '.join(notes)}]" if notes else ""


class RelatedTree(Tree[str]):
    """In and out edges grouped by direction and kind; leaf data is the other node's id."""

    def show(self, graph: Any, node_id: str) -> None:
        self.clear()
        self.root.expand()
        groups: dict[tuple[str, str], list[tuple[str, dict[str, Any]]]] = {}
        for _, other, data in graph.out_edges(node_id, data=True):
            groups.setdefault(("out", str(data.get("kind"))), []).append((other, data))
        for other, _, data in graph.in_edges(node_id, data=True):
            groups.setdefault(("in", str(data.get("kind"))), []).append((other, data))
        for (direction, kind), items in sorted(groups.items(), key=lambda kv: kv[0]):
            arrow = "→" if direction == "out" else "←"
            words = EDGE_WORDS.get((direction, kind), kind)
            label = Text(f"{arrow} {words} ", "bold")
            label.append(f"({kind}, {len(items)})", "dim")
            group = self.root.add(label, data=None, expand=True)
            for other, data in sorted(items, key=lambda item: item[0]):
                leaf = node_label(graph, other)
                leaf.append(_edge_note(data), "dim")
                group.add_leaf(leaf, data=other)
        if not groups:
            self.root.add_leaf(Text("no related resources", "dim"))
        self.move_cursor_to_line(1 if groups else 0)


def _hop(hop: Any) -> tuple[str, str, str]:
    """(node id, note, broken reason) of one path hop, whatever shape the model gives."""
    if isinstance(hop, str):
        return hop, "", ""
    get = hop.get if isinstance(hop, dict) else (lambda key, d=None: getattr(hop, key, d))
    node = get("node") or get("node_id") or get("id") or ""
    notes = []
    if get("via") == "default":
        notes.append("default action")
    if get("weight") is not None:
        notes.append(f"weight {get('weight')}")
    note = ", ".join(notes)
    broken = get("broken") or ""
    if broken is True:
        broken = get("reason") or "broken"
    return str(node), str(note or ""), str(broken or "")


def _hops(path: Any) -> list[Any]:
    if isinstance(path, dict):
        return list(path.get("hops", []))
    return list(getattr(path, "hops", path))


class PathTree(Tree[str]):
    """Every traffic path through the node, merged into a tree; broken hops in red."""

    def show(self, graph: Any, node_id: str) -> None:
        self.clear()
        self.root.expand()
        try:
            from tui.model.paths import paths_through
        except ImportError:
            self.root.add_leaf(Text("traffic paths are not available yet", "dim"))
            return
        paths = list(paths_through(graph, node_id))
        if not paths:
            self.root.add_leaf(Text("no traffic path goes through this resource", "dim"))
            return
        broken_count = 0
        marked: set[str] = set()
        placed: dict[tuple[str, ...], Any] = {}
        for path in paths:
            parent = self.root
            key: tuple[str, ...] = ()
            for hop in _hops(path):
                hop_id, note, broken = _hop(hop)
                key = (*key, hop_id, broken)
                if key not in placed:
                    label = Text(f"✗ {broken}: ", "bold red") if broken else Text()
                    label.append_text(
                        node_label(graph, hop_id) if hop_id in graph else Text(hop_id or "?")
                    )
                    if hop_id == node_id:
                        label.stylize("reverse")
                    if note:
                        label.append(f"  {note}", "italic")
                    if hop_id in graph and graph.nodes[hop_id].get("kind") == "rule":
                        match = match_text(graph.nodes[hop_id].get("raw", {}).get("match"))
                        label.append(f"  [{match}]", "italic cyan")
                    mark = path_mark(graph, hop_id) if hop_id else None
                    if mark is not None:
                        label.append_text(mark)
                        marked.add(hop_id)
                    broken_count += bool(broken)
                    placed[key] = parent.add(label, data=hop_id or None, expand=True)
                parent = placed[key]
            parent.allow_expand = False
        summary = Text(f"{len(paths)} path(s)", "bold")
        if broken_count:
            summary.append(f", {broken_count} broken link(s)", "bold red")
        if marked:
            summary.append(f", {len(marked)} hop(s) with doctor errors", "bold red")
        self.root.set_label(summary)
        self.show_root = True


class DetailPane(Vertical):
    """Tabs about one node. Call ``show(graph, node_id)``; tabs render only when visible."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.graph: Any = None
        self.node_id: str | None = None
        self._rendered: set[str] = set()
        self._same_node = False

    @property
    def tabs(self) -> TabbedContent:
        return self.query_one("#detail-tabs", TabbedContent)

    @property
    def active(self) -> str:
        return self.tabs.active

    @active.setter
    def active(self, tab: str) -> None:
        self.tabs.active = tab

    def compose(self) -> ComposeResult:
        with TabbedContent(id="detail-tabs"):
            with TabPane("Overview", id="tab-overview"):
                yield RenderedView(id="overview-body")
            with TabPane("Related", id="tab-related"):
                tree = RelatedTree("related", id="related-tree")
                tree.show_root = False
                yield tree
            with TabPane("Path", id="tab-path"):
                path_tree = PathTree("paths", id="path-tree")
                path_tree.guide_depth = 2
                yield path_tree
            with TabPane("JSON", id="tab-json"):
                yield JsonView(id="json-view")
            with TabPane("Findings", id="tab-findings"):
                yield RenderedView(id="findings-body")

    def show(self, graph: Any, node_id: str | None) -> None:
        self._same_node = node_id == self.node_id  # a reload keeps the reader's place
        self.graph, self.node_id = graph, node_id
        self._rendered.clear()
        self.border_title = ""
        tab, label = self.tabs.get_tab("tab-findings"), findings_tab_label(graph, node_id)
        if tab.label_text != label:
            tab.label = label
        self._render_tab(self.active)

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.tabbed_content.id == "detail-tabs" and event.pane.id:
            self._render_tab(event.pane.id)

    def _render_tab(self, tab: str) -> None:
        if tab in self._rendered:
            return
        self._rendered.add(tab)
        graph, node_id = self.graph, self.node_id
        if graph is None or node_id is None or node_id not in graph:
            if tab in ("tab-overview", "tab-findings"):
                body = "#overview-body" if tab == "tab-overview" else "#findings-body"
                hint = Text("Select a resource on the left.", "dim")
                self.query_one(body, RenderedView).update(hint)
            return
        if tab == "tab-overview":
            overview = render_overview(graph, node_id)
            self.query_one("#overview-body", RenderedView).update(overview, not self._same_node)
        elif tab == "tab-related":
            self.query_one(RelatedTree).show(graph, node_id)
        elif tab == "tab-path":
            self.query_one(PathTree).show(graph, node_id)
        elif tab == "tab-findings":
            findings = render_findings(graph, node_id)
            self.query_one("#findings-body", RenderedView).update(findings, not self._same_node)
        elif tab == "tab-json":
            data = attrs(graph, node_id)
            self.query_one(JsonView).show(data.get("raw") or {})
