"""The App's header and what it says about loads (mixed into TrellisApp).

A refresh that fails — the call raised, or every call failed so nothing at all came back —
never replaces the graph on screen: the last good graph stays, the header says
"refresh failed HH:MM:SS · showing data loaded HH:MM:SS" until a load succeeds again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any


def _stamp(when: float) -> str:
    return datetime.fromtimestamp(when).strftime("%H:%M:%S")


def nothing_loaded(inventory: Any) -> bool:
    """True when a load brought back no resource at all and at least one failed call."""
    invs = inventory if isinstance(inventory, list) else [inventory]
    errors = any(getattr(inv, "errors", None) for inv in invs)
    return errors and not any(any((getattr(i, "records", {}) or {}).values()) for i in invs)


def _several(word: str, values: list[str]) -> str:
    if len(values) <= 1:
        return f"{word} {values[0] if values else '…'}"
    return f"{word}s {', '.join(values)}"


class StatusMixin:
    """Needs from the App: graph, inventory, source, config, meta, loaded_at, loading, clock,
    check_segments, notify, _ui, explorer."""

    refresh_failed_at: float | None = None
    refresh_error: str = ""

    def refresh_failed(self: Any, reason: str) -> None:
        """A reload failed while a good graph is on screen: keep it, and say so."""
        self.refresh_failed_at = self.clock()
        self.refresh_error = reason
        shown = f"the data loaded at {_stamp(self.loaded_at)}" if self.loaded_at else "old data"
        self.notify(
            f"refresh failed: {reason}\nstill showing {shown}",
            title="Refresh failed",
            severity="error",
            timeout=10,
        )
        self.refresh_header()

    def refresh_succeeded(self: Any) -> None:
        self.refresh_failed_at = None
        self.refresh_error = ""

    def _places(self: Any) -> tuple[list[str], list[str]]:
        info = self.graph.graph if self.graph is not None else {}
        conn = self.source.connection
        account = info.get("account") or getattr(self.inventory, "account", "")
        accounts = list(info.get("accounts") or ([account] if account else []))
        regions = list(info.get("regions") or [info.get("region") or conn.region or "…"])
        return accounts, regions

    def header_segments(self: Any) -> list[tuple[str, str]]:
        conn = self.source.connection
        graph_info = self.graph.graph if self.graph is not None else {}
        accounts, regions = self._places()
        segments = [(_several("account", accounts), ""), (_several("region", regions), "")]
        segments += self.check_segments()  # the doctor's error count, a planned service
        if self.source.mode == "snapshot":
            # Minutes are enough to tell snapshots apart; the full stamp is in the file.
            created = str(self.meta.get("created_at") or "?")[:16].replace("T", " ")
            segments.append((f"snapshot from {created}", "bold black on yellow"))
        elif self.source.mode == "demo":
            segments.append(("demo sandbox", "bold black on cyan"))
        else:
            segments.append((f"profile {conn.profile or 'default'}", ""))
        if self.config.read_only or self.source.mode == "snapshot":
            segments.append(("read-only", "bold black on yellow"))
        if self.refresh_failed_at is not None:
            segments.append(
                (f"refresh failed {_stamp(self.refresh_failed_at)}", "bold white on red")
            )
        if self.loaded_at is not None:
            word = "showing data loaded" if self.refresh_failed_at is not None else "loaded"
            segments.append((f"{word} {_stamp(self.loaded_at)}", "dim"))
        elif self.loading:
            segments.append(("loading…", "italic"))
        errors = len(graph_info.get("errors", []) or [])
        word = "load error" if errors == 1 else "load errors"
        segments.append((f"{errors} {word}", "bold red" if errors else "green"))
        return segments

    def refresh_header(self: Any) -> None:
        if self._ui() is not None:
            self.explorer.query_one("#header").set_segments(self.header_segments())
