"""Write screenshots/*.svg from the demo seed: explorer, path tab, health, findings, errors,
help.

    .venv/bin/python scripts/screenshots.py            # starts the embedded demo sandbox
    .venv/bin/python scripts/screenshots.py --snapshot tests/snapshots/data/demo.json

Uses the same make_app factory as `trellis` and the tests (app.run_test + save_screenshot).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SIZE = (150, 42)


async def _loaded(pilot, timeout: float = 300.0) -> None:
    app = pilot.app
    deadline = time.monotonic() + timeout
    while app.graph is None or app.loading or app.checking:  # the load, then the doctor
        if time.monotonic() > deadline:
            raise SystemExit("the demo did not load in time")
        await pilot.pause(0.1)
    await pilot.pause(0.3)


def _node(app, kind: str, name: str) -> str:
    return next(
        n for n, d in app.graph.nodes(data=True) if d.get("kind") == kind and d.get("name") == name
    )


SHOTS = [  # (file name, keys pressed after the previous shot)
    ("explorer", []),
    ("path", ["h", "enter", "3"]),
    ("health", ["h"]),
    ("findings", ["F"]),
    ("errors", ["E"]),
    ("help", ["question_mark"]),
]


async def shoot_all(app, out: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await _loaded(pilot)
        app.screen.jump(_node(app, "rule", "stock-read"))
        for name, keys in SHOTS:
            await pilot.press(*keys)
            await pilot.pause(0.5)
            app.save_screenshot(filename=f"{name}.svg", path=str(out))
            print(f"wrote {out / (name + '.svg')}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--snapshot", type=Path, help="use a snapshot file, not the demo sandbox")
    parser.add_argument("-o", "--out", type=Path, default=ROOT / "screenshots")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    from tui.app import make_app
    from tui.config import AppConfig

    if args.snapshot:
        from tui.loading import SnapshotSource

        config = AppConfig(snapshot_path=args.snapshot)
        source = SnapshotSource(args.snapshot, config)
    else:
        from tui.loading import DemoSource
        from tui.sandbox import Sandbox

        config = AppConfig(demo=True)
        source = DemoSource(config)
        print("starting the demo sandbox…")
        source.sandbox = Sandbox(seed="demo").start()
        # One denied call, so the errors view has something to show.
        source.sandbox.faults.deny_operations.add("DescribeVpcEndpoints")
    asyncio.run(shoot_all(make_app(config, source), args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
