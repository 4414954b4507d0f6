"""App-wide Messages posted by the load workers (dataclasses; the App turns them into UI)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from textual.message import Message


@dataclass
class LoadProgress(Message):
    """The crawl moved on. Coalesced: a newer one replaces an unhandled older one."""

    generation: int
    calls_done: int = 0
    calls_known: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    error_count: int = 0
    phase: str = ""
    inventory: Any = None  # the partial Inventory (shared with the crawler: copy before use)

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, LoadProgress) and message.generation == self.generation


@dataclass
class GraphLoaded(Message):
    """A graph is ready: partial (built while loading) or final."""

    generation: int
    graph: Any
    inventory: Any
    final: bool = True
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class LoadFailed(Message):
    """The whole load failed (credentials, endpoint, unreadable snapshot)."""

    generation: int
    error: BaseException


@dataclass
class ChecksDone(Message):
    """The doctor ran on a loaded graph (and placed a planned ecspresso service, if any).

    ``checked`` is a tui.checks.Checked; ``verify`` says a new :verify asked for this run."""

    generation: int
    checked: Any
    verify: bool = False


@dataclass
class ChecksFailed(Message):
    """The doctor or :verify failed (bad ecspresso path/config, a rule crashed)."""

    generation: int
    error: BaseException
    verify: bool = False
