"""Rate-limited crawl: the sandbox enforces AWS-like token buckets, the crawler must keep up.

ECS: the published buckets (service read 100 burst / 20 s⁻¹, cluster resource read 100 / 20,
task definition read 50 / 20, cluster read 50 / 20). VPC Lattice: LATTICE (burst, rate).
Prints wall vs. calls / rate per bucket, calls lost (must be 0), and the most retries any
call needed vs. the SDK policy (max_attempts - 1).
"""

from __future__ import annotations

import time
from collections import Counter

import pytest
from conftest import run_crawl

from tui.aws.pacing import ECS_BUCKETS, category_of
from tui.config import AppConfig

pytestmark = pytest.mark.perf
LATTICE = (50, 100)  # burst, requests per second


def _limits(calls: Counter) -> tuple[float, str]:
    """max over buckets of calls / rate (and the same less the burst), with a breakdown."""
    buckets = {f"ecs:{k}": v for k, v in ECS_BUCKETS.items()} | {"vpc-lattice": LATTICE}
    worst, parts = 0.0, []
    for name, (burst, rate) in buckets.items():
        n = calls.get(name, 0)
        worst = max(worst, n / rate)
        parts.append(
            f"{name}: {n} calls / {rate:g} s⁻¹ = {n / rate:.2f}s "
            f"(less burst {max(0, n - burst) / rate:.2f}s)"
        )
    return worst, "\n  ".join(parts)


@pytest.mark.parametrize("lattice_rate", [None, LATTICE[1]], ids=["lattice-unknown", "lattice-set"])
def test_rate_limited_crawl(remote, lattice_rate):
    box = remote("scale:medium")
    box.set_faults()
    baseline = run_crawl(box, AppConfig(connection=box.connection(), pace_requests=False))
    box.set_faults(rate_limits={"ecs": "aws", "vpc-lattice": list(LATTICE)})
    time.sleep(5)  # buckets full, as after an idle moment
    config = AppConfig(connection=box.connection(), lattice_rate=lattice_rate)
    run = run_crawl(box, config)
    ops = Counter()
    for entry in box.log():
        if entry["fault"] != "throttle":
            ops[category_of(entry["service"], entry["operation"])] += 1
    bound, breakdown = _limits(ops)
    throttled = run.server_stats["by_fault"].get("throttle", 0)
    lost = len(run.inventory.errors)
    same = run.inventory.to_dict() == baseline.inventory.to_dict()
    p = run.progress
    # The crawler retries in botocore's standard mode and paces itself (tui.aws.pacing).
    policy = "standard + trellis pacer" if config.pace_requests else config.retry_mode
    print(
        f"\nRATE-LIMITED scale:medium (lattice_rate={lattice_rate}): calls={p.calls_done} "
        f"requests={run.requests} throttled={throttled} wall={run.wall:.2f}s "
        f"calls/rate={bound:.2f}s wall/(calls/rate)={run.wall / bound:.2f} "
        f"lost={lost} identical={same} retries={p.retries} max retries/call={p.max_retries} "
        f"(policy: {policy}, {config.max_attempts} attempts: ≤ {config.max_attempts - 1})"
        f"\n  {breakdown}"
    )
    assert lost == 0 and same
    assert p.max_retries <= config.max_attempts - 1
