"""The watch's pure parts: which service events are news."""

from __future__ import annotations

from datetime import UTC, datetime

from tui.wizard.watch import events_since, fresh_events

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


def test_the_change_begins_at_the_primary_deployment_on_aws_clock():
    created = datetime.fromtimestamp(T0 + 30, UTC)
    service = {"deployments": [{"status": "ACTIVE", "createdAt": datetime.fromtimestamp(T0, UTC)},
                               {"status": "PRIMARY", "createdAt": created}]}
    since = events_since(service)
    assert since == T0 + 29  # a second's margin for events stamped with the deployment
    events = [event("new", 31, "has started 1 tasks"), event("old", 10, "steady state")]
    assert fresh_events(events, set(), since) == ["has started 1 tasks"]


def test_events_without_ids_are_told_apart_by_time_and_message():
    events = [{"createdAt": "2026-12-01T12:00:02+00:00", "message": "b"},
              {"createdAt": "2026-12-01T12:00:01+00:00", "message": "a"}]
    assert fresh_events(events, set(), T0) == ["a", "b"]
