"""The watch's pure parts: which service events are news."""

from __future__ import annotations

from datetime import UTC, datetime

from tui.wizard.watch import fresh_events

T0 = datetime(2026, 12, 1, 12, 0, 0, tzinfo=UTC).timestamp()


def event(ident: str, seconds: float, message: str, iso: bool = False) -> dict:
    when = datetime.fromtimestamp(T0 + seconds, UTC)
    return {"id": ident, "createdAt": when.isoformat() if iso else when, "message": message}


def test_events_from_before_the_watch_are_not_replayed():
    events = [event("b", 5, "has started 2 tasks"), event("a", -60, "has reached a steady state")]
    assert fresh_events(events, set(), T0) == ["has started 2 tasks"]


def test_each_event_is_shown_once_oldest_first():
    seen: set[str] = set()
    first = [event("b", 2, "registered targets", iso=True), event("a", 1, "started tasks")]
    assert fresh_events(first, seen, T0) == ["started tasks", "registered targets"]
    again = [event("c", 9, "steady state"), *first]
    assert fresh_events(again, seen, T0) == ["steady state"]


def test_events_without_a_time_still_show():
    assert fresh_events([{"id": "x", "message": "odd"}], set(), T0) == ["odd"]
