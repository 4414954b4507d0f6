"""aiobotocore clients: credentials chain, retry modes, timeouts and the read-only guard.

``ClientFactory(config)`` builds one client per service from the SDK's own chain plus
``config.connection`` (profile, region, endpoint URL; static keys only for the sandbox).

    async with ClientFactory(config) as factory:      # clients shared, closed on exit
        async with factory.client("vpc-lattice") as c:
            ...

Outside ``async with factory`` each ``factory.client(...)`` block gets its own client that is
closed when the block ends. With ``read_only`` (the default when ``config.can_write`` is false)
every client refuses any non-read operation before parameter validation, so nothing is sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import ipaddress
import platform
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import aiobotocore
import botocore
import botocore.loaders
import botocore.session
from aiobotocore.session import AioSession
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    ProfileNotFound,
)

from tui import __version__
from tui.aws.readonly import is_read_operation
from tui.config import AppConfig
from tui.errors import ConnectionFailure, TrellisError, UsageError

# A fixed User-Agent (botocore's "legacy" form): building the default one costs ~10% of a
# crawl's client CPU, rebuilt twice per request.
USER_AGENT = (
    f"trellis/{__version__} aiobotocore/{aiobotocore.__version__} "
    f"botocore/{botocore.__version__} Python/{platform.python_version()}"
)
_EPOCH = re.compile(r"^\d+(\.\d+)?$")
# STS answers that mean "these credentials do not work" (anything else is a call failure).
CREDENTIAL_ERRORS = frozenset({
    "InvalidClientTokenId", "SignatureDoesNotMatch", "ExpiredToken", "ExpiredTokenException",
    "UnrecognizedClientException", "InvalidAccessKeyId", "AuthFailure",
    "InvalidToken", "IncompleteSignature",
})


class ReadOnlyViolation(TrellisError):
    """A write was attempted while trellis runs read-only (``--read-only`` or a snapshot)."""

    exit_code = 2


def _fix_hint(profile: str | None) -> str:
    login = f"`aws sso login --profile {profile}`" if profile else "`aws sso login --profile P`"
    return f"run `aws configure` or {login}, or try `trellis --demo`"


def _refuse_writes(model: Any = None, **_: Any) -> None:
    """botocore ``provide-client-params`` handler: the first hook of every API call."""
    name = getattr(model, "name", "?")
    if not is_read_operation(name):
        service = getattr(getattr(model, "service_model", None), "service_name", "aws")
        raise ReadOnlyViolation(
            f"read-only mode: refusing {service}:{name} (trellis runs with --read-only "
            "or from a snapshot; drop --read-only to make changes)"
        )


def iso_timestamp(value: Any) -> str:
    """botocore timestamp parser → the ISO 8601 string botocore's datetime would give.

    Same text as ``parse_timestamp(value).isoformat()`` for AWS's formats, without dateutil.
    """
    if isinstance(value, int | float) or (isinstance(value, str) and _EPOCH.match(value)):
        return datetime.fromtimestamp(float(value), tz=UTC).isoformat()
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return parsed.isoformat()


@functools.cache
def _shared_loader() -> botocore.loaders.Loader:
    return botocore.loaders.create_loader()


@functools.cache
def _known_regions() -> frozenset[str]:
    """Every region botocore's endpoint data knows, across partitions."""
    session = botocore.session.get_session()
    return frozenset(
        region
        for partition in session.get_available_partitions()
        for region in session.get_available_regions("sts", partition)
    )


def _client_config(config: AppConfig) -> Config:
    try:
        return Config(
            retries={"mode": config.retry_mode,
                     "total_max_attempts": max(1, config.max_attempts)},
            max_pool_connections=max(10, config.max_concurrency),
            connect_timeout=config.connect_timeout,
            read_timeout=config.read_timeout,
            user_agent=USER_AGENT,
        )
    except BotoCoreError as exc:  # e.g. InvalidRetryModeError
        raise UsageError(f"bad client settings: {exc}") from None


LOCAL_KEY = "testing"  # noqa: S105 - a fake key, only ever sent to a loopback endpoint


