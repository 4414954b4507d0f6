"""ClientFactory against the sandbox over real HTTP: guard, retry config, credentials errors."""

from __future__ import annotations

import botocore.session
import pytest
from botocore import xform_name

from tui.aws.clients import ClientFactory, ReadOnlyViolation
from tui.aws.loader import crawl
from tui.aws.readonly import is_read_operation
from tui.config import AppConfig, Connection
from tui.errors import ConnectionFailure
from tui.sandbox import Sandbox

GUARDED = ("vpc-lattice", "ecs", "ec2", "iam")
A_READ = {"vpc-lattice": "ListServices", "ecs": "ListClusters", "ec2": "DescribeVpcs",
          "iam": "ListRoles"}


def cfg(sb: Sandbox, **kw) -> AppConfig:
    kw.setdefault("retry_mode", "standard")
    kw.setdefault("max_attempts", 1)
    return AppConfig(connection=sb.connection(), **kw)


def mutating(service: str) -> list[str]:
    model = botocore.session.get_session().get_service_model(service)
    return [op for op in model.operation_names if not is_read_operation(op)]


@pytest.mark.parametrize("service", GUARDED)
async def test_guard_refuses_every_mutating_operation_before_sending(sandbox, service):
    ops = mutating(service)
    assert len(ops) >= {"vpc-lattice": 30, "ecs": 40, "ec2": 300, "iam": 80}[service]
    refused = []
    factory = ClientFactory(cfg(sandbox, read_only=True))
    async with factory, factory.client(service) as client:
        for op in ops:
            # No parameters at all: the guard must fire before parameter validation.
            with pytest.raises(ReadOnlyViolation) as info:
                await getattr(client, xform_name(op))()
            assert f"{service}:{op}" in str(info.value)
            refused.append(op)
        assert sandbox.request_log.entries() == []  # nothing reached the server
        await getattr(client, xform_name(A_READ[service]))()  # reads still work
    assert refused == ops
    assert [r.operation for r in sandbox.request_log.entries()] == [A_READ[service]]


async def test_guard_is_on_for_snapshots_and_off_for_writable_configs(sandbox, tmp_path):
    assert ClientFactory(cfg(sandbox, snapshot_path=tmp_path / "s.json")).read_only
    assert ClientFactory(cfg(sandbox, read_only=True)).read_only
    writable = ClientFactory(cfg(sandbox))
    assert not writable.read_only
    async with writable.client("vpc-lattice") as client:
        await client.create_service_network(name="sn-writable")
    assert [r.operation for r in sandbox.request_log.writes()] == ["CreateServiceNetwork"]


async def test_crawl_never_writes_even_with_a_writable_config(sandbox):
    sandbox.client("vpc-lattice").create_service(name="svc-ro")
    sandbox.request_log.clear()
    inventory = await crawl(cfg(sandbox))
    assert len(inventory.of("service")) == 1
    assert sandbox.request_log.entries() and sandbox.request_log.writes() == []


async def test_client_config_retry_pool_timeouts(sandbox):
    config = cfg(sandbox, retry_mode="adaptive", max_attempts=7, max_concurrency=64,
                 connect_timeout=1.5, read_timeout=3.0)
    async with ClientFactory(config) as factory:
        async with factory.client("ecs") as a, factory.client("ecs") as b:
            assert a is b  # shared while the factory is open
            meta = a.meta.config
            assert meta.retries == {"mode": "adaptive", "total_max_attempts": 7}
            assert meta.max_pool_connections >= 64
            assert (meta.connect_timeout, meta.read_timeout) == (1.5, 3.0)
            assert a.meta.endpoint_url == sandbox.endpoint_url
        assert await factory.account_id() == "123456789012"


def _no_credentials_env(monkeypatch, tmp_path):
    for var in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
                "AWS_DEFAULT_PROFILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_WEB_IDENTITY_TOKEN_FILE",
                "AWS_ROLE_ARN"):
        monkeypatch.delenv(var, raising=False)
    (tmp_path / "config").write_text("[profile other]\nregion = eu-west-1\n")
    (tmp_path / "credentials").write_text("")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


def _one_line_fix(message: str) -> None:
    assert "\n" not in message
    assert "aws configure" in message and "aws sso login" in message
    assert "trellis --demo" in message


async def test_missing_credentials_is_one_line_with_the_fix(monkeypatch, tmp_path):
    _no_credentials_env(monkeypatch, tmp_path)
    config = AppConfig(connection=Connection(region="us-east-1"))
    with pytest.raises(ConnectionFailure) as info:
        await crawl(config)
    assert info.value.exit_code == 2
    assert "no AWS credentials" in str(info.value)
    _one_line_fix(str(info.value))


