"""A scrollable view of one Rich renderable, rendered once to lines and painted from them.

A ``Static`` inside a ``VerticalScroll`` changes height with every new content: the screen
lays out, the Static's size changes, and the screen lays out again on the next frame (each
pass re-arranges every widget). This view keeps its own size (it fills its container) and
only its scrollable height changes, so new content costs one render to lines and at most one
layout pass. It renders again at a new width.
"""

from __future__ import annotations

from rich.console import RenderableType
from rich.segment import Segment
from rich.text import Text
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip


class RenderedView(ScrollView, can_focus=True):
    DEFAULT_CSS = """
    RenderedView { height: 1fr; overflow-y: scroll; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._content: RenderableType = Text("")
        self._lines: list[Strip] = []
        self._rendered_width = -1

    @property
    def plain(self) -> str:
        """The text shown, without styles (one line per row)."""
        self._ensure_lines()
        return "\n".join(strip.text.rstrip() for strip in self._lines)

    def update(self, content: RenderableType, home: bool = True) -> None:
        """Show ``content``; ``home=False`` keeps the scroll position (same node, reloaded)."""
        self._content = content
        self._rendered_width = -1
        self._ensure_lines()
        if home:
            self.scroll_to(0, 0, animate=False)
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._rendered_width = -1  # the lines carry the old theme's colours: render again

    def _ensure_lines(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0 or width == self._rendered_width:
            return
        console = self.app.console
        options = console.options.update_width(width)
        lines = console.render_lines(self._content, options, style=self.rich_style, pad=False)
        self._lines = [Strip(Segment.simplify(line)) for line in lines]
        self._rendered_width = width
        self.virtual_size = Size(max((s.cell_length for s in self._lines), default=0), len(lines))

    def on_resize(self) -> None:
        self._ensure_lines()

    def render_line(self, y: int) -> Strip:
        self._ensure_lines()
        scroll_x, scroll_y = self.scroll_offset
        index = y + scroll_y
        width = self.scrollable_content_region.width
        if index >= len(self._lines):
            return Strip.blank(width, self.rich_style)
        return self._lines[index].crop_extend(scroll_x, scroll_x + width, self.rich_style)
