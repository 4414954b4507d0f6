"""Which AWS operation a raw HTTP request is, and a thread-safe log of them.

The service comes from the SigV4 credential scope in ``Authorization``; the operation from
``X-Amz-Target`` (json protocol: ECS), ``Action=`` (query/ec2: IAM, EC2, STS) or, for REST
protocols (vpc-lattice), the method + path matched against botocore's own service model.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field
from functools import cache, lru_cache
from urllib.parse import parse_qs

from tui.aws.readonly import is_read_operation

_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/(?P<region>[^/]+)/(?P<service>[^/]+)/aws4_request")


@dataclass(frozen=True)
class Request:
    service: str
    operation: str
    method: str
    path: str
    status: int
    is_write: bool
    region: str = ""
    fault: str = ""  # "", "latency", "throttle", "deny", "error", "drop", "hang"
    duration_ms: float = 0.0
    at: float = field(default_factory=time.time)


class RequestLog:
    """Every API request the sandbox served (moto-api calls excluded), in arrival order."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[Request] = []

    def add(self, request: Request) -> None:
        with self._lock:
            self._entries.append(request)

    def entries(self) -> list[Request]:
        with self._lock:
            return list(self._entries)

    def writes(self) -> list[Request]:
        """Attempted mutating calls (whatever their outcome, faulted ones included)."""
        return [r for r in self.entries() if r.is_write]

    def operations(self, service: str | None = None) -> list[str]:
        return [r.operation for r in self.entries() if service in (None, r.service)]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)


def service_and_region(authorization: str) -> tuple[str, str]:
    match = _SCOPE.search(authorization or "")
    if not match:
        return "", ""
    return match.group("service"), match.group("region")


# SigV4 signing names whose botocore model is filed under another name.
_MODEL_NAMES = {"elasticloadbalancing": "elbv2", "monitoring": "cloudwatch"}


@cache
def _model(service: str):  # -> botocore ServiceModel | None
    try:
        return _session().get_service_model(_MODEL_NAMES.get(service, service))
    except Exception:  # unknown service: no model, no protocol
        return None


@lru_cache(maxsize=1)
def _session():
    import botocore.session

    return botocore.session.get_session()


def protocol_of(service: str) -> str:
    model = _model(service)
    return model.protocol if model is not None else "rest-json"


@cache
def _rest_routes(service: str) -> list[tuple[str, re.Pattern[str], str]]:
    """(method, path regex, operation) from the model, most literal paths first."""
    model = _model(service)
    if model is None:
        return []
    routes = []
    for name in model.operation_names:
        http = model.operation_model(name).http
        uri = http.get("requestUri", "/").split("?")[0]
        literal = len(re.sub(r"\{[^}]+\}", "", uri))
        pattern = re.sub(r"\{[^}]+\+\}", ".+", uri)
        pattern = re.sub(r"\{[^}]+\}", "[^/]+", pattern)
        routes.append((literal, http.get("method", "GET"), re.compile(f"^{pattern}/?$"), name))
    routes.sort(key=lambda r: -r[0])
    return [(method, regex, name) for _, method, regex, name in routes]


def rest_operation(service: str, method: str, path: str) -> str:
    for route_method, regex, name in _rest_routes(service):
        if route_method == method and regex.match(path):
            return name
    return ""


def operation_of(service: str, method: str, path: str, target: str, body: bytes) -> str:
    if target:
        return target.rsplit(".", 1)[-1]
    protocol = protocol_of(service)
    if protocol in ("query", "ec2"):
        try:
            form = parse_qs(body.decode("utf-8", "replace"))
        except ValueError:
            form = {}
        return (form.get("Action") or [""])[0]
    return rest_operation(service, method, path)


def make_request(
    service: str, operation: str, method: str, path: str, status: int, **extra
) -> Request:
    writes = bool(operation) and not is_read_operation(operation)
    return Request(service, operation, method, path, status, writes, **extra)
