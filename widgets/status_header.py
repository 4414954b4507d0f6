"""A one-line header made of styled segments (title, badges, facts). Knows nothing of AWS."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

Segment = tuple[str, str]  # (text, rich style)


class StatusHeader(Static):
    DEFAULT_CSS = """
    StatusHeader {
        height: 1;
        background: $panel;
        color: $foreground;
        padding: 0 1;
    }
    """

    def __init__(self, title: str = "", **kwargs) -> None:
        super().__init__(**kwargs)
        self.title_text = title
        self.segments: list[Segment] = []

    def set_segments(self, segments: list[Segment]) -> None:
        self.segments = list(segments)
        text = Text(self.title_text, "bold")
        for value, style in self.segments:
            text.append(" │ ", "dim")
            text.append(value, style)
        self.update(text)

    @property
    def plain(self) -> str:
        return " │ ".join([self.title_text, *(value for value, _ in self.segments)])
