"""The explorer with the scale:large graph (a snapshot of a real crawl), headless via Pilot.

Figures: time to first frame and to the loaded graph, keypress → idle-after-repaint p50/p95
(pilot.press + pilot.pause: the key's handlers ran and the screen was refreshed), filtering
across every node, peak RSS of the process.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

import pytest
from conftest import run_crawl
from remote import peak_rss_mb

from tui.config import AppConfig
from tui.snapshot import save_snapshot

pytestmark = pytest.mark.perf
# The scale:large snapshot is crawled once and kept here (delete it to crawl again).
CACHE = Path(os.environ.get("TRELLIS_UI_SNAPSHOT", "/tmp/trellis-ui-scale-large.json"))
sys.path.insert(0, str(Path(__file__).parent.parent / "ui"))


def _pct(values: list[float]) -> str:
    ms = sorted(v * 1000 for v in values)
    p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
    return f"p50={statistics.median(ms):.1f}ms p95={p95:.1f}ms (n={len(ms)})"


FRAMES: list[float] = []  # when each frame was produced (rendered to terminal bytes)
CONTENT: list[float] = []  # the frames that repainted more than scrollbars
REPAINTS: list[float] = []  # key -> the last frame it caused (0 when it changed nothing)
SETTLED: list[float] = []  # key -> the last frame that repainted more than scrollbars
FIRST: list[float] = []  # key -> the first frame it caused (the cursor visibly moved)


def _watch_frames(app, monkeypatch) -> None:
    """Record every frame, rendering it to the bytes a terminal would get (headless skips it).

    A frame that repaints only scrollbars is told apart: Textual repaints a scrollbar whose
    thumb a layout pass changed one message round-trip after that pass (its Update message
    reaches the screen later), although the frame before already drew the new content."""
    from textual._compositor import CompositorUpdate
    from textual.screen import Screen
    from textual.scrollbar import ScrollBar, ScrollBarCorner

    original = app._display
    only_scrollbars = [False]

    def display(screen, renderable):
        original(screen, renderable)
        if isinstance(renderable, CompositorUpdate):
            renderable.render_segments(app.console)
        if renderable is not None:
            FRAMES.append(time.perf_counter())
            if not only_scrollbars[0]:
                CONTENT.append(FRAMES[-1])

    timer_update = Screen._on_timer_update

    def on_timer_update(screen) -> None:
        dirty = screen._dirty_widgets
        only_scrollbars[0] = (
            bool(dirty)
            and not screen._layout_required
            and all(isinstance(w, ScrollBar | ScrollBarCorner) for w in dirty)
        )
        timer_update(screen)

    monkeypatch.setattr(Screen, "_on_timer_update", on_timer_update)
    app._display = display


def _paints() -> tuple[list[float], list[float], list[float]]:
    """(first, settled, last) repaint times of the keys timed since the last call; keys that
    repainted nothing are left out."""
    keep = [i for i, t in enumerate(REPAINTS) if t]
    result = tuple([series[i] for i in keep] for series in (FIRST, SETTLED, REPAINTS))
    for series in (FIRST, SETTLED, REPAINTS):
        series.clear()
    return result  # type: ignore[return-value]


async def _timed(pilot, *keys: str) -> float:
    """pilot.press + pilot.pause (whose idle detection sleeps >= 3 x 20 ms) and, in REPAINTS,
    keypress -> last repaint it caused."""
    FRAMES.clear()
    CONTENT.clear()
    started = time.perf_counter()
    await pilot.press(*keys)
    await pilot.pause()
    REPAINTS.append(FRAMES[-1] - started if FRAMES else 0.0)
    SETTLED.append(CONTENT[-1] - started if CONTENT else 0.0)
    FIRST.append(FRAMES[0] - started if FRAMES else 0.0)
    return time.perf_counter() - started


async def test_ui_with_scale_large(remote, tmp_path, monkeypatch):
    from uihelpers import wait_loaded

    from tui.app import make_app
    from tui.loading import SnapshotSource

    path = CACHE
    if not path.exists():  # one crawl of the scale:large sandbox, then reused
        box = remote("scale:large")
        box.set_faults()
        run = await asyncio.to_thread(run_crawl, box, AppConfig(connection=box.connection()))
        save_snapshot(path, run.inventory, {"source": "scale:large"})
    config = AppConfig(snapshot_path=path, read_only=True)
    started = time.perf_counter()
    app = make_app(config, SnapshotSource(path, config))
    _watch_frames(app, monkeypatch)
    FRAMES.clear()
    async with app.run_test(size=(160, 48)) as pilot:
        pilot_ready = time.perf_counter() - started
        first_frame = FRAMES[0] - started  # the first frame rendered to terminal bytes
        await wait_loaded(pilot, timeout=120)
        loaded = time.perf_counter() - started
        nodes = app.graph.number_of_nodes()
        await pilot.press("enter")  # open "Service networks": moves go over real rows
        await pilot.pause()
        moves = [await _timed(pilot, key) for key in ["down"] * 20 + ["up"] * 10]
        move_paint = _paints()
        drill = []
        for _ in range(5):
            drill.append(await _timed(pilot, "enter"))  # expand / drill in
            drill.append(await _timed(pilot, "down"))
            drill.append(await _timed(pilot, "escape"))  # back
        drill_paint = _paints()
        screen = app.screen
        filters, filter_paint = [], []
        for text in ("svc-0001", "10.3.", "tg-", ""):
            FRAMES.clear()
            t0 = time.perf_counter()
            screen.set_filter("tree", text)
            await pilot.pause()
            filters.append(time.perf_counter() - t0)
            filter_paint.append(FRAMES[-1] - t0 if FRAMES else 0.0)
    print(
        f"\nUI scale:large ({nodes} nodes): first frame={first_frame * 1000:.0f}ms "
        f"(Pilot ready {pilot_ready * 1000:.0f}ms) graph loaded+checked={loaded:.2f}s\n"
        f"  with pilot's idle wait: cursor moves {_pct(moves)}, drill in/back {_pct(drill)}\n"
        f"  keypress -> first repaint (the cursor / the expanded branch is on screen):\n"
        f"    cursor moves {_pct(move_paint[0])}, drill in/back {_pct(drill_paint[0])}\n"
        f"  keypress -> content settled (detail pane filled; later frames repaint only "
        f"scrollbars):\n    cursor moves {_pct(move_paint[1])}, drill in/back "
        f"{_pct(drill_paint[1])}\n"
        f"  keypress -> last repaint of any kind:\n    cursor moves {_pct(move_paint[2])}, "
        f"drill in/back {_pct(drill_paint[2])}\n"
        f"  filter all nodes {_pct(filters)} max={max(filters) * 1000:.0f}ms, to last repaint "
        f"{_pct(filter_paint)}\n"
        f"  peak RSS (snapshot + UI; + crawl when not cached)={peak_rss_mb():.0f}MB"
    )
