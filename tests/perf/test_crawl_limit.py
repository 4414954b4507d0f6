"""Crawl vs. the physical limit: scale:medium and scale:large at 0 and 30 ms per request.

bound = max(longest dependent chain × L, calls × L / max-in-flight): no crawler with that
many slots can finish sooner at latency L. The server's own CPU per request is printed too:
moto answers in one Python process, so above ~1 / (its CPU per request) requests per second
the server, not latency or the crawler, sets the pace.
"""

from __future__ import annotations

import os

import pytest
from conftest import run_crawl

from tui.config import AppConfig

pytestmark = pytest.mark.perf


@pytest.mark.parametrize("seed", ["scale:medium", "scale:large"])
@pytest.mark.parametrize("latency_ms", [0, 30])
def test_crawl_vs_limit(remote, seed, latency_ms):
    box = remote(seed)
    box.set_faults(latency_ms=latency_ms)
    config = AppConfig(connection=box.connection())
    run = run_crawl(box, config)
    p, L = run.progress, latency_ms / 1000.0
    calls = p.calls_done
    slots = config.max_concurrency
    bound = max(p.chain * L, calls * L / slots)
    server_ms = run.server_cpu / max(run.requests, 1) * 1000
    server_floor = run.server_cpu  # seconds of server CPU: one GIL, so at best this wall
    ratio = f"{run.wall / bound:.2f}" if bound else "n/a (L=0)"
    # Both processes need their CPU: on this machine's cores no schedule finishes sooner.
    cores = os.cpu_count() or 1
    cpu_floor = max(run.server_cpu, (run.server_cpu + run.client_cpu) / cores)
    print(
        f"\nCRAWL {seed} L={latency_ms}ms: calls={calls} requests={run.requests} "
        f"chain={p.chain} in-flight max={slots} peak={p.peak_in_flight} "
        f"wall={run.wall:.2f}s peak_rss={run.rss_mb:.0f}MB bound={bound:.2f}s "
        f"wall/bound={ratio}\n"
        f"  server CPU {run.server_cpu:.2f}s = {server_ms:.2f} ms/request "
        f"(capacity ~{1000 / server_ms:.0f} req/s); client CPU {run.client_cpu:.2f}s = "
        f"{run.client_cpu / calls * 1000:.2f} ms/call; wall/server-CPU "
        f"{run.wall / server_floor:.2f}; errors={len(run.inventory.errors)}\n"
        f"  CPU floor on {cores} cores = max(server CPU, (server + client CPU) / cores) = "
        f"{cpu_floor:.2f}s; wall / max(bound, CPU floor) = {run.wall / max(bound, cpu_floor):.2f}"
    )
    assert run.inventory.errors == []
    assert run.requests == calls  # no retries, no lost or extra calls
