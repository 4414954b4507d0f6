"""`trellis sandbox --rate-limit ecs --lattice-rate N`: AWS-like token buckets from the CLI."""

from __future__ import annotations

import subprocess
import sys

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError


def start(*flags: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tui", "sandbox", *flags],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def client(name: str, url: str):
    return boto3.client(
        name,
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"mode": "standard", "total_max_attempts": 1}),
    )


def until_throttled(call, limit: int) -> int:
    """Calls that succeeded before the first ThrottlingException (fails if none came)."""
    for done in range(limit):
        try:
            call()
        except ClientError as error:
            assert error.response["Error"]["Code"] == "ThrottlingException"
            return done
    raise AssertionError(f"no throttling within {limit} calls")


def test_rate_limit_flags_apply_token_buckets():
    proc = start("--rate-limit", "ecs", "--lattice-rate", "2", "--lattice-burst", "3")
    try:
        url = proc.stdout.readline().strip()
        lattice, ecs = client("vpc-lattice", url), client("ecs", url)
        # Lattice: a bucket of 3 refilled at 2/s; back-to-back calls empty it at once.
        assert 3 <= until_throttled(lattice.list_services, 10) <= 4
        # ECS: the published cluster-read bucket (50 burst, 20 s⁻¹).
        assert 50 <= until_throttled(ecs.list_clusters, 120) < 120
        # Other services are not limited.
        ec2 = client("ec2", url)
        for _ in range(60):
            ec2.describe_vpcs()
    finally:
        proc.terminate()
        proc.communicate(timeout=15)


@pytest.mark.parametrize(
    "flags, fragment",
    [
        (["--lattice-burst", "5"], "--lattice-rate"),
        (["--lattice-rate", "0"], "--lattice-rate"),
        (["--rate-limit", "s3"], "--rate-limit"),
    ],
)
def test_bad_rate_flags_are_one_line_exit_2(flags, fragment):
    proc = start(*flags)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 2
    assert out == "" and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 and fragment in err
