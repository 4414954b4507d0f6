"""Client-side pacing: never send faster than AWS's published token buckets refill.

ECS publishes its API rates per account + region (DESIGN.md); sending faster only buys
``ThrottlingException`` and back-off sleeps. The crawler takes a token here before each ECS
call, so a big crawl runs at the bucket's rate instead of bursting, failing and backing off.
VPC Lattice publishes no rates: unless ``lattice_rate`` is set, it is not paced until it
throttles; from then on it is paced at the rate it was measured to accept (``observe``, fed by
every HTTP attempt's answer). While saturated, a token bucket accepts exactly its refill rate,
so the successes counted after the first throttle *are* the rate. A later throttle lowers the
pace, two quiet seconds raise it by 5 %, and a ``Retry-After`` hint pauses the bucket. This
replaces botocore's adaptive mode, whose limiter cuts a whole client's rate by 30 % on every
throttled answer (32 in flight: 32 cuts at once); the SDK still does every retry.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from typing import Any

# category → (burst, refill per second), per account + region.
ECS_BUCKETS: dict[str, tuple[float, float]] = {
    "service-read": (100, 20),
    "cluster-resource-read": (100, 20),
    "task-definition-read": (50, 20),
    "cluster-read": (50, 20),
}
ECS_CATEGORIES: dict[str, str] = {
    "DescribeServices": "service-read",
    "ListServices": "service-read",
    "ListServicesByNamespace": "service-read",
    "DescribeTasks": "cluster-resource-read",
    "ListTasks": "cluster-resource-read",
    "DescribeContainerInstances": "cluster-resource-read",
    "ListContainerInstances": "cluster-resource-read",
    "DescribeTaskDefinition": "task-definition-read",
    "ListTaskDefinitions": "task-definition-read",
    "ListTaskDefinitionFamilies": "task-definition-read",
    "DescribeClusters": "cluster-read",
    "ListClusters": "cluster-read",
}


def category_of(service: str, operation: str) -> str:
    """'ecs:service-read' for ECS reads with a published bucket; otherwise the service name."""
    if service == "ecs" and operation in ECS_CATEGORIES:
        return f"ecs:{ECS_CATEGORIES[operation]}"
    return service


THROTTLE_CODES = frozenset(
    {
        "ThrottlingException",
        "Throttling",
        "ThrottledException",
        "RequestLimitExceeded",
        "TooManyRequestsException",
        "RequestThrottled",
        "RequestThrottledException",
        "SlowDown",
        "ProvisionedThroughputExceededException",
    }
)
MEASURE_SECONDS = 0.5  # successes counted after a throttle before the pace is set from them
QUIET_SECONDS = 2.0  # no throttle for this long: probe 5 % faster
MIN_SAMPLE = 20  # attempts in a second before an unpaced service's rate is measured
FLOOR = 0.7  # a measured pace never drops below this share of the best saturated second


class AsyncBucket:
    """A token bucket that makes callers wait for their token, first come first served.

    Tokens are counted when a caller is let through, never reserved ahead: after the event
    loop stalls, at most ``burst`` calls go at once (reservations would all fire together and
    overrun the server's bucket, measured: 170 throttles at 95 % of the rate).
    """

    def __init__(self, burst: float, rate: float) -> None:
        self.burst, self.rate = max(1.0, burst), rate
        self.tokens = self.burst
        self.stamp = time.monotonic()
        self._queue = asyncio.Lock()  # FIFO: waiters are served in arrival order

    def _refill(self, now: float) -> None:
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now

    async def take(self) -> None:
        self._refill(time.monotonic())
        if self.tokens >= 1.0 and not self._queue.locked():
            self.tokens -= 1.0
            return
        async with self._queue:
            while True:
                self._refill(time.monotonic())
                if self.tokens >= 1.0:
                    self.tokens -= 1.0
                    return
                await asyncio.sleep((1.0 - self.tokens) / self.rate)

    def retune(self, rate: float, now: float) -> None:
        """New refill rate from now on."""
        self._refill(now)
        self.rate = max(rate, 0.5)

    def pause(self, seconds: float, now: float) -> None:
        """No token for ``seconds`` (a server's Retry-After)."""
        self._refill(now)
        self.tokens = min(self.tokens, 1.0 - seconds * self.rate)


class Adaptive:
    """What one bucket has been seen to accept: success times, throttle times, the pace."""

    def __init__(self) -> None:
        self.ok: deque[float] = deque()
        self.bad: deque[float] = deque()
        self.first_throttle = self.last_throttle = self.last_change = 0.0
        self.throttles = 0
        self.peak = 0.0  # most accepted in one saturated second

    def success(self, now: float) -> None:
        self.ok.append(now)
        while self.ok and self.ok[0] < now - 2.0:
            self.ok.popleft()

    def throttle(self, now: float) -> None:
        self.bad.append(now)
        while self.bad and self.bad[0] < now - 2.0:
            self.bad.popleft()

    def last_second(self, now: float) -> tuple[int, int]:
        """(accepted, throttled) attempts in the last second."""
        return (sum(1 for t in self.ok if t > now - 1.0), sum(1 for t in self.bad if t > now - 1.0))


class Pacer:
    """One bucket per (service, category); ``margin`` < 1 keeps a little under the rate."""

    def __init__(self, lattice_rate: float | None = None, margin: float = 0.95) -> None:
        self.margin = margin
        self.buckets: dict[str, AsyncBucket] = {
            f"ecs:{name}": AsyncBucket(burst * margin, rate * margin)
            for name, (burst, rate) in ECS_BUCKETS.items()
        }
        if lattice_rate:  # its burst is unknown too: pace (almost) evenly from the first call
            self.buckets["vpc-lattice"] = _even(lattice_rate * margin)
        # Published or configured rates are never probed above.
        self.ceiling = {key: bucket.rate for key, bucket in self.buckets.items()}
        self.seen: dict[str, Adaptive] = {}
        self.throttled = 0  # throttled attempts seen, all buckets

    async def take(self, service: str, operation: str) -> None:
        bucket = self.buckets.get(category_of(service, operation))
        if bucket is not None:
            await bucket.take()

    # -- feedback ------------------------------------------------------------------------
    def observe(
        self,
        service: str,
        operation: str,
        throttled: bool,
        retry_after: float = 0.0,
        now: float | None = None,
    ) -> None:
        """One HTTP attempt's outcome (``throttled`` or accepted) for the bucket's pace."""
        now = time.monotonic() if now is None else now
        key = category_of(service, operation)
        seen = self.seen.get(key)
        if seen is None:
            seen = self.seen[key] = Adaptive()
        bucket = self.buckets.get(key)
        if not throttled:
            seen.success(now)
            if (
                bucket is not None
                and seen.throttles
                and now - seen.last_throttle > QUIET_SECONDS
                and now - seen.last_change > QUIET_SECONDS
            ):
                # probe: the rate may be higher than measured (never above a known one)
                rate = min(bucket.rate * 1.05, self.ceiling.get(key, float("inf")))
                if rate > bucket.rate:
                    bucket.retune(rate, now)
                seen.last_change = now
            return
        self.throttled += 1
        seen.throttle(now)
        seen.throttles += 1
        if seen.throttles == 1:
            seen.first_throttle = now
        seen.last_throttle = now
        if bucket is None:
            # An unpaced service starts being paced once a second looks saturated, at what it
            # accepted in that second (its burst included, so at most that). A stray throttle
            # early in a crawl is not a rate: pacing from it pinned Lattice at ~2 requests/s
            # for a whole crawl under the sandbox's random throttling (90 s instead of 3 s).
            accepted, throttled_count = seen.last_second(now)
            # A small sample counts when throttles outnumber successes (a low real limit),
            # and a Retry-After is honoured from the first throttle.
            busy = accepted + throttled_count >= MIN_SAMPLE
            measured = busy and _saturated(accepted, throttled_count)
            clearly_limited = throttled_count >= max(3, accepted)  # implies saturated
            if retry_after <= 0 and not (measured or clearly_limited):
                return
            bucket = self.buckets[key] = _even(max(accepted * self.margin, 1.0))
            seen.last_change = now
        else:
            # botocore will send this call again without asking the pacer: charge its token.
            bucket.tokens -= 1.0
            if (
                now - seen.last_change >= MEASURE_SECONDS
                and now - seen.first_throttle >= MEASURE_SECONDS
            ):
                self._set(key, seen, now)
        if retry_after > 0:
            bucket.pause(retry_after, now)

    def _set(self, key: str, seen: Adaptive, now: float) -> None:
        """Pace ``key`` at what it accepted in the last second, if that second saturated it
        (retries included: the first estimate, taken as the burst ran out, is often low).

        Only a second with many throttles measures the server's rate; a few throttles come
        from a clump (retries, a stalled event loop), and lowering the pace on every throttle
        spirals down (measured: 95 → 40 requests/s)."""
        accepted, throttled = seen.last_second(now)
        bucket = self.buckets[key]
        # Up or down: a saturated bucket accepts just its rate.
        if _saturated(accepted, throttled) and accepted:
            # Floor: throttles that are not about the rate (random ones, as in the sandbox's
            # --throttle-rate) would otherwise lower the pace 5 % per measurement, forever.
            seen.peak = max(seen.peak, accepted)
            rate = max(accepted * self.margin, FLOOR * seen.peak)
            bucket.retune(min(rate, self.ceiling.get(key, float("inf"))), now)
        seen.last_change = now


def _saturated(accepted: int, throttled: int) -> bool:
    """A second with this many throttles was at the server's rate, not hit by a stray one."""
    return throttled >= max(3, 0.05 * (accepted + throttled))


def _even(rate: float) -> AsyncBucket:
    """A bucket for a rate whose burst is unknown: a tenth of a second's worth of tokens.

    With a burst of 1, every late wake-up of the event loop (a few ms while it parses other
    answers) lost its share of the rate: measured 60 of 95 requests/s sent."""
    return AsyncBucket(max(1.0, rate / 10), rate)


def attempt_outcome(response: Any) -> tuple[bool, float] | None:
    """(throttled, Retry-After seconds) of one botocore attempt; None when nothing came back."""
    if not response:
        return None
    http, parsed = response
    code = (parsed.get("Error") or {}).get("Code", "") if isinstance(parsed, dict) else ""
    status = getattr(http, "status_code", 0)
    throttled = code in THROTTLE_CODES or status == 429
    retry_after = 0.0
    if throttled:
        try:
            retry_after = float(http.headers.get("Retry-After") or 0)
        except (TypeError, ValueError):
            retry_after = 0.0
    return throttled, retry_after


def watch(client: Any, service: str, pacer: Pacer) -> None:
    """Feed every HTTP attempt of ``client`` (retries included) to ``pacer.observe``.

    Registered once per client (a shared client serves many crawls): the newest pacer wins.
    """
    meta = client.meta
    meta.trellis_pacer = pacer

    def on_attempt(response: Any = None, operation: Any = None, **_: Any) -> None:
        outcome = attempt_outcome(response)
        current = getattr(meta, "trellis_pacer", None)
        if outcome is not None and operation is not None and current is not None:
            current.observe(service, operation.name, *outcome)
        # returns None: botocore's own retry handler still decides every retry

    event = f"needs-retry.{meta.service_model.service_id.hyphenize()}"
    meta.events.register_first(event, on_attempt, unique_id="trellis-pacer")
