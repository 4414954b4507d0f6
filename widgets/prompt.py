"""A one-line prompt docked at the bottom (used for `/` filter and `:` commands)."""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
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

    @dataclass
    class Cancelled(Message):
        prompt: Prompt
        mode: str

    @dataclass
    class Done(Message):
        """Enter pressed: the prompt is already closed; ``mode`` is what it was opened for."""

        prompt: Prompt
        mode: str
        value: str

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

    def check_consume_key(self, key: str, character: str | None) -> bool:
        # Closed but still focused for a moment: the view's single-letter bindings apply.
        return self.is_open and super().check_consume_key(key, character)

    async def _on_key(self, event: events.Key) -> None:
        # Enter and escape close the prompt here, synchronously, rather than through bindings
        # that run after the key has bubbled to the app: a fast typist's (or a busy app's) next
        # keys are often queued on this widget already, and must not land in a hidden prompt.
        if not self.is_open:
            event.prevent_default()  # not ours any more: bubble it to the view's bindings
            return
        if event.key in ("enter", "escape"):
            event.stop()
            event.prevent_default()
            if event.key == "escape":
                self.action_cancel()
            else:
                mode = self.mode
                self.close()
                self.post_message(self.Done(self, mode, self.value))
            return
        await super()._on_key(event)

    def action_cancel(self) -> None:
        mode = self.mode
        self.close()
        self.post_message(self.Cancelled(self, mode))
