"""The sandbox: moto in-process behind a fault-injecting, request-logging WSGI middleware.

moto keeps its state in process-wide backends, so every Sandbox in one process shares one
account state (each has its own port, faults, request log and health delay). ``start()``
and ``reset()`` clear that shared state and apply the seed.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import socket
import threading
import time
from typing import Any

from tui.config import Connection
from tui.errors import UsageError
from tui.sandbox import control, speedups
from tui.sandbox.faults import Faults, error_response, matches
from tui.sandbox.requestlog import (
    RequestLog,
    make_request,
    operation_of,
    protocol_of,
    service_and_region,
)

ACCESS_KEY = "testing"
SECRET_KEY = "testing"  # noqa: S105 - the sandbox's fixed fake key, never a real secret


class _Middleware:
    """Decides per request: log it, delay it, fault it (without reaching moto) or pass it on."""

    def __init__(self, app: Any, sandbox: Sandbox) -> None:
        self.app = app
        self.sandbox = sandbox

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        path = environ.get("PATH_INFO", "")
        if path.startswith("/moto-api") or path == "/favicon.ico":
            return self.app(environ, start_response)
        if path.startswith(control.PREFIX):
            return control.handle(environ, start_response, self.sandbox, _read_body(environ))
        started = time.perf_counter()
        sb = self.sandbox
        from tui.sandbox.lattice_targets import CONTEXT

        CONTEXT.health_delay = sb.health_delay  # read by the health rule in this thread
        body = _read_body(environ)
        method = environ.get("REQUEST_METHOD", "GET")
        service, region = service_and_region(environ.get("HTTP_AUTHORIZATION", ""))
        operation = operation_of(service, method, path, environ.get("HTTP_X_AMZ_TARGET", ""), body)
        faults = sb.faults
        fault = ""
        if faults.hang_operations and matches(faults.hang_operations, service, operation):
            fault = "hang"
            sb._stopping.wait(faults.hang_seconds)
        elif faults.latency_ms > 0:
            time.sleep(faults.latency_ms / 1000.0)
            fault = "latency"

        kind = ""
        if fault == "hang":
            kind = "drop"
        elif faults.deny_operations and matches(faults.deny_operations, service, operation):
            kind = "deny"
        elif faults.rate_limited(service, operation) or faults.roll(faults.throttle_rate):
            kind = "throttle"
        elif faults.roll(faults.error_rate):
            kind = "error"
        elif faults.roll(faults.drop_rate):
            kind = "drop"

        def log(status: int) -> None:
            elapsed = (time.perf_counter() - started) * 1000.0
            sb.request_log.add(
                make_request(
                    service,
                    operation,
                    method,
                    path,
                    status,
                    region=region,
                    fault="hang" if fault == "hang" else kind or fault,
                    duration_ms=elapsed,
                )
            )

        if kind == "drop":
            log(0)
            _drop(environ)
        if kind:
            status, headers, payload = error_response(
                kind, protocol_of(service), service, operation
            )
            headers.append(("Content-Length", str(len(payload))))
            log(status)
            start_response(f"{status} {kind}", headers)
            return [payload]

        captured: dict[str, int] = {}

        def capture(status: str, headers: Any, exc_info: Any = None) -> Any:
            captured["status"] = int(status.split(" ", 1)[0])
            return start_response(status, headers, exc_info)

        result = self.app(environ, capture)
        log(captured.get("status", 0))
        return result


def _read_body(environ: dict[str, Any]) -> bytes:
    """Read the body once and put it back, so moto still sees it."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    body = environ["wsgi.input"].read(length) if length > 0 else b""
    environ["wsgi.input"] = io.BytesIO(body)
    return body


