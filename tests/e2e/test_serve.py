"""`trellis serve` serves the app's page on 127.0.0.1 (textual-serve), and stops on SIGTERM."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TRELLIS = Path(sys.executable).with_name("trellis")
SNAPSHOT = ROOT / "tests" / "snapshots" / "data" / "demo.json"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_answers_on_localhost_with_the_app_page():
    port = _free_port()
    proc = subprocess.Popen(
        [str(TRELLIS), "serve", "--port", str(port), "--snapshot", str(SNAPSHOT)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        page = ""
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    assert response.status == 200
                    page = response.read().decode()
                    break
            except OSError:
                time.sleep(0.3)
        assert "trellis" in page and "ws" in page  # the page that opens the app's websocket
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_rejects_a_bad_port_in_one_line():
    result = subprocess.run(
        [str(TRELLIS), "serve", "--port", "0"], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == ["trellis: error: --port must be 1-65535, not 0"]
