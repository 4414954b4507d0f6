"""Benchmarks: sandboxes in their own process, seeded once per session and shared.

Run:  .venv/bin/python -m pytest tests/perf -m perf -s
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from remote import RemoteSandbox, peak_rss_mb  # noqa: E402


@pytest.fixture(scope="session")
def remote() -> Iterator[Callable[[str], RemoteSandbox]]:
    """``remote("scale:large")``: one seeded sandbox process per seed for the whole session."""
    boxes: dict[str, RemoteSandbox] = {}

    def get(seed: str) -> RemoteSandbox:
        if seed not in boxes:
            boxes[seed] = RemoteSandbox(seed)
            print(f"\n[{seed} seeded in {boxes[seed].seed_seconds:.1f} s]")
        return boxes[seed]

    yield get
    for box in boxes.values():
        box.stop()


@dataclass
class CrawlRun:
    inventory: Any
    progress: Any  # the loader's final Progress (chain, retries, peak in flight)
    requests: int  # requests the server saw (retries included)
    wall: float
    client_cpu: float
    server_cpu: float
    server_stats: dict[str, Any]
    rss_mb: float


def run_crawl(box: RemoteSandbox, config: Any) -> CrawlRun:
    from tui.aws.loader import crawl

    final: list[Any] = []

    def on_progress(p: Any) -> None:
        if p.finished:
            final.append(p)

    box.clear_log()
    before = box.stats()
    started, cpu = time.perf_counter(), time.process_time()
    inventory = asyncio.run(crawl(config, on_progress))
    wall, client_cpu = time.perf_counter() - started, time.process_time() - cpu
    after = box.stats()
    return CrawlRun(inventory, final[-1], after["requests"], wall, client_cpu,
                    after["cpu_seconds"] - before["cpu_seconds"], after, peak_rss_mb())
