"""The crawler's pacer: learns an unpublished rate from throttles, never bursts past its bucket."""

from __future__ import annotations

import asyncio
import time

from tui.aws.pacing import AsyncBucket, Pacer, attempt_outcome


def feed(pacer: Pacer, start: float, seconds: float, ok_per_s: int, bad_per_s: int) -> float:
    """Attempts spread evenly over ``seconds``; returns the end time."""
    steps = int(seconds * (ok_per_s + bad_per_s))
    for i in range(steps):
        now = start + i / (ok_per_s + bad_per_s)
        throttled = (i % (ok_per_s + bad_per_s)) < bad_per_s
        pacer.observe("vpc-lattice", "GetRule", throttled, now=now)
    return start + seconds


def test_unknown_rate_is_unpaced_until_throttled_then_measured():
    pacer = Pacer()
    assert "vpc-lattice" not in pacer.buckets
    t = feed(pacer, 0.0, 1.0, ok_per_s=150, bad_per_s=0)
    assert "vpc-lattice" not in pacer.buckets
    pacer.observe("vpc-lattice", "GetRule", True, now=t)
    assert "vpc-lattice" not in pacer.buckets  # one throttle is not a rate
    for i in range(1, 8):  # throttles in a row while 150/s were accepted: saturated
        pacer.observe("vpc-lattice", "GetRule", True, now=t + i / 1000)
    first = pacer.buckets["vpc-lattice"].rate
    assert 100 < first <= 150  # what it accepted in the last second, with a margin
    # Saturated: 100 accepted and many throttled each second -> pace at ~95/s.
    feed(pacer, t + 0.01, 3.0, ok_per_s=100, bad_per_s=40)
    assert 85 <= pacer.buckets["vpc-lattice"].rate <= 100


def test_stray_throttles_at_a_low_rate_never_pace_the_service():
    pacer = Pacer()
    feed(pacer, 0.0, 10.0, ok_per_s=8, bad_per_s=2)  # 20 % random throttling, few calls
    assert "vpc-lattice" not in pacer.buckets


def test_a_low_real_limit_is_paced_from_a_small_sample():
    pacer = Pacer()
    feed(pacer, 0.0, 3.0, ok_per_s=3, bad_per_s=5)  # 8 attempts/s, most throttled
    assert 0 < pacer.buckets["vpc-lattice"].rate <= 5


def test_a_few_throttles_do_not_lower_the_pace():
    pacer = Pacer(lattice_rate=100)
    feed(pacer, 0.0, 5.0, ok_per_s=95, bad_per_s=1)  # clumps, not the rate
    assert pacer.buckets["vpc-lattice"].rate == 95.0


def test_known_rate_is_never_probed_above():
    pacer = Pacer(lattice_rate=100)
    pacer.observe("vpc-lattice", "GetRule", True, now=0.0)
    feed(pacer, 0.1, 10.0, ok_per_s=95, bad_per_s=0)
    assert pacer.buckets["vpc-lattice"].rate <= 95.0


def test_bucket_does_not_burst_after_a_stall():
    async def run() -> int:
        bucket = AsyncBucket(burst=3, rate=50)
        bucket.tokens = 0
        bucket.stamp = time.monotonic() - 10  # the event loop was busy for 10 s
        granted = 0

        async def one() -> None:
            nonlocal granted
            await bucket.take()
            granted += 1

        tasks = [asyncio.create_task(one()) for _ in range(10)]
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        at_once = granted
        await asyncio.gather(*tasks)
        return at_once

    assert asyncio.run(run()) <= 3


class _Http:
    def __init__(self, status: int, headers: dict[str, str]) -> None:
        self.status_code, self.headers = status, headers


def test_attempt_outcome_reads_throttles_and_retry_after():
    throttle = {"Error": {"Code": "ThrottlingException"}}
    assert attempt_outcome((_Http(429, {"Retry-After": "2"}), throttle)) == (True, 2.0)
    assert attempt_outcome((_Http(200, {}), {"items": []})) == (False, 0.0)
    assert attempt_outcome(None) is None
