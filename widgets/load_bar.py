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
    LoadBar Label { width: 1fr; color: $text-muted; margin-left: 1; }
    """

    def compose(self) -> ComposeResult:
        yield ProgressBar(total=None, show_eta=False, id="load-progress")
        yield Label("", id="load-text")

    _pending: tuple[int, int, str] | None = None

    def on_mount(self) -> None:
        if self._pending is not None:
            self.update_progress(*self._pending)

    def update_progress(self, done: int, known: int, text: str) -> None:
        bars = self.query(ProgressBar)
        labels = self.query("#load-text")
        # Progress can arrive before the children are composed, or while they are being torn
        # down at exit (a refresh timer firing late): keep it for the next mount.
        if not bars or not labels:
            self._pending = (done, known, text)
            return
        bars.first().update(total=max(known, 1) if known else None, progress=done)
        labels.first(Label).update(text)
        self.remove_class("-done")

    def finish(self) -> None:
        self.add_class("-done")

    @property
    def text(self) -> str:
        labels = self.query("#load-text")
        return str(labels.first(Label).render()) if labels else ""
