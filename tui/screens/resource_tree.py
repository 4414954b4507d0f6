"""The explorer's tree: sections → resources, children added lazily on expansion.

Tree node data is the graph node id (or a section key). A new graph (each coalesced load
step) rebuilds the tree but keeps the cursor and every expanded branch.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from tui.model.kinds import NodeKind
from tui.screens.graphindex import matching_nodes
from tui.screens.hierarchy import SECTIONS, children, edge_prefix, has_children, tree_path
from tui.screens.nodeinfo import node_label

K = NodeKind
SECTION_KINDS = {
    "sec:sn": {
        K.SERVICE_NETWORK,
        K.SERVICE,
        K.LISTENER,
        K.RULE,
        K.TARGET_GROUP,
        K.TARGET,
        K.SN_SERVICE_ASSOCIATION,
        K.SN_VPC_ASSOCIATION,
        K.AUTH_POLICY,
    },
    "sec:svc": {K.SERVICE, K.LISTENER, K.RULE},
    "sec:tg": {K.TARGET_GROUP, K.TARGET},
    "sec:ecs": {K.ECS_CLUSTER, K.ECS_SERVICE, K.ECS_TASK},
    "sec:vpc": {K.VPC, K.SUBNET, K.SECURITY_GROUP, K.ROUTE_TABLE, K.VPC_ENDPOINT},
    "sec:rgw": {K.RESOURCE_GATEWAY, K.RESOURCE_CONFIGURATION},
    "sec:role": {K.IAM_ROLE},
    "sec:td": {K.TASK_DEFINITION},
}
FILTER_LIMIT = 150  # matches placed in the tree (each brings its ancestors); / narrows


class ResourceTree(Tree[str]):
    DEFAULT_CSS = """
    ResourceTree { height: 1fr; }
    """
    _bulk = 0  # > 0 while many nodes are added/expanded at once (see _bulk_edit)
    _bulk_dirty = False
    truncated = False  # the filter matched more than FILTER_LIMIT nodes

    def __init__(self, **kwargs: Any) -> None:
        super().__init__("account", **kwargs)
        self.show_root = False
        self.guide_depth = 3
        self.graph: Any = None
        self.filter_text = ""
        self._populated: set[int] = set()
        # Expanded branches and cursor of the unfiltered tree, put back when `/` is cleared.
        self._unfiltered: tuple[list[tuple[str, ...]], tuple[str, ...]] | None = None

    # -- bulk edits ----------------------------------------------------------------------
    # Tree.add / expand each invalidate the line cache and ask for a layout, and each expand
    # posts a NodeExpanded message: ~0.2 ms a node, seconds for a filter that places
    # thousands. Inside ``_bulk_edit`` that happens once, at the end (this widget populates
    # a node itself before expanding it, so the messages carry nothing it needs).
    @contextmanager
    def _bulk_edit(self) -> Iterator[None]:
        self._bulk += 1
        try:
            with self.prevent(Tree.NodeExpanded):
                yield
        finally:
            self._bulk -= 1
            if not self._bulk and self._bulk_dirty:
                self._bulk_dirty = False
                super()._invalidate()

    def _invalidate(self) -> None:
        if self._bulk:
            self._bulk_dirty = True
            return
        super()._invalidate()

    def _refresh_node(self, node: TreeNode[str]) -> None:
        if self._bulk:  # a relabelled node: repainted with everything at the end
            self._bulk_dirty = True
            return
        super()._refresh_node(node)

    # -- building ------------------------------------------------------------------------
    def set_graph(self, graph: Any) -> None:
        expanded, cursor = self._remember()
        self.graph = graph
        with self._bulk_edit():
            self._rebuild()
            self._restore(expanded, cursor)
        if self.cursor_line < 0 and self.root.children:
            self.cursor_line = 0

    def set_filter(self, text: str) -> None:
        text = text.strip().lower()
        if text == self.filter_text:
            return
        expanded, cursor = self._remember()
        if not self.filter_text:
            self._unfiltered = (expanded, cursor)
        elif text:
            expanded = []  # a new filter opens the way to its own matches
        else:  # cleared: the branches open before filtering, the cursor where it is now
            expanded = self._unfiltered[0] if self._unfiltered else []
            self._unfiltered = None
        self.filter_text = text
        with self._bulk_edit():
            self._rebuild()
            self._restore(expanded, cursor)
            node, target = self.cursor_node, cursor[-1] if cursor else None
            if not text and target and node is not None and node.data != target:
                self.reveal(target)  # the node the cursor was on while filtering

    def _rebuild(self) -> None:
        self.truncated = False
        self.clear()
        self._populated.clear()
        if self.graph is None:
            return
        if self.filter_text:
            self._build_filtered()
            return
        for section in SECTIONS:
            members = children(self.graph, section.key)
            warn = self._section_warning(section.key)
            if not members and not warn:
                continue
            label = Text(f"{section.title} ", "bold")
            label.append(f"({len(members)})", "dim")
            if warn:
                label.append(f"  ⚠ incomplete: {warn}", "bold red")
            self.root.add(label, data=section.key, allow_expand=bool(members))

    def _section_warning(self, key: str) -> str:
        incomplete = self.graph.graph.get("incomplete_kinds", {}) or {}
        ops = []
        for kind, errors in incomplete.items():
            if kind in SECTION_KINDS.get(key, ()):
                ops += [str(e.get("operation", "")) for e in errors]
        ops = list(dict.fromkeys(ops))
        return ", ".join(ops[:3]) + (" …" if len(ops) > 3 else "") if ops else ""

    def _add_child(
        self, parent: TreeNode[str], node_id: str, mark: bool = False, branch: bool = False
    ) -> TreeNode[str]:
        """Add ``node_id`` under ``parent``; ``branch``: it is known to have children (an
        ancestor of a filter match), so the lookup is skipped."""
        graph = self.graph
        prefix = edge_prefix(graph, parent.data or "", node_id)
        label = node_label(graph, node_id, prefix)
        if mark:
            label.append(" ◀", "bold magenta")
        expandable = branch or has_children(graph, node_id)
        return parent.add(label, data=node_id, allow_expand=expandable)

    def populate(self, node: TreeNode[str]) -> None:
        if node.id in self._populated or node.data is None or self.graph is None:
            return
        self._populated.add(node.id)
        if node.children:
            return
        for child in children(self.graph, node.data):
            self._add_child(node, child)

    def _build_filtered(self) -> None:
        graph = self.graph
        matches = matching_nodes(graph, self.filter_text, FILTER_LIMIT + 1)
        self.truncated = len(matches) > FILTER_LIMIT
        matches = matches[:FILTER_LIMIT]
        wanted = set(matches)
        placed: dict[tuple[str, ...], TreeNode[str]] = {}
        others = None
        for match in sorted(matches):
            path = tree_path(graph, match)
            if not path:
                if others is None:
                    others = self.root.add(Text("Other matches", "bold"), data=None, expand=True)
                self._add_child(others, match, mark=True)
                continue
            parent = self.root
            for depth in range(len(path)):
                key = tuple(path[: depth + 1])
                if key not in placed:
                    if depth == 0:
                        section = next(s for s in SECTIONS if s.key == path[0])
                        placed[key] = self.root.add(Text(section.title, "bold"), data=path[0])
                    else:
                        node = path[depth]
                        branch = depth < len(path) - 1
                        placed[key] = self._add_child(
                            parent, node, mark=node in wanted, branch=branch
                        )
                    self._populated.add(placed[key].id)
                parent = placed[key]
                if depth < len(path) - 1 and not parent.is_expanded:
                    parent.expand()
            self._populated.discard(parent.id)

    # -- keeping place across rebuilds ---------------------------------------------------------
    def _path_of(self, node: TreeNode[str]) -> tuple[str, ...]:
        path = []
        while node is not None and node is not self.root:
            path.append(str(node.data))
            node = node.parent
        return tuple(reversed(path))

    def _remember(self) -> tuple[list[tuple[str, ...]], tuple[str, ...]]:
        expanded: list[tuple[str, ...]] = []
        stack = list(self.root.children)
        while stack:
            node = stack.pop()
            if node.is_expanded:
                expanded.append(self._path_of(node))
                stack.extend(node.children)
        cursor = self._path_of(self.cursor_node) if self.cursor_node else ()
        return sorted(expanded, key=len), cursor

    def _find(self, path: tuple[str, ...] | list[str], expand: bool) -> TreeNode[str] | None:
        node = self.root
        for index, data in enumerate(path):
            if expand and index:
                self.populate(node)
                node.expand()
            match = next((c for c in node.children if c.data == data), None)
            if match is None:
                return None
            node = match
        return node

    def _restore(self, expanded: list[tuple[str, ...]], cursor: tuple[str, ...]) -> None:
        for path in expanded:
            node = self._find(path, expand=False)
            if node is not None:
                self.populate(node)
                node.expand()
        if cursor:
            node = self._find(cursor, expand=False)
            if node is not None:
                self._sync_lines()
                self.move_cursor(node, animate=False)

    def _sync_lines(self) -> None:
        """Lay the lines out now: move_cursor reads node line numbers, stale after expand()."""
        if self._bulk_dirty:
            self._bulk_dirty = False
            super()._invalidate()
        _ = self._tree_lines

    # -- navigation ---------------------------------------------------------------------------
    def reveal(self, node_id: str) -> bool:
        """Expand the way to a node and put the cursor on it. False if it has no place here."""
        if self.graph is None:
            return False
        path = tree_path(self.graph, node_id)
        if not path and self.filter_text:
            return False
        target = self._find(path, expand=True) if path else None
        if target is None:
            return False
        for ancestor in _ancestors(target):
            ancestor.expand()
        self._sync_lines()
        self.move_cursor(target, animate=False)
        self.scroll_to_node(target, animate=False)
        return True

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[str]) -> None:
        self.populate(event.node)

    @property
    def current_id(self) -> str | None:
        node = self.cursor_node
        return node.data if node is not None else None


def _ancestors(node: TreeNode[str]) -> list[TreeNode[str]]:
    result = []
    while node.parent is not None:
        node = node.parent
        result.append(node)
    return result
