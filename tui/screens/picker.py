"""A small modal list to pick a profile or a region (typed text filters the list)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option


class PickScreen(ModalScreen[str | None]):
    DEFAULT_CSS = """
    PickScreen { align: center middle; }
    PickScreen > Vertical { width: 60; height: 24; border: thick $accent; background: $surface; }
    PickScreen OptionList { height: 1fr; }
    PickScreen #pick-empty { width: 1fr; color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(
        self, title: str, choices: list[str], current: str | None = None, empty: str = ""
    ) -> None:
        """``empty``: what to say when there is nothing to list (e.g. no AWS config file)."""
        super().__init__()
        self.title_text = title
        self.choices = choices
        self.current = current
        self.empty = empty

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text)
            if not self.choices and self.empty:
                yield Label(self.empty, id="pick-empty")
            yield Input(placeholder="type to filter, or a value not listed", id="pick-input")
            yield OptionList(*self._options(""), id="pick-list")

    def on_mount(self) -> None:
        if self.current in self.choices:  # start on what is in use now
            self.query_one(OptionList).highlighted = self.choices.index(self.current)

    def _options(self, text: str) -> list[Option]:
        text = text.lower()
        return [
            Option(f"{c}{'  (current)' if c == self.current else ''}", id=c)
            for c in self.choices
            if text in c.lower()
        ]

    @on(Input.Changed)
    def _filter(self, event: Input.Changed) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(self._options(event.value))
        options.highlighted = 0 if options.option_count else None

    @on(Input.Submitted)
    def _typed(self, event: Input.Submitted) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None and options.option_count:
            self.dismiss(options.get_option_at_index(options.highlighted).id)
        elif event.value.strip():
            self.dismiss(event.value.strip())

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
