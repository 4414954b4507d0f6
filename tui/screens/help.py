"""`?`: every binding of the app and the explorer, and every `:` command."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEY_NAMES = {
    "colon": ":",
    "slash": "/",
    "question_mark": "?",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "escape": "esc",
    "enter": "enter",
}

EXTRA = [
    ("enter", "drill in: expand a tree node; open a table row or related/path entry"),
    ("tab / shift+tab", "move between the tree/table and the detail tabs"),
    ("s", "sort a table by the cursor's column (again: reverse); click a header too"),
    ("ctrl+p", "command palette: find any resource by name, run any action"),
    ("mouse", "click, scroll and select everywhere"),
]


def key_text(key: str) -> str:
    return ", ".join(KEY_NAMES.get(k.strip(), k.strip()) for k in key.split(","))


def _table() -> Table:
    table = Table(show_header=False, box=None, padding=(0, 1), expand=True)
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column()
    return table


def bindings_table(groups: list[tuple[str, list[Binding]]]) -> Table:
    table = _table()
    for title, bindings in groups:
        table.add_row(Text(title, "bold underline"), "")
        seen = set()
        for binding in bindings:
            if binding.key in seen:
                continue
            seen.add(binding.key)
            table.add_row(key_text(binding.key), binding.tooltip or binding.description)
    table.add_row(Text("More", "bold underline"), "")
    for key, what in EXTRA:
        table.add_row(key, what)
    return table


def commands_table(commands: list[tuple[str, str]]) -> Table:
    table = _table()
    table.add_row(Text(": commands", "bold underline"), "")
    for name, what in commands:
        table.add_row(f":{name}", what)
    return table


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 130; max-width: 98%; height: 95%; border: thick $accent;
                                  background: $surface; padding: 0 1; }
    HelpScreen Horizontal { height: auto; }
    HelpScreen #help-keys { width: 3fr; }
    HelpScreen #help-commands { width: 2fr; }
    """
    BINDINGS = [
        Binding("escape,question_mark,q", "dismiss(None)", "Close", show=True),
    ]

    def __init__(self, groups: list[tuple[str, list[Binding]]], commands: list[tuple[str, str]]):
        super().__init__()
        self.groups = groups
        self.commands = commands

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = "trellis — keys (esc closes)"
            with Horizontal():
                yield Static(bindings_table(self.groups), id="help-keys")
                yield Static(commands_table(self.commands), id="help-commands")
