"""A DataTable keyed by an id per row, sortable by any column, filterable by a text key.

Rows are given as (key, cells, sort_values, search_text); cells may be rich Text. Sorting
uses the sort values (plain, comparable), not the rendered cells."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any

from textual.binding import Binding
from textual.widgets import DataTable


@dataclass
class Row:
    key: str
    cells: list[Any]
    sort: list[Any]
    search_fn: Any = ""  # the text `/` matches, or a callable making it (computed once, lazily)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def search(self) -> str:
        if callable(self.search_fn):
            self.search_fn = self.search_fn()
        return self.search_fn


class NodeTable(DataTable):
    """At most ``limit`` rows are put on screen (a DataTable row costs ~0.3 ms to add);
    sorting and filtering always work on every row, so `/` reaches all of them."""

    DEFAULT_CSS = """
    NodeTable { height: 1fr; }
    """
    BINDINGS = [Binding("s", "sort_column", "Sort", tooltip="sort by the cursor's column")]

    def __init__(self, limit: int = 400, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.limit = limit
        self.matching = 0
        self.rows_all: list[Row] = []
        self.filter_text = ""
        self.sort_column: int | None = None
        self.sort_reverse = False

    def set_data(self, columns: list[str], rows: list[Row], keep_cursor: bool = True) -> None:
        current = self.current_key if keep_cursor else None
        self.clear(columns=True)
        for label in columns:
            self.add_column(label, key=label)
        self.rows_all = rows
        self._refill(current)

    @property
    def current_key(self) -> str | None:
        if not self.row_count:
            return None
        try:
            key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        except Exception:  # noqa: BLE001 - an empty or stale table has no key
            return None
        return key.value

    @property
    def visible_keys(self) -> list[str]:
        return [str(row.key.value) for row in self.ordered_rows]

    def set_filter(self, text: str) -> None:
        self.filter_text = text.strip().lower()
        self._refill(self.current_key)

    def sort_by(self, column: int, reverse: bool | None = None) -> None:
        if reverse is None:
            reverse = not self.sort_reverse if self.sort_column == column else False
        self.sort_column, self.sort_reverse = column, reverse
        self._refill(self.current_key)

    def action_sort_column(self) -> None:
        self.sort_by(self.cursor_column)

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        self.sort_by(event.column_index)

    def _refill(self, keep: str | None) -> None:
        rows = self.rows_all
        terms = self.filter_text.split()  # every word must occur (e.g. `tg-1 region:us-west-2`)
        if terms:
            rows = [r for r in rows if all(term in r.search for term in terms)]
        if self.sort_column is not None:
            col = self.sort_column
            rows = sorted(rows, key=lambda r: _sortable(r.sort[col]), reverse=self.sort_reverse)
        self.clear()
        self.matching = len(rows)
        for row in rows[: self.limit]:
            self.add_row(*row.cells, key=row.key)
        if keep is not None:
            with contextlib.suppress(Exception):  # the row may be filtered out
                self.move_cursor(row=self.get_row_index(keep), animate=False)


def _sortable(value: Any) -> tuple[int, Any]:
    if value is None:
        return (2, "")
    if isinstance(value, int | float):
        return (0, value)
    return (1, str(value).lower())
