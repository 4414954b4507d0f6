"""Fault injection for the sandbox: what to break, and the exact error each protocol returns.

A ``Faults`` object is read by the server middleware on every request, so tests (and the
``trellis sandbox`` flags) can change it while the server runs. A faulted request never
reaches moto: a retried write is therefore applied at most once, as with real AWS throttling.

Error shapes follow what botocore parses for each protocol, so its retry modes see them as
AWS errors: rest-json (vpc-lattice) uses the ``x-amzn-ErrorType`` header and HTTP status;
json (ecs) a ``__type`` body; ec2 an ``<Response><Errors>`` document; query (iam, sts) an
``<ErrorResponse>`` document.
"""

from __future__ import annotations

import json
import random
import threading
import uuid
from dataclasses import dataclass, field

from tui.sandbox.ratelimit import RateLimits

# (code, HTTP status) per protocol and fault kind.
_CODES = {
    "rest-json": {
        "throttle": ("ThrottlingException", 429),
        "deny": ("AccessDeniedException", 403),
        "error": ("InternalServerException", 500),
    },
    "json": {
        "throttle": ("ThrottlingException", 400),
        "deny": ("AccessDeniedException", 400),
        "error": ("ServerException", 500),
    },
    "ec2": {
        "throttle": ("RequestLimitExceeded", 503),
        "deny": ("UnauthorizedOperation", 403),
        "error": ("InternalError", 500),
    },
    "query": {
        "throttle": ("Throttling", 400),
        "deny": ("AccessDenied", 403),
        "error": ("ServiceFailure", 500),
    },
}

_MESSAGES = {
    "throttle": "Rate exceeded",
    "deny": "User: arn:aws:iam::123456789012:user/sandbox is not authorized to perform: {action}",
    "error": "We encountered an internal error. Please try again.",
}


@dataclass
class Faults:
    """What the sandbox breaks. Rates are probabilities in [0, 1] per request.

    ``deny_operations`` / ``hang_operations`` hold patterns: ``"ListTargets"``,
    ``"vpc-lattice:ListTargets"``, ``"vpc-lattice:Get*"`` (a prefix), ``"ecs:*"`` or ``"*"``.
    """

    latency_ms: float = 0.0
    throttle_rate: float = 0.0
    error_rate: float = 0.0
    drop_rate: float = 0.0
    deny_operations: set[str] = field(default_factory=set)
    hang_operations: set[str] = field(default_factory=set)
    hang_seconds: float = 60.0
    seed: int | None = None
    # Token buckets like AWS's (tui.sandbox.ratelimit): an empty bucket answers throttled.
    rate_limits: RateLimits | None = None
    _rng: random.Random = field(default=None, repr=False, compare=False)  # type: ignore[assignment]
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name in ("throttle_rate", "error_rate", "drop_rate"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, got {value}")
        if self.latency_ms < 0:
            raise ValueError("latency_ms must not be negative")
        self._rng = random.Random(self.seed)

    def reseed(self, seed: int | None) -> None:
        with self._lock:
            self.seed = seed
            self._rng = random.Random(seed)

    def roll(self, rate: float) -> bool:
        """One draw of the shared RNG (locked: the server is threaded)."""
        if rate <= 0:
            return False
        with self._lock:
            return self._rng.random() < rate

    @property
    def active(self) -> bool:
        return bool(
            self.latency_ms
            or self.throttle_rate
            or self.error_rate
            or self.drop_rate
            or self.deny_operations
            or self.hang_operations
            or self.rate_limits
        )

    def rate_limited(self, service: str, operation: str) -> bool:
        """True when the request's bucket is empty (it takes a token otherwise)."""
        limits = self.rate_limits
        return bool(limits) and not limits.take(service, operation)


def matches(patterns: set[str], service: str, operation: str) -> bool:
    """True if ``service:operation`` is named by any pattern (bare op names match any service)."""
    for pattern in patterns:
        svc, _, op = pattern.rpartition(":")
        if svc and svc != service and svc != "*":
            continue
        if op in ("*", operation) or (op.endswith("*") and operation.startswith(op[:-1])):
            return True
    return False


def error_response(
    kind: str, protocol: str, service: str, operation: str
) -> tuple[int, list[tuple[str, str]], bytes]:
    """(status, headers, body) of an AWS error of ``kind`` (throttle|deny|error) for a protocol."""
    code, status = _CODES.get(protocol, _CODES["rest-json"])[kind]
    message = _MESSAGES[kind].format(action=f"{service}:{operation}")
    request_id = str(uuid.uuid4())
    headers = [("x-amzn-RequestId", request_id)]
    if protocol in ("ec2", "query"):
        if protocol == "ec2":
            body = (
                f"<?xml version='1.0' encoding='UTF-8'?><Response><Errors><Error>"
                f"<Code>{code}</Code><Message>{message}</Message></Error></Errors>"
                f"<RequestID>{request_id}</RequestID></Response>"
            )
        else:
            body = (
                f"<ErrorResponse><Error><Type>{'Sender' if status < 500 else 'Receiver'}</Type>"
                f"<Code>{code}</Code><Message>{message}</Message></Error>"
                f"<RequestId>{request_id}</RequestId></ErrorResponse>"
            )
        headers.append(("Content-Type", "text/xml"))
        return status, headers, body.encode()
    if protocol == "json":
        payload = {"__type": code, "message": message}
        headers.append(("Content-Type", "application/x-amz-json-1.1"))
    else:  # rest-json
        payload = {"message": message}
        headers.append(("Content-Type", "application/json"))
        headers.append(("x-amzn-ErrorType", code))
        if kind == "throttle":
            # Lattice's ThrottlingException carries retryAfterSeconds in Retry-After.
            headers.append(("Retry-After", "0"))
    return status, headers, json.dumps(payload).encode()
