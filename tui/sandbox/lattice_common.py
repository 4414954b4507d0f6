"""Shared helpers of the Lattice extensions: identifiers, pagination, errors, timestamps.

Extra state lives in ``backend.trellis`` (created on first use) so ``/moto-api/reset``,
which rebuilds every backend, clears it.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any

from moto.core.exceptions import JsonRESTError
from moto.vpclattice.exceptions import ResourceNotFoundException, ValidationException

DEFAULT_PAGE = 50
MAX_PAGE = 100


class ConflictException(JsonRESTError):
    code = 409

    def __init__(self, message: str, resource_id: str = "", resource_type: str = "") -> None:
        super().__init__("ConflictException", message)
        self.description = json.dumps(
            {"message": message, "resourceId": resource_id, "resourceType": resource_type}
        )


class NotFound(ResourceNotFoundException):
    code = 404

    def __init__(self, kind: str, identifier: str) -> None:
        super().__init__(f"{kind} {identifier} not found")


class State:
    """trellis's extra Lattice state for one account+region."""

    def __init__(self) -> None:
        # target group id -> {(target id, port): Target}
        self.targets: dict[str, dict[tuple[str, int | None], Any]] = {}
        self.stamps: dict[str, str] = {}  # resource id -> createdAt, for moto objects without one


def state(backend: Any) -> State:
    st = getattr(backend, "trellis", None)
    if st is None:
        st = State()
        backend.trellis = st
    return st


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


def created_at(backend: Any, obj: Any) -> str:
    """moto's services/networks have no createdAt: stamp them the first time they are seen."""
    for attr in ("created_at", "createdAt"):
        value = getattr(obj, attr, None)
        if value:
            return value
    return state(backend).stamps.setdefault(obj.id, now_iso())


def rid(identifier: str | None) -> str:
    """An ID from an ID or an ARN (every Lattice identifier accepts both)."""
    if not identifier:
        return ""
    return identifier.rsplit("/", 1)[-1] if identifier.startswith("arn:") else identifier


def page(handler: Any, items: list[Any]) -> tuple[list[Any], str | None]:
    """Slice ``items`` by the request's maxResults/nextToken (opaque offset token)."""
    max_results = handler._get_param("maxResults")
    token = handler._get_param("nextToken")
    size = DEFAULT_PAGE if max_results in (None, "") else int(max_results)
    if size < 1 or size > MAX_PAGE:
        raise ValidationException(f"maxResults must be between 1 and {MAX_PAGE}")
    start = 0
    if token:
        try:
            start = int(base64.urlsafe_b64decode(token.encode()).decode().split(":", 1)[1])
        except (ValueError, IndexError, UnicodeDecodeError):
            raise ValidationException("Invalid nextToken") from None
    chunk = items[start : start + size]
    end = start + size
    next_token = None
    if end < len(items):
        next_token = base64.urlsafe_b64encode(f"offset:{end}".encode()).decode()
    return chunk, next_token


def listing(handler: Any, items: list[Any], render: Any) -> str:
    chunk, next_token = page(handler, items)
    body: dict[str, Any] = {"items": [render(item) for item in chunk]}
    if next_token:
        body["nextToken"] = next_token
    return json.dumps(body)


def compact(data: dict[str, Any]) -> dict[str, Any]:
    """Drop empty values: AWS omits absent members rather than sending ""/None."""
    return {k: v for k, v in data.items() if v not in (None, "", {}, [])}


def forward_groups(action: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The weighted target groups of a listener/rule action (empty for fixedResponse)."""
    return list(((action or {}).get("forward") or {}).get("targetGroups") or [])


def service_arns_using(backend: Any, target_group_id: str) -> list[str]:
    """Services whose listener default action or rules forward to the target group."""
    arns: list[str] = []
    listeners = backend.listeners
    for listener in listeners.values():
        if any(rid(g.get("targetGroupIdentifier")) == target_group_id
               for g in forward_groups(listener.default_action)):
            arns.append(listener.service_arn)
    for rule in backend.rules.values():
        if any(rid(g.get("targetGroupIdentifier")) == target_group_id
               for g in forward_groups(rule.action)):
            listener = listeners.get(rule.listener_identifier)
            if listener is not None:
                arns.append(listener.service_arn)
    return sorted(set(arns))
