"""Filling the explorer's `:` table without freezing the UI on a big graph.

Building the rows is pure (tui.screens.views) and costs ~70 µs a node — 1-3 s for the health
view of a 10k-target account. Above ``ASYNC_ABOVE`` graph nodes the rows are built by an async
worker in slices of ``SLICE`` seconds, giving the event loop a turn between slices, and the
title says "building rows…" meanwhile: keys and repaints wait at most one slice. (A thread
worker would not do: the GIL hands the loop a turn only every 5 ms per blocking call, and a
frame makes many — measured 0.24 s stalls.) A newer fill (another view, a new graph) makes an
older one stale: it is cancelled and its rows dropped. Small graphs fill synchronously.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from textual import work

from tui.screens.views import iter_view_rows, resolve, view_rows

ASYNC_ABOVE = 5_000  # graph nodes
SLICE = 0.012  # seconds of row building between two turns of the event loop


class RowFill:
    """Mixed into the ExplorerScreen (which provides table, graph, filters, _title, ...)."""

    rows_building: bool = False
    _fill_token: int = 0

    def _fill_table(self: Any, name: str, fresh: bool = False, node: str | None = None) -> None:
        view = resolve(name)
        self._fill_token += 1
        if fresh:  # rows come sorted by their first column (name, or health worst first)
            self.table.sort_column = None if name == "errors" else 0
            self.table.sort_reverse = False
        if view is None or self.graph is None:
            self.rows_building = False
            self.table.set_data([], [])
            return
        self.table.filter_text = self.filters.get(name, "").lower()
        if self.graph.number_of_nodes() <= ASYNC_ABOVE:
            self.rows_building = False
            self._put_rows(*view_rows(self.graph, view), node, fresh)
            return
        self.rows_building = True
        if fresh:
            self.table.set_data([], [])
        self._build_rows(self._fill_token, name, self.graph, view, node, fresh)

    @work(exclusive=True, group="table-rows", exit_on_error=False)
    async def _build_rows(
        self: Any, token: int, name: str, graph: Any, view: Any, node: str | None, fresh: bool
    ) -> None:
        columns, pending, order = iter_view_rows(graph, view)
        rows: list[Any] = []
        until = time.perf_counter() + SLICE
        for row in pending:
            rows.append(row)
            if time.perf_counter() > until:
                await asyncio.sleep(0)  # let keys, timers and repaints through
                if self._stale(token, name):
                    return
                until = time.perf_counter() + SLICE
        await asyncio.sleep(0)
        rows = order(rows)
        await asyncio.sleep(0)
        self._rows_ready(token, name, columns, rows, node, fresh)

    def _rows_ready(
        self: Any,
        token: int,
        name: str,
        columns: list[str],
        rows: list[Any],
        node: str | None,
        fresh: bool,
    ) -> None:
        if self._stale(token, name) or not self.is_mounted:
            return
        self.rows_building = False
        self._put_rows(columns, rows, node, fresh)
        self._title()
        self._show_detail(self.current_node)

    def _stale(self: Any, token: int, name: str) -> bool:
        """A newer fill started, or the user left this view (its rows are then dropped)."""
        if token != self._fill_token:
            return True
        if name != self.view:
            self.rows_building = False
            return True
        return False

    def _put_rows(
        self: Any, columns: list[str], rows: list[Any], node: str | None, fresh: bool
    ) -> None:
        self.table.set_data(columns, rows)
        if fresh:
            self.table.cursor_coordinate = (0, 0)
        if node:
            self._cursor_to_row(node)
