"""Client-side pacing: never send faster than AWS's published token buckets refill.

ECS publishes its API rates per account + region (DESIGN.md); sending faster only buys
``ThrottlingException`` and back-off sleeps. The crawler takes a token here before each ECS
call, so a big crawl runs at the bucket's rate instead of bursting, failing and backing off.
VPC Lattice publishes no rates: unless ``lattice_rate`` is set, it is not paced (botocore's
retry mode handles its throttling).
"""

from __future__ import annotations

import asyncio
import time

# category → (burst, refill per second), per account + region.
ECS_BUCKETS: dict[str, tuple[float, float]] = {
    "service-read": (100, 20),
    "cluster-resource-read": (100, 20),
    "task-definition-read": (50, 20),
    "cluster-read": (50, 20),
}
ECS_CATEGORIES: dict[str, str] = {
    "DescribeServices": "service-read", "ListServices": "service-read",
    "ListServicesByNamespace": "service-read",
    "DescribeTasks": "cluster-resource-read", "ListTasks": "cluster-resource-read",
    "DescribeContainerInstances": "cluster-resource-read",
    "ListContainerInstances": "cluster-resource-read",
    "DescribeTaskDefinition": "task-definition-read", "ListTaskDefinitions": "task-definition-read",
    "ListTaskDefinitionFamilies": "task-definition-read",
    "DescribeClusters": "cluster-read", "ListClusters": "cluster-read",
}


def category_of(service: str, operation: str) -> str:
    """'ecs:service-read' for ECS reads with a published bucket; otherwise the service name."""
    if service == "ecs" and operation in ECS_CATEGORIES:
        return f"ecs:{ECS_CATEGORIES[operation]}"
    return service


class AsyncBucket:
    """A token bucket that makes callers wait for their token (FIFO, by reservation)."""

    def __init__(self, burst: float, rate: float) -> None:
        self.burst, self.rate = max(1.0, burst), rate
        self.tokens = self.burst
        self.stamp = time.monotonic()

    async def take(self) -> None:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        self.tokens -= 1.0  # reserve now; a negative balance is the queue ahead of us
        if self.tokens < 0:
            await asyncio.sleep(-self.tokens / self.rate)


class Pacer:
    """One bucket per (service, category); ``margin`` < 1 keeps a little under the rate."""

    def __init__(self, lattice_rate: float | None = None, margin: float = 0.95) -> None:
        self.buckets: dict[str, AsyncBucket] = {
            f"ecs:{name}": AsyncBucket(burst * margin, rate * margin)
            for name, (burst, rate) in ECS_BUCKETS.items()
        }
        if lattice_rate:  # its burst is unknown too: pace evenly from the first call
            self.buckets["vpc-lattice"] = AsyncBucket(1, lattice_rate * margin)

    async def take(self, service: str, operation: str) -> None:
        bucket = self.buckets.get(category_of(service, operation))
        if bucket is not None:
            await bucket.take()
