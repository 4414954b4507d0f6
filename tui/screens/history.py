"""Where the user has been: a back/forward list of (view, node) locations."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    view: str  # "tree" or a `:` view name
    node: str | None = None


class History:
    def __init__(self, limit: int = 200) -> None:
        self.items: list[Location] = []
        self.index = -1
        self.limit = limit

    @property
    def current(self) -> Location | None:
        return self.items[self.index] if 0 <= self.index < len(self.items) else None

    def push(self, location: Location) -> None:
        if self.current == location:
            return
        del self.items[self.index + 1 :]
        self.items.append(location)
        if len(self.items) > self.limit:
            del self.items[0]
        self.index = len(self.items) - 1

    def back(self) -> Location | None:
        if self.index <= 0:
            return None
        self.index -= 1
        return self.current

    def forward(self) -> Location | None:
        if self.index >= len(self.items) - 1:
            return None
        self.index += 1
        return self.current

    def replace_node(self, node: str | None) -> None:
        """The cursor moved within the current view: remember it without a new entry."""
        if self.current is not None:
            self.items[self.index] = Location(self.current.view, node)
