"""Scrollable, syntax-highlighted JSON of any JSON-able value."""

from __future__ import annotations

import json
from typing import Any

from rich.syntax import Syntax
from textual.containers import VerticalScroll
from textual.widgets import Static


class JsonView(VerticalScroll, can_focus=True):
    DEFAULT_CSS = """
    JsonView { height: 1fr; }
    JsonView > Static { width: auto; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(Static(id="json-body"), **kwargs)
        self.source = ""

    def show(self, value: Any) -> None:
        self.source = json.dumps(value, indent=2, sort_keys=True, default=str)
        syntax = Syntax(self.source, "json", theme="ansi_dark", word_wrap=False)
        self.query_one("#json-body", Static).update(syntax)
        self.scroll_home(animate=False)