def _is_loopback(url: str | None) -> bool:
    host = urlsplit(url).hostname if url else None
    if host == "localhost":
        return True
    try:
        return host is not None and ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class ClientFactory:
    """Builds (and, while entered, shares) aiobotocore clients for one connection."""

    def __init__(
        self, config: AppConfig, *, read_only: bool | None = None, iso_timestamps: bool = False
    ) -> None:
        """``iso_timestamps``: responses carry ISO-8601 strings instead of datetimes (cheaper
        to parse, and what an Inventory stores); the crawler's own factory uses it."""
        self.config = config
        self.read_only = (not config.can_write) if read_only is None else read_only
        conn = config.connection
        try:
            self.session = AioSession(profile=conn.profile)
            # Service models are big JSON files (ec2 ~0.4 s to parse): parse once per process.
            self.session.register_component("data_loader", _shared_loader())
            if iso_timestamps:
                parsers = self.session.get_component("response_parser_factory")
                parsers.set_parser_defaults(timestamp_parser=iso_timestamp)
            # Touch the profile now: an unknown profile fails here, not deep in a crawl.
            self.session.get_scoped_config()
        except ProfileNotFound:
            raise ConnectionFailure(
                f"AWS profile {conn.profile!r} not found: {_fix_hint(conn.profile)}"
            ) from None
        self._botocore_config = _client_config(config)
        self._stack: contextlib.AsyncExitStack | None = None
        self._shared: dict[str, Any] = {}
        self._lock = asyncio.Lock()
        self._local_decided = False

    # -- connection facts ---------------------------------------------------------------
    @property
    def region(self) -> str:
        region = self.config.connection.region or self.session.get_config_variable("region")
        if not region:
            raise ConnectionFailure(
                "no AWS region configured: pass --region R (or set AWS_REGION / the profile's "
                f"region); {_fix_hint(self.config.connection.profile)}"
            )
        if not self.config.connection.endpoint_url and not self._known_region(region):
            raise ConnectionFailure(
                f"unknown AWS region {region!r}: pass a region such as --region us-east-1"
            )
        return region

    @staticmethod
    def _known_region(region: str) -> bool:
        return region in _known_regions()

    async def _local_key_if_none(self) -> None:
        """A local emulator (`trellis sandbox`, moto, LocalStack) takes any key: with a
        loopback endpoint and no credentials in the chain, sign with a fake one. Decided once
        per factory, before its first client, so every factory (crawl, wizard, verify) agrees."""
        if self._local_decided:
            return
        self._local_decided = True
        conn = self.config.connection
        if (conn.access_key and conn.secret_key) or not _is_loopback(conn.endpoint_url):
            return
        try:
            creds = await self.session.get_credentials()
        except BotoCoreError:
            return  # a broken chain: check_credentials says so
        if creds is None:
            self.config = dataclasses.replace(
                self.config,
                connection=dataclasses.replace(conn, access_key=LOCAL_KEY, secret_key=LOCAL_KEY),
            )

    async def check_credentials(self) -> None:
        """Fail early, in one line, when the SDK chain finds no credentials."""
        await self._local_key_if_none()
        conn = self.config.connection
        if conn.access_key and conn.secret_key:
            return
        try:
            creds = await self.session.get_credentials()
        except BotoCoreError as exc:  # e.g. broken SSO cache, bad credential_process
            raise ConnectionFailure(
                f"cannot load AWS credentials ({type(exc).__name__}): {_fix_hint(conn.profile)}"
            ) from None
        if creds is None:
            raise ConnectionFailure(f"no AWS credentials found: {_fix_hint(conn.profile)}")

    async def account_id(self) -> str:
        """STS GetCallerIdentity: cheap, and proves credentials + endpoint work."""
        hint = _fix_hint(self.config.connection.profile)
        try:
            async with self.client("sts") as sts:
                ident = await sts.get_caller_identity()
        except (NoCredentialsError, NoRegionError) as exc:
            raise ConnectionFailure(f"{exc}: {hint}") from None
        except EndpointConnectionError as exc:
            raise ConnectionFailure(f"cannot reach AWS ({exc}); check --endpoint-url") from None
        except ClientError as exc:
            err = exc.response.get("Error", {})
            code = err.get("Code", "Error")
            if code not in CREDENTIAL_ERRORS:
                raise  # throttled, 5xx...: the caller records it and goes on
            raise ConnectionFailure(
                f"AWS rejected the credentials ({code}: {err.get('Message', '')}): {hint}"
            ) from None
        except BotoCoreError as exc:
            raise ConnectionFailure(
                f"cannot use AWS credentials ({type(exc).__name__}: {exc}): {hint}"
            ) from None
        return str(ident["Account"])

    # -- clients ------------------------------------------------------------------------
    def _create(self, service: str) -> Any:
        """An un-entered aiobotocore ClientCreatorContext for ``service``."""
        conn = self.config.connection
        kwargs: dict[str, Any] = {"region_name": self.region, "config": self._botocore_config}
        if conn.endpoint_url:
            kwargs["endpoint_url"] = conn.endpoint_url
        if conn.access_key and conn.secret_key:
            kwargs["aws_access_key_id"] = conn.access_key
            kwargs["aws_secret_access_key"] = conn.secret_key
        return self.session.create_client(service, **kwargs)

    def _guard(self, client: Any) -> Any:
        if self.read_only:
            client.meta.events.register_first("provide-client-params.*.*", _refuse_writes)
        return client

    @contextlib.asynccontextmanager
    async def client(self, service: str) -> AsyncIterator[Any]:
        """Yield a client for ``service``: the shared one while the factory is entered."""
        await self._local_key_if_none()
        if self._stack is None:
            async with self._create(service) as c:
                yield self._guard(c)
            return
        async with self._lock:
            c = self._shared.get(service)
            if c is None:
                c = self._guard(await self._stack.enter_async_context(self._create(service)))
                self._shared[service] = c
        yield c

    @property
    def is_open(self) -> bool:
        """True inside ``async with factory``: clients are shared until it ends."""
        return self._stack is not None

    async def __aenter__(self) -> ClientFactory:
        if self._stack is None:
            self._stack = contextlib.AsyncExitStack()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        stack, self._stack, self._shared = self._stack, None, {}
        if stack is not None:
            await stack.aclose()
