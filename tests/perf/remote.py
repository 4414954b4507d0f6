"""A sandbox in its own process (``trellis sandbox``), driven over its /_trellis/ control API.

The crawler and moto then each have their own interpreter (and GIL), as a client and AWS do;
the server's CPU per request is read from its own process CPU time.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
import urllib.request
from typing import Any

from tui.config import Connection
from tui.sandbox.server import ACCESS_KEY, SECRET_KEY


class RemoteSandbox:
    def __init__(self, seed: str, region: str = "us-east-1") -> None:
        self.seed = seed
        self.region = region
        started = time.monotonic()
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tui", "sandbox", "--seed", seed, "--health-delay", "0",
             "--region", region],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env,
        )
        line = self.proc.stdout.readline().strip() if self.proc.stdout else ""
        if not line.startswith("http"):
            self.stop()
            raise RuntimeError(f"sandbox did not start (seed {seed}): {line!r}")
        self.endpoint_url = line
        self.seed_seconds = time.monotonic() - started

    def connection(self, region: str | None = None) -> Connection:
        return Connection(region=region or self.region, endpoint_url=self.endpoint_url,
                          access_key=ACCESS_KEY, secret_key=SECRET_KEY)

    def _call(self, method: str, route: str, payload: Any = None) -> Any:
        data = None if payload is None else json.dumps(payload).encode()
        req = urllib.request.Request(f"{self.endpoint_url}/_trellis/{route}", data=data,
                                     method=method)
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.loads(resp.read() or b"{}")

    def set_faults(self, **faults: Any) -> None:
        self._call("POST", "faults", faults)

    def clear_log(self) -> None:
        self._call("POST", "log/clear", {})

    def stats(self) -> dict[str, Any]:
        return self._call("GET", "stats")

    def log(self) -> list[dict[str, Any]]:
        return self._call("GET", "log")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def peak_rss_mb() -> float:
    """This process's peak resident set size so far (Linux: ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def cpu_seconds() -> float:
    return time.process_time()
