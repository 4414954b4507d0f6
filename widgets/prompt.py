"""A one-line prompt docked at the bottom (used for `/` filter and `:` commands)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.widgets import Input


class Prompt(Input):
    DEFAULT_CSS = """
    Prompt { height: 1; border: none; padding: 0 1; display: none;
             background: $boost; }
    Prompt.-open { display: block; }
    Prompt:focus { border: none; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False)]

    @dataclass
    class Cancelled(Message):
        prompt: Prompt
        mode: str

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.mode = ""

    def open(self, mode: str, value: str = "", suggestions: list[str] | None = None) -> None:
        self.mode = mode
        self.suggester = SuggestFromList(suggestions, case_sensitive=False) if suggestions else None
        self.placeholder = {"/": "filter: name, id, ARN, IP or DNS", ":": "command"}.get(mode, "")
        self.display = True  # inline, so it is focusable right now (a class applies later)
        self.add_class("-open")
        self.value = value
        self.cursor_position = len(value)
        self.focus()

    def close(self) -> None:
        self.remove_class("-open")
        self.display = False
        self.mode = ""

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    def action_cancel(self) -> None:
        mode = self.mode
        self.close()
        self.post_message(self.Cancelled(self, mode))
