"""The sandbox's own control API, for benchmarks and scripts driving a sandbox in another process.

    GET  /_trellis/stats       {"requests", "cpu_seconds", "by_fault", "by_operation", ...}
    GET  /_trellis/log         every logged request as a JSON object
    POST /_trellis/log/clear   empty the request log
    POST /_trellis/faults      replace the faults, e.g. {"latency_ms": 30,
                               "rate_limits": {"ecs": "aws", "vpc-lattice": [50, 25]}}

``cpu_seconds`` is the server process's CPU time (all threads), so a caller can work out the
server's own CPU per request from two readings.
"""

from __future__ import annotations

import dataclasses
import json
import threading
import time
from collections import Counter
from typing import Any

from tui.sandbox.faults import Faults
from tui.sandbox.ratelimit import RateLimits

PREFIX = "/_trellis/"
_FAULT_FIELDS = {"latency_ms", "throttle_rate", "error_rate", "drop_rate", "hang_seconds", "seed"}


def faults_from_json(data: dict[str, Any]) -> Faults:
    unknown = set(data) - _FAULT_FIELDS - {"deny_operations", "hang_operations", "rate_limits"}
    if unknown:
        raise ValueError(f"unknown fault fields: {sorted(unknown)}")
    kwargs: dict[str, Any] = {k: data[k] for k in _FAULT_FIELDS if k in data}
    for key in ("deny_operations", "hang_operations"):
        kwargs[key] = set(data.get(key, ()))
    if data.get("rate_limits"):
        kwargs["rate_limits"] = RateLimits.parse(data["rate_limits"])
    return Faults(**kwargs)


def _stats(sandbox: Any) -> dict[str, Any]:
    entries = sandbox.request_log.entries()
    return {
        "requests": len(entries),
        "cpu_seconds": time.process_time(),
        "threads": threading.active_count(),
        "by_fault": dict(Counter(r.fault or "ok" for r in entries)),
        "by_operation": dict(Counter(f"{r.service}:{r.operation}" for r in entries)),
        "server_ms": sum(r.duration_ms for r in entries),
    }


def handle(environ: dict[str, Any], start_response: Any, sandbox: Any, body: bytes) -> list[bytes]:
    route = (environ.get("REQUEST_METHOD", "GET"), environ.get("PATH_INFO", "")[len(PREFIX):])
    status, payload = "200 OK", {}
    try:
        if route == ("GET", "stats"):
            payload = _stats(sandbox)
        elif route == ("GET", "log"):
            payload = [dataclasses.asdict(r) for r in sandbox.request_log.entries()]
        elif route == ("POST", "log/clear"):
            sandbox.request_log.clear()
        elif route == ("POST", "faults"):
            sandbox.faults = faults_from_json(json.loads(body or b"{}"))
        else:
            status, payload = "404 Not Found", {"error": f"no control route {route}"}
    except (ValueError, TypeError) as exc:
        status, payload = "400 Bad Request", {"error": str(exc)}
    data = json.dumps(payload).encode()
    start_response(status, [("Content-Type", "application/json"),
                            ("Content-Length", str(len(data)))])
    return [data]
