"""End to end: the real `trellis --demo` in a real terminal (tmux), driven like a person."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TRELLIS = Path(sys.executable).with_name("trellis")

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")


class Terminal:
    def __init__(self, command: str, name: str) -> None:
        self.socket = f"trellis-e2e-{os.getpid()}-{name}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("TMUX")}
        env.update(TERM="xterm-256color", COLORTERM="truecolor")
        script = f"cd {ROOT} && {command}; echo EXIT=$?; sleep 60"
        self._tmux("new-session", "-d", "-x", "160", "-y", "45", "-s", name, script, env=env)

    def _tmux(self, *args: str, env: dict[str, str] | None = None) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, env=env, check=False
        )
        return result.stdout

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p")

    def keys(self, *keys: str) -> None:
        for key in keys:
            self._tmux("send-keys", key)
            time.sleep(0.15)

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; screen:\n{self.screen()}")

    def close(self) -> None:
        self._tmux("kill-server")


def test_demo_find_unhealthy_target_and_follow_its_path():
    term = Terminal(f"{TRELLIS} --demo", "demo")
    try:
        # The first frame comes at once (the sandbox starts in the background).
        term.wait_for("trellis │", timeout=15)
        screen = term.wait_for("Service networks (", timeout=180)
        assert "demo sandbox" in screen
        term.wait_for("loaded ", timeout=180)
        term.keys("h")  # one key: every target, unhealthy first
        screen = term.wait_for("Target health (unhealthy first)")
        first_row = next(line for line in screen.splitlines() if "UNHEALTHY" in line)
        assert "HealthCheckFailed" in first_row and "inventory" in first_row
        term.keys("Enter", "3")  # into the tree, then the Path tab
        screen = term.wait_for("path(s)")
        assert "sn shop-prod-net" in screen and "svc inventory" in screen
        assert "✗" in screen
        term.keys(":")
        term.wait_for("command")  # the prompt's placeholder
        term.keys("s", "v", "c", "Enter")
        term.wait_for("Lattice services")
        term.keys("/")
        term.wait_for("filter: name, id")  # a person types once the prompt shows
        term.keys("c", "h", "e", "c", "k", "Enter")
        screen = term.wait_for("filter: check")
        assert "checkout" in screen and "inventory" not in screen.split("│")[0]
        term.keys("q")
        term.wait_for("EXIT=0", timeout=20)
    finally:
        term.close()


def test_unknown_profile_is_one_line_and_exit_2():
    env = "AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null"
    term = Terminal(f"env {env} {TRELLIS} --profile no-such-profile --region us-east-1", "cred")
    try:
        screen = term.wait_for("EXIT=", timeout=60)
        assert "EXIT=2" in screen
        errors = [line for line in screen.splitlines() if line.startswith("trellis: error:")]
        assert len(errors) == 1 and "no-such-profile" in errors[0]
        assert "Traceback" not in screen
    finally:
        term.close()
