"""`trellis sandbox` as a user runs it: URL first on stdout, serves, exits cleanly on signals."""

from __future__ import annotations

import signal
import subprocess
import sys

import boto3
import pytest
from botocore.config import Config


def start(*flags: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tui", "sandbox", *flags],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_prints_url_first_serves_and_exits_cleanly(sig):
    proc = start("--deny", "ListServiceNetworks", "--health-delay", "0")
    try:
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        client = boto3.client("vpc-lattice", endpoint_url=url, region_name="us-east-1",
                              aws_access_key_id="testing", aws_secret_access_key="testing",
                              config=Config(retries={"total_max_attempts": 1}))
        assert client.list_services()["items"] == []
        with pytest.raises(client.exceptions.AccessDeniedException):
            client.list_service_networks()
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0
    assert out == "" and "Traceback" not in err


@pytest.mark.parametrize("flags, fragment", [
    (["--throttle-rate", "1.5"], "--throttle-rate"),
    (["--port", "http"], "--port"),
    (["--seed", "no-such-seed"], "no-such-seed"),
])
def test_bad_input_is_one_line_exit_2(flags, fragment):
    proc = start(*flags)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 2
    assert out == "" and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 and fragment in err


def test_a_port_in_use_is_one_line_exit_2():
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        proc = start("--port", port)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and f"127.0.0.1:{port}" in err
