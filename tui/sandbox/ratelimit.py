"""Token buckets like AWS's API throttling: per service + category, refilled continuously.

ECS publishes its buckets (per account + region; DESIGN.md, ``tui.aws.pacing.ECS_BUCKETS``):
service read 100 burst / 20 s⁻¹, cluster resource read 100 / 20, task definition read 50 / 20,
cluster read 50 / 20. VPC
Lattice publishes none, so its bucket (one for the whole service) is whatever a test sets.

    limits = RateLimits.parse({"ecs": "aws", "vpc-lattice": (50, 25)})
    limits.take("ecs", "DescribeServices")   # False -> answer ThrottlingException
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from tui.aws.pacing import ECS_BUCKETS, category_of


@dataclass
class TokenBucket:
    burst: float
    rate: float
    tokens: float = -1.0
    stamp: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        if self.burst < 1 or self.rate <= 0:
            raise ValueError(f"bucket needs burst >= 1 and rate > 0, got {self.burst}/{self.rate}")
        if self.tokens < 0:
            self.tokens = self.burst

    def take(self, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False


class RateLimits:
    """Buckets keyed by ``category_of``; a request whose category has no bucket is free."""

    def __init__(self, buckets: dict[str, tuple[float, float]] | None = None) -> None:
        self.spec = dict(buckets or {})
        self._buckets = {k: TokenBucket(b, r) for k, (b, r) in self.spec.items()}
        self._lock = threading.Lock()

    @classmethod
    def parse(cls, spec: dict[str, object]) -> RateLimits:
        """{"ecs": "aws"} → the published ECS buckets; {"vpc-lattice": [burst, rate]} → one."""
        buckets: dict[str, tuple[float, float]] = {}
        for key, value in spec.items():
            if key == "ecs" and value == "aws":
                buckets.update({f"ecs:{c}": v for c, v in ECS_BUCKETS.items()})
            elif isinstance(value, list | tuple) and len(value) == 2:
                buckets[key] = (float(value[0]), float(value[1]))
            else:
                raise ValueError(f"rate limit {key!r}: expected [burst, rate] or 'aws'")
        return cls(buckets)

    def __bool__(self) -> bool:
        return bool(self._buckets)

    def take(self, service: str, operation: str) -> bool:
        bucket = self._buckets.get(category_of(service, operation))
        if bucket is None:
            return True
        with self._lock:
            return bucket.take()
