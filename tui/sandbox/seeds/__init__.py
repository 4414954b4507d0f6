"""Sandbox seeds: populate an (emulated) AWS endpoint with a topology, over HTTP.

Seeds talk to ``endpoint_url`` with plain boto3 clients and documented API calls only, exactly
as a user's provisioning script would against AWS, so the sandbox's own emulation (target
registration by ECS, health, pagination) is exercised rather than bypassed.

    apply_seed("demo", url, "us-east-1")         # the believable shop topology (demo.py)
    apply_seed("scale:medium", url, "us-east-1")  # a generated topology (scale.py)
    apply_seed("scale:services=50,tasks=10", ...) # custom counts on top of the small preset
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

import boto3
import botocore.session
from botocore.config import Config

from tui.errors import UsageError

T = TypeVar("T")

SEED_NAMES = ("none", "demo", "scale:small", "scale:medium", "scale:large")
_UNKNOWN = "unknown seed '{}': use demo, none or scale:small|medium|large"

# Credentials the sandbox accepts; never real ones.
FAKE_KEY = "testing"


def apply_seed(name: str, endpoint_url: str, region: str) -> None:
    """Create the resources of seed ``name`` at ``endpoint_url`` in ``region``."""
    name = (name or "").strip()
    if name == "none":
        return
    if name == "demo":
        from tui.sandbox.seeds.demo import seed_demo

        seed_demo(Clients.connect(endpoint_url, region))
        return
    if name.startswith("scale:"):
        from tui.sandbox.seeds.scale import parse_scale, seed_scale

        try:
            counts = parse_scale(name.removeprefix("scale:"))
        except ValueError as exc:
            raise UsageError(f"{_UNKNOWN.format(name)} ({exc})") from None
        seed_scale(Clients.connect(endpoint_url, region, pool=counts.workers), counts)
        return
    raise UsageError(_UNKNOWN.format(name))


@dataclass
class Clients:
    """One boto3 client per service, shared by worker threads (boto3 clients are thread-safe)."""

    region: str
    sts: Any
    ec2: Any
    iam: Any
    ecs: Any
    lattice: Any
    elbv2: Any
    awslambda: Any

    @functools.cached_property
    def account(self) -> str:
        # Resolved on first use, so seeds can overlap it with other work.
        return self.sts.get_caller_identity()["Account"]

    @classmethod
    def connect(cls, endpoint_url: str, region: str, pool: int = 16) -> Clients:
        session = _session(region)
        # Standard retries ride out throttling (the sandbox may inject 20%+ while seeding);
        # the pool matches the thread count.
        config = Config(
            retries={"mode": "standard", "max_attempts": 10},
            max_pool_connections=max(pool, 10),
            connect_timeout=5,
            read_timeout=120,
        )

        def make(service: str) -> Any:
            with _LOCK:  # client creation from one session is not thread-safe
                return session.client(service, region_name=region, endpoint_url=endpoint_url,
                                      config=config)

        names = ("sts", "ec2", "iam", "ecs", "vpc-lattice", "elbv2", "lambda")
        sts, ec2, iam, ecs, lattice, elbv2, awslambda = (make(n) for n in names)
        return cls(region, sts, ec2, iam, ecs, lattice, elbv2, awslambda)


_LOCK = threading.Lock()
_BOTOCORE: list[Any] = []


def _session(region: str) -> boto3.session.Session:
    """A boto3 session over one long-lived botocore session: its loader caches the service
    models, so re-seeding does not re-read ~10 MB of JSON (≈0.5 s) every time."""
    with _LOCK:
        if not _BOTOCORE:
            _BOTOCORE.append(botocore.session.get_session())
        return boto3.session.Session(
            aws_access_key_id=FAKE_KEY, aws_secret_access_key=FAKE_KEY, region_name=region,
            botocore_session=_BOTOCORE[0],
        )


def parallel(fn: Callable[[T], Any], items: Iterable[T], workers: int = 8) -> list[Any]:
    """Run ``fn`` over ``items`` on a thread pool; results in order, first error re-raised."""
    items = list(items)
    if len(items) <= 1 or workers <= 1:
        return [fn(item) for item in items]
    with ThreadPoolExecutor(max_workers=min(workers, len(items))) as pool:
        return list(pool.map(fn, items))


def lattice_prefix_list(c: Clients) -> str:
    """The id of the ``com.amazonaws.<region>.vpc-lattice`` managed prefix list."""
    name = f"com.amazonaws.{c.region}.vpc-lattice"
    found = c.ec2.describe_managed_prefix_lists(
        Filters=[{"Name": "prefix-list-name", "Values": [name]}]
    )["PrefixLists"]
    if not found:
        raise RuntimeError(f"managed prefix list {name} not found")
    return found[0]["PrefixListId"]


def chunks(items: list[T], size: int) -> list[list[T]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
