"""A progress line for a background load: bar, calls done/known, and a short summary."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, ProgressBar


class LoadBar(Horizontal):
    DEFAULT_CSS = """
    LoadBar {
        height: 1;
        background: $boost;
        padding: 0 1;
    }
    LoadBar.-done { display: none; }
    LoadBar ProgressBar { width: 34; }
    LoadBar ProgressBar Bar { width: 20; }
    LoadBar Label { width: 1fr; color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        yield ProgressBar(total=None, show_eta=False, id="load-progress")
        yield Label("", id="load-text")

    def update_progress(self, done: int, known: int, text: str) -> None:
        bar = self.query_one(ProgressBar)
        bar.update(total=max(known, 1) if known else None, progress=done)
        self.query_one("#load-text", Label).update(text)
        self.remove_class("-done")

    def finish(self) -> None:
        self.add_class("-done")

    @property
    def text(self) -> str:
        return str(self.query_one("#load-text", Label).render())