async def test_a_loopback_endpoint_needs_no_credentials(monkeypatch, tmp_path, sandbox):
    """`trellis sandbox` + `trellis graph --endpoint-url URL` on a machine with no AWS set-up."""
    _no_credentials_env(monkeypatch, tmp_path)
    conn = Connection(region="us-east-1", endpoint_url=sandbox.endpoint_url)
    inventory = await crawl(AppConfig(connection=conn, retry_mode="standard", max_attempts=1))
    assert inventory.account == "123456789012" and not inventory.errors


async def test_every_factory_on_a_loopback_endpoint_signs_without_credentials(
    monkeypatch, tmp_path, sandbox
):
    """Not only the crawl's: the wizard's and verify's factories go straight to a client."""
    _no_credentials_env(monkeypatch, tmp_path)
    conn = Connection(region="us-east-1", endpoint_url=sandbox.endpoint_url)
    factory = ClientFactory(AppConfig(connection=conn, retry_mode="standard", max_attempts=1))
    async with factory.client("ecs") as ecs:
        assert (await ecs.list_clusters())["clusterArns"] == []
    assert await factory.account_id() == "123456789012"


async def test_a_remote_endpoint_still_needs_credentials(monkeypatch, tmp_path):
    _no_credentials_env(monkeypatch, tmp_path)
    # Refused before any request: the .invalid host is never contacted.
    conn = Connection(region="us-east-1", endpoint_url="http://sandbox.invalid:9")
    with pytest.raises(ConnectionFailure, match="no AWS credentials"):
        await crawl(AppConfig(connection=conn))


def test_unknown_profile_names_it(monkeypatch, tmp_path):
    _no_credentials_env(monkeypatch, tmp_path)
    with pytest.raises(ConnectionFailure) as info:
        ClientFactory(AppConfig(connection=Connection(profile="nope", region="us-east-1")))
    assert "'nope'" in str(info.value) and "aws sso login --profile nope" in str(info.value)
    _one_line_fix(str(info.value))


async def test_unknown_or_missing_region(monkeypatch, tmp_path):
    _no_credentials_env(monkeypatch, tmp_path)
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    monkeypatch.delenv("AWS_REGION", raising=False)
    with pytest.raises(ConnectionFailure, match="unknown AWS region 'mars-north-9'"):
        await crawl(AppConfig(connection=Connection(region="mars-north-9")))
    with pytest.raises(ConnectionFailure, match="no AWS region configured"):
        await crawl(AppConfig(connection=Connection()))


async def test_unreachable_endpoint_is_a_connection_failure(sandbox):
    conn = Connection(region="us-east-1", endpoint_url="http://127.0.0.1:9",
                      access_key="testing", secret_key="s3cr3t-never-shown")
    config = AppConfig(connection=conn, retry_mode="standard", max_attempts=1,
                       connect_timeout=1.0)
    with pytest.raises(ConnectionFailure) as info:
        await crawl(config)
    assert "cannot reach AWS" in str(info.value)
    assert "s3cr3t" not in str(info.value) and "s3cr3t" not in repr(config)


@pytest.mark.parametrize("value", [1795306758.123, 1795306758, "1795306758.5",
                                   "2026-11-22T00:17:12.068Z", "2026-11-22T00:17:12Z",
                                   "2026-11-22T00:17:12.068199+00:00", "2026-11-22T00:17:12"])
def test_iso_timestamps_match_botocore_datetimes(value):
    from botocore.utils import parse_timestamp

    from tui.aws.clients import iso_timestamp

    assert iso_timestamp(value) == parse_timestamp(value).isoformat()


async def test_iso_timestamp_factory_gives_strings(sandbox):
    import datetime

    sandbox.client("iam").create_role(RoleName="ts", AssumeRolePolicyDocument="{}")
    svc = sandbox.client("vpc-lattice").create_service(name="svc-ts")
    for iso, expected in ((True, str), (False, datetime.datetime)):
        factory = ClientFactory(cfg(sandbox), iso_timestamps=iso)
        async with factory, factory.client("iam") as iam, factory.client("vpc-lattice") as lat:
            role = (await iam.get_role(RoleName="ts"))["Role"]
            got = await lat.get_service(serviceIdentifier=svc["id"])
            assert isinstance(role["CreateDate"], expected)  # XML protocol
            assert isinstance(got["createdAt"], expected)  # JSON protocol


def test_bad_retry_mode_is_a_usage_error():
    from tui.errors import UsageError

    with pytest.raises(UsageError, match="must be one of"):
        ClientFactory(AppConfig(connection=Connection(region="us-east-1"), retry_mode="bogus"))
