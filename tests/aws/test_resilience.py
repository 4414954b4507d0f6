"""Failure modes the loader tests do not cover: a whole API family denied, the per-call
deadline, a snapshot writer killed mid-write, a bad snapshot on the command line."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import defaultdict

from test_loader_faults import baseline, cfg, seeded, without  # noqa: F401 - fixtures

from tui.aws.loader import crawl
from tui.sandbox import Faults

GET_KINDS = {  # kinds whose detail comes from a Lattice Get* call → that call
    "service": "GetService", "listener": "GetListener", "rule": "GetRule",
    "target_group": "GetTargetGroup", "service_network": "GetServiceNetwork",
    "sn_vpc_association": "GetServiceNetworkVpcAssociation", "auth_policy": "GetAuthPolicy",
    "access_log_subscription": "GetAccessLogSubscription",
    "resource_gateway": "GetResourceGateway",
    "resource_configuration": "GetResourceConfiguration",
}


async def test_all_lattice_gets_denied_keeps_everything_else(sandbox, baseline):  # noqa: F811
    sandbox.faults = Faults(deny_operations={"vpc-lattice:Get*"})
    inv = await crawl(cfg(sandbox))
    data = inv.to_dict()
    # Nothing a List returned is dropped: every record is there, as its list summary.
    for kind, records in baseline["records"].items():
        if kind != "auth_policy":
            assert len(data["records"].get(kind, [])) == len(records), kind
    assert without(data, *GET_KINDS) == without(baseline, *GET_KINDS)
    gaps: dict[str, set[str]] = defaultdict(set)
    for error in inv.errors:
        assert error.is_access_denied
        gaps[error.kind].add(error.iam_action)
    expected = {k: {f"vpc-lattice:{op}"} for k, op in GET_KINDS.items()
                if baseline["records"].get(k) or k == "auth_policy"}
    assert dict(gaps) == expected  # the gap, per kind, with the IAM action that is missing
    assert all(r["ctx"].get("summaryOnly") for r in inv.of("service"))


async def test_a_hung_call_is_cut_by_the_call_deadline(sandbox, baseline):  # noqa: F811
    # Without the deadline: 8 attempts × 20 s read timeout = 160 s for this one call. The
    # deadline leaves room for a loaded machine's slow first calls (it bounds every call).
    sandbox.faults = Faults(hang_operations={"vpc-lattice:GetListener"}, hang_seconds=60)
    started = time.monotonic()
    inv = await crawl(cfg(sandbox, max_attempts=8, read_timeout=20, call_deadline=6.0))
    assert time.monotonic() - started < 30
    assert [(e.operation, e.code) for e in inv.errors] == [("GetListener", "Timeout")]
    assert "call deadline" in inv.errors[0].message
    assert without(inv.to_dict(), "listener") == without(baseline, "listener")


WRITER = """
import sys, time
from tui.snapshot import atomic_write
def slow(handle):
    handle.write('{"half": ')
    handle.flush()
    print("writing", flush=True)
    time.sleep(30)
atomic_write(sys.argv[1], slow)
"""


def test_snapshot_writer_killed_midway_leaves_the_previous_file(tmp_path):
    path = tmp_path / "snap.json"
    path.write_text('{"previous": true}')
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout.readline().strip() == "writing"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert json.loads(path.read_text()) == {"previous": True}


def test_bad_snapshot_on_the_command_line_is_one_line_exit_2(tmp_path):
    good = tmp_path / "good.json"
    subprocess.run([sys.executable, "-m", "tui", "snapshot", "--snapshot", os.devnull, "-o",
                    str(good)], capture_output=True)
    truncated = tmp_path / "truncated.json"
    truncated.write_text('{"format": "trellis-snapshot", "version": 1, "inventory": {"rec')
    garbage = tmp_path / "garbage.json"
    garbage.write_bytes(b"\xff\xfe\x00garbage")
    for bad in (truncated, garbage):
        result = subprocess.run([sys.executable, "-m", "tui", "graph", "--snapshot", str(bad)],
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 2, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and str(bad) in lines[0] and "Traceback" not in result.stderr
        assert result.stdout == ""