def _drop(environ: dict[str, Any]) -> None:
    """Close the TCP connection without a response (the client sees a reset)."""
    sock = environ.get("werkzeug.socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
    raise ConnectionResetError("sandbox fault: connection dropped")


def _check_port_free(port: int) -> None:
    if not port:
        return  # 0: the OS picks a free one
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as werkzeug's own bind
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as error:
            raise UsageError(
                f"cannot listen on 127.0.0.1:{port}: {error.strerror} (pick another --port, "
                "or omit it for a free one)"
            ) from None


class Sandbox:
    """moto server on 127.0.0.1 with trellis's extensions, faults and request log."""

    def __init__(
        self,
        seed: str = "none",
        port: int = 0,
        region: str = "us-east-1",
        faults: Faults | None = None,
        health_delay: float = 2.0,
    ) -> None:
        self.seed = seed
        self.port = port
        self.region = region
        self.faults = faults if faults is not None else Faults()
        self.health_delay = health_delay
        self.request_log = RequestLog()
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> Sandbox:
        if self._server is not None:
            return self
        prepare_moto()
        from moto.moto_server.werkzeug_app import (
            DomainDispatcherApplication,
            MotoRequestHandler,
            create_backend_app,
        )
        from werkzeug.serving import make_server

        _KeepAliveHandler = keep_alive_handler(MotoRequestHandler)
        dispatcher = speedups.cached_dispatcher(DomainDispatcherApplication)
        app = _Middleware(dispatcher(create_backend_app), self)
        _check_port_free(self.port)  # werkzeug would print two lines and sys.exit(1)
        try:
            self._server = make_server(
                "127.0.0.1", self.port, app, threaded=True, request_handler=_KeepAliveHandler
            )
        except OSError as error:
            raise UsageError(f"cannot listen on 127.0.0.1:{self.port}: {error.strerror}") from None
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._stopping.clear()
        self._thread = threading.Thread(
            target=self._server.serve_forever, name=f"sandbox:{self.port}", daemon=True
        )
        self._thread.start()
        try:
            self.reset(self.seed)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._stopping.set()  # wakes hanging requests
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def reset(self, seed: str = "none") -> None:
        """Clear all moto state (extensions keep theirs on the backends) and apply ``seed``."""
        reset_moto_state()
        self.seed = seed
        if seed and seed != "none":
            try:
                from tui.sandbox.seeds import apply_seed
            except ImportError:
                raise UsageError(f"seed {seed!r} is not available in this build") from None
            apply_seed(seed, self.endpoint_url, self.region)
            from tui.sandbox.lattice_targets import settle_all_targets

            settle_all_targets()

    # -- access ----------------------------------------------------------------------------
    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def connection(self) -> Connection:
        return Connection(
            region=self.region,
            endpoint_url=self.endpoint_url,
            access_key=ACCESS_KEY,
            secret_key=SECRET_KEY,
        )

    def client(self, name: str, max_attempts: int = 1, mode: str = "standard", **config: Any):
        """A boto3 client on this sandbox; by default one attempt (an error fails fast)."""
        import boto3
        from botocore.config import Config

        cfg = Config(retries={"mode": mode, "total_max_attempts": max_attempts}, **config)
        return boto3.client(
            name,
            region_name=self.region,
            endpoint_url=self.endpoint_url,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            config=cfg,
        )


def keep_alive_handler(base: type) -> type:
    """moto's request handler serving many requests per connection, as AWS endpoints do.

    werkzeug's dev server answers every request with ``Connection: close`` (measured: one TCP
    connect and one new server thread per SDK call), so ``run_wsgi`` is replaced for plain
    requests: the body is read in full (``Content-Length``), the answer buffered and sent with
    its length, and the connection stays open unless the client asked to close it. Chunked or
    ``Expect`` requests go to werkzeug's own code, which closes the connection after them.
    """

    class KeepAliveHandler(base):  # type: ignore[misc,valid-type]
        protocol_version = "HTTP/1.1"
        timeout = 120  # an idle keep-alive connection frees its thread after this

        def run_wsgi(self) -> None:
            headers = self.headers
            if headers.get("Transfer-Encoding") or headers.get("Expect"):
                self.close_connection = True
                return super().run_wsgi()
            environ = self.make_environ()
            try:
                length = int(headers.get("Content-Length") or 0)
            except ValueError:
                length = 0
            environ["wsgi.input"] = io.BytesIO(self.rfile.read(length) if length > 0 else b"")
            started: list[Any] = []
            chunks: list[bytes] = []

            def start_response(status: str, response_headers: Any, exc_info: Any = None) -> Any:
                if exc_info and started:
                    raise exc_info[1].with_traceback(exc_info[2])
                started[:] = [status, response_headers]
                return chunks.append

            try:
                result = self.server.app(environ, start_response)
                try:
                    chunks.extend(result)
                finally:
                    if hasattr(result, "close"):
                        result.close()
            except (ConnectionError, OSError):  # a dropped connection (fault) or a gone client
                self.close_connection = True
                return None
            except Exception:  # noqa: BLE001 - what werkzeug does: a 500, then close
                self.close_connection = True
                started[:] = ["500 INTERNAL SERVER ERROR", [("Content-Type", "text/plain")]]
                chunks[:] = [b"Internal Server Error"]
            status, response_headers = started
            code, _, reason = status.partition(" ")
            payload = b"".join(chunks)
            self.send_response(int(code), reason)
            for key, value in response_headers:
                if key.lower() not in ("content-length", "connection", "transfer-encoding"):
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            if self.close_connection:
                self.send_header("Connection", "close")
            # Head and body in one write: two small writes on a kept-alive connection meet
            # Nagle's algorithm and the client's delayed ACK (40 ms per request, measured).
            self._headers_buffer.append(b"\r\n")
            if environ["REQUEST_METHOD"] != "HEAD" and payload:
                self._headers_buffer.append(payload)
            self.flush_headers()
            return None

        def setup(self) -> None:
            super().setup()
            with contextlib.suppress(OSError):
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    return KeepAliveHandler


_prepared = threading.Lock()
_done = False


def prepare_moto() -> None:
    """Process-wide, once: env moto reads, quiet logs, and the runtime extensions."""
    global _done
    with _prepared:
        if _done:
            return
        os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"
        os.environ.setdefault("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")  # trellis needs no AMIs
        logging.getLogger("werkzeug").setLevel(logging.CRITICAL)
        from tui.sandbox import ecs_ext, lattice_ext

        lattice_ext.install()
        ecs_ext.install()
        speedups.install()
        _slim_iam_policies()
        _done = True


# AWS managed policies an ECS + Lattice account references. moto builds all 1,582 for every
# IAM backend (~1 s, paid again after each reset); these few keep a reset in milliseconds.
_POLICY_WORDS = (
    "ECS",
    "Lattice",
    "ContainerRegistry",
    "ECR",
    "CloudWatchLogs",
    "LambdaBasic",
    "ReadOnlyAccess",
    "AdministratorAccess",
    "PowerUserAccess",
)
ALL_POLICIES_ENV = "TRELLIS_SANDBOX_ALL_MANAGED_POLICIES"


def _slim_iam_policies() -> None:
    import json

    from moto.iam.aws_managed_policies import aws_managed_policies_data
    from moto.iam.models import AWSManagedPolicy, IAMBackend

    if os.environ.get(ALL_POLICIES_ENV):
        return
    data = {
        name: doc
        for name, doc in json.loads(aws_managed_policies_data).items()
        if any(word in name for word in _POLICY_WORDS)
    }

    def init_aws_policies(self: Any) -> list[Any]:
        return [
            AWSManagedPolicy.from_data(name, self.account_id, self.region_name, doc)
            for name, doc in data.items()
        ]

    IAMBackend._init_aws_policies = init_aws_policies


def reset_moto_state() -> None:
    """Drop every backend (moto rebuilds them lazily on next use) and model tracking.

    moto's own /moto-api/reset re-initialises each backend before dropping it, which costs
    seconds (EC2 AMIs, IAM policies per partition) for nothing.
    """
    from moto.core.base_backend import BackendDict, backend_lock
    from moto.core.model_instances import reset_model_data
    from moto.moto_api import state_manager

    with backend_lock:
        for backends in BackendDict._instances:
            backends.clear()
        BackendDict._instances.clear()
    reset_model_data()
    # ECS tasks advance a state on each describe; keep them RUNNING like real service tasks.
    state_manager.set_transition(
        model_name="ecs::task", transition={"progression": "manual", "times": 10**9}
    )
