"""trellis vs. the aws CLI on scale:medium, same endpoint, timed side by side.

The CLI script has one `aws` process per call (~1,500 on scale:medium), which takes minutes:
by default the first CLI_SAMPLE calls run and the total is extrapolated from their mean
(printed as such); TRELLIS_CLI_FULL=1 runs every call.
"""

from __future__ import annotations

import os
import subprocess
import time

import pytest
from awscli import aws_binary, commands, env, script
from conftest import run_crawl

from tui.config import AppConfig

pytestmark = pytest.mark.perf
CLI_SAMPLE = int(os.environ.get("TRELLIS_CLI_SAMPLE", "120"))


def test_trellis_vs_aws_cli(remote, tmp_path):
    aws = aws_binary()
    box = remote("scale:medium")
    box.set_faults()
    run = run_crawl(box, AppConfig(connection=box.connection()))
    cmds = commands(run.inventory)
    full = os.environ.get("TRELLIS_CLI_FULL") == "1"
    sample = cmds if full else cmds[:: max(1, len(cmds) // CLI_SAMPLE)]
    path = tmp_path / "crawl.sh"
    path.write_text(script(sample, box.endpoint_url, aws))
    box.clear_log()
    started = time.perf_counter()
    subprocess.run(["sh", str(path)], check=True, env=env(box.region))
    cli_wall = time.perf_counter() - started
    served = box.stats()["requests"]
    per_call = cli_wall / len(sample)
    cli_total = per_call * len(cmds)
    how = "measured" if full else f"extrapolated from {len(sample)} evenly spaced calls"
    print(
        f"\nVS AWS CLI scale:medium: trellis wall={run.wall:.2f}s ({run.progress.calls_done} "
        f"calls); aws CLI: {len(cmds)} calls, {per_call * 1000:.0f} ms/call, "
        f"total={cli_total:.1f}s ({how}; {served} requests served for the sample); "
        f"ratio CLI/trellis={cli_total / run.wall:.1f}x"
    )
    assert served >= len(sample)
