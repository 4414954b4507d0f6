"""The shared state of one crawl: bounded calls, error capture, de-duplication, progress.

Fetcher modules (lattice, ecs, ec2, iam) only talk to AWS through ``CrawlContext.call`` and
``CrawlContext.pages``: every request holds one slot of a semaphore (``max_concurrency``),
is counted (calls known / done), and a failure becomes a LoadError instead of an exception.
"""

from __future__ import annotations

import asyncio
import contextvars
import datetime as _dt
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from botocore import xform_name
from botocore.exceptions import (
    ClientError,
    ConnectTimeoutError,
    ReadTimeoutError,
)

from tui.aws.pacing import Pacer
from tui.aws.slots import LEAF, LIST, UNLOCKS, PrioritySlots
from tui.errors import TrellisError
from tui.model.inventory import Inventory, LoadError

# Continuation tokens of the paginated APIs trellis uses (Lattice/ECS, EC2, IAM). Measured:
# pacing the paginator's final, request-less step wasted a third of Lattice's rate.
_NEXT_TOKENS = ("nextToken", "NextToken", "Marker", "NextMarker")
NOT_FOUND = frozenset({"ResourceNotFoundException", "NoSuchEntity", "NotFoundException"})
PROGRESS_INTERVAL = 0.05  # seconds between progress callbacks (the last one is always sent)
# How many calls had to answer before this one could be sent (tasks inherit it when spawned).
_DEPTH: contextvars.ContextVar[int] = contextvars.ContextVar("trellis_call_depth", default=0)


@dataclass
class Progress:
    """A crawl's state, as often as ``PROGRESS_INTERVAL`` allows. ``inventory`` is live."""

    calls_done: int
    calls_known: int
    counts: dict[str, int]
    errors: int
    inventory: Inventory
    finished: bool = False
    elapsed: float = 0.0
    chain: int = 0  # longest chain of dependent calls so far
    retries: int = 0  # SDK retries (attempts after the first), all calls
    max_retries: int = 0  # most retries any one call needed
    peak_in_flight: int = 0


def clean(value: Any) -> Any:
    """JSON-able copy of an API response: datetimes → ISO strings, no ResponseMetadata."""
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items() if k != "ResponseMetadata"}
    if isinstance(value, list):
        return [clean(v) for v in value]
    if isinstance(value, _dt.datetime | _dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value


def _one_line(message: str, status: int | None) -> str:
    text = " ".join(str(message).split())
    if text.startswith("<"):  # an HTML error page, not an AWS error document
        return f"HTTP {status} with an HTML body, not an AWS error (operation unsupported here?)"
    return text[:300]


def describe_failure(exc: BaseException) -> tuple[str, str]:
    """(code, one-line message) of a failed call, never including credentials."""
    if isinstance(exc, ClientError):
        err = exc.response.get("Error", {})
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        code = str(err.get("Code") or "")
        if not code or code.isdigit():
            code = f"HTTP{status or code}"
        return code, _one_line(err.get("Message") or str(exc), status)
    if isinstance(exc, ReadTimeoutError | ConnectTimeoutError | asyncio.TimeoutError):
        return "Timeout", _one_line(str(exc) or "the call did not answer in time", None)
    return type(exc).__name__, _one_line(str(exc), None)


@dataclass
class CrawlContext:
    clients: dict[str, Any]
    max_concurrency: int
    on_progress: Callable[[Progress], None] | None = None
    inventory: Inventory = field(default_factory=Inventory)
    calls_done: int = 0
    calls_known: int = 0
    call_deadline: float | None = None
    pacer: Pacer | None = None

    def __post_init__(self) -> None:
        self.slots = PrioritySlots(self.max_concurrency)
        self.chain = self.retries = self.max_retries = 0
        self.tg: asyncio.TaskGroup | None = None
        self.seen: dict[str, set[str]] = defaultdict(set)  # per-kind de-duplication
        self._once: dict[Any, asyncio.Task[Any]] = {}
        self._started = time.monotonic()
        self._last_emit = 0.0

    # -- tasks --------------------------------------------------------------------------
    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Run ``coro`` inside the crawl's TaskGroup (set by the loader)."""
        assert self.tg is not None, "spawn() outside a crawl"
        return self.tg.create_task(coro)

    def once(self, key: Any, make: Callable[[], Coroutine[Any, Any, Any]]) -> Awaitable[Any]:
        """Start ``make()`` the first time ``key`` is seen; every caller awaits the same task."""
        task = self._once.get(key)
        if task is None:
            task = self._once[key] = self.spawn(make())
        return task

    # -- calls --------------------------------------------------------------------------
    def error(self, service: str, op: str, resource: str, code: str, msg: str, kind: str) -> None:
        self.inventory.errors.append(LoadError(service, op, resource, code, msg, kind))

    async def call(
        self,
        service: str,
        op: str,
        *,
        kind: str,
        resource: str = "",
        missing_ok: bool = False,
        unlocks: bool = False,
        **params: Any,
    ) -> dict[str, Any] | None:
        """One API call; the cleaned response, or None after recording a LoadError.

        ``missing_ok``: a NotFound answer means "there is none" (None, no error recorded).
        ``unlocks``: the answer starts more calls, so it goes before leaf calls.
        """
        method = getattr(self.clients[service], xform_name(op))
        self.calls_known += 1
        depth = self._depth()
        try:
            await self._pace(service, op)
            async with self.slots.slot(UNLOCKS if unlocks else LEAF):
                response = await self._bounded(method(**params))
            self._count(response)
        except TrellisError:
            raise
        except Exception as exc:  # noqa: BLE001 - every failure is data, not a crash
            self._count(getattr(exc, "response", None))
            code, message = describe_failure(exc)
            if not (missing_ok and code in NOT_FOUND):
                self.error(service, op, resource, code, message, kind)
            return None
        finally:
            _DEPTH.set(depth)
            self.calls_done += 1
            self.emit()
        return clean(response)

    async def pages(
        self, service: str, op: str, *, kind: str, resource: str = "", **params: Any
    ) -> AsyncIterator[dict[str, Any]]:
        """Each page of a botocore paginator as soon as it arrives (one call each)."""
        paginator = self.clients[service].get_paginator(xform_name(op))
        pages = paginator.paginate(**params).__aiter__()
        more = True  # False once a page carries no continuation token
        while True:
            self.calls_known += 1
            depth = self._depth()
            try:
                if more:  # the paginator's last step sends nothing: it needs no token
                    await self._pace(service, op)
                async with self.slots.slot(LIST):
                    page = await self._bounded(pages.__anext__())
                self._count(page)
            except StopAsyncIteration:
                self.calls_known -= 1  # the paginator knew there was no next page
                return
            except TrellisError:
                raise
            except Exception as exc:  # noqa: BLE001
                self._count(getattr(exc, "response", None))
                _DEPTH.set(depth)
                self.calls_done += 1
                self.error(service, op, resource, *describe_failure(exc), kind)
                self.emit()
                return
            _DEPTH.set(depth)
            self.calls_done += 1
            self.emit()
            more = any(page.get(key) for key in _NEXT_TOKENS)
            yield clean(page)

    async def _bounded(self, awaitable: Awaitable[Any]) -> Any:
        """The call within ``call_deadline`` (every attempt included), else a Timeout."""
        if not self.call_deadline:
            return await awaitable
        try:
            async with asyncio.timeout(self.call_deadline):
                return await awaitable
        except TimeoutError:
            raise TimeoutError(
                f"no answer within the {self.call_deadline:g} s call deadline"
            ) from None

    async def _pace(self, service: str, op: str) -> None:
        """Wait for the operation's token before taking a slot: a paced call waiting in a
        slot would starve every other service (measured: ECS waited 9 s behind Lattice)."""
        if self.pacer is not None:
            await self.pacer.take(service, op)

    def _depth(self) -> int:
        depth = _DEPTH.get() + 1
        self.chain = max(self.chain, depth)
        return depth

    def _count(self, response: Any) -> None:
        """Retries botocore made for this call (``ResponseMetadata.RetryAttempts``)."""
        if not isinstance(response, dict):
            return
        attempts = int(response.get("ResponseMetadata", {}).get("RetryAttempts") or 0)
        self.retries += attempts
        self.max_retries = max(self.max_retries, attempts)

    # -- progress -----------------------------------------------------------------------
    def progress(self, finished: bool = False) -> Progress:
        return Progress(
            calls_done=self.calls_done,
            calls_known=max(self.calls_known, self.calls_done),
            counts=self.inventory.counts(),
            errors=len(self.inventory.errors),
            inventory=self.inventory,
            finished=finished,
            elapsed=time.monotonic() - self._started,
            chain=self.chain,
            retries=self.retries,
            max_retries=self.max_retries,
            peak_in_flight=self.slots.peak,
        )

    def emit(self, finished: bool = False) -> None:
        if self.on_progress is None:
            return
        now = time.monotonic()
        if finished or now - self._last_emit >= PROGRESS_INTERVAL:
            self._last_emit = now
            self.on_progress(self.progress(finished))
