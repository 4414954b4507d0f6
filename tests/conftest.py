"""Shared fixtures: a sandbox per test over real HTTP, never real AWS credentials.

moto's state is process-wide, so one sandbox server serves the whole session and is reset
(state, faults, request log, health delay) before each test that asks for ``sandbox``:
a reset costs milliseconds, a fresh server ~1 s on first start. ``sandbox_factory`` starts
extra servers (own port, faults, log) — starting one resets the shared moto state too.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest

# Fake, fixed credentials and no instance metadata: no test can reach a real account.
for _var in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
             "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE"):
    os.environ.pop(_var, None)
os.environ.update({
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_EC2_METADATA_DISABLED": "true",
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
})

DEFAULT_HEALTH_DELAY = 2.0


@pytest.fixture(scope="session")
def _session_sandbox() -> Iterator[Any]:
    from tui.sandbox import Sandbox

    box = Sandbox(seed="none").start()
    yield box
    box.stop()


@pytest.fixture
def sandbox(_session_sandbox: Any) -> Any:
    """A clean sandbox (seed "none", no faults, empty log, health_delay 2 s)."""
    from tui.sandbox import Faults

    box = _session_sandbox
    box.faults = Faults()
    box.health_delay = DEFAULT_HEALTH_DELAY
    box.reset("none")
    box.request_log.clear()
    return box


@pytest.fixture
def sandbox_factory() -> Iterator[Callable[..., Any]]:
    """``make(seed="none", faults=None, health_delay=2.0, region="us-east-1")`` -> started."""
    from tui.sandbox import Sandbox

    started: list[Any] = []

    def make(seed: str = "none", faults: Any = None, **kwargs: Any) -> Any:
        box = Sandbox(seed=seed, faults=faults, **kwargs).start()
        started.append(box)
        return box

    yield make
    for box in started:
        box.stop()


class Clients:
    """boto3 clients on a sandbox, one attempt each: ``boto_clients.lattice.list_services()``."""

    _names = {"lattice": "vpc-lattice", "ecs": "ecs", "ec2": "ec2", "iam": "iam", "sts": "sts"}

    def __init__(self, box: Any) -> None:
        self._box = box
        self._made: dict[str, Any] = {}

    def __call__(self, name: str, **kwargs: Any) -> Any:
        return self._box.client(name, **kwargs)

    def __getattr__(self, attr: str) -> Any:
        if attr not in self._names:
            raise AttributeError(attr)
        if attr not in self._made:
            self._made[attr] = self._box.client(self._names[attr])
        return self._made[attr]


@pytest.fixture
def boto_clients(sandbox: Any) -> Clients:
    return Clients(sandbox)


@pytest.fixture
def change_task_definition(sandbox: Any) -> Callable[[str, str, str], str]:
    """``change(cluster, service, family)``: register a copy of the family's latest revision and
    move the service to it, as a teammate would between planning and applying. Returns the
    new task-definition ARN."""

    def change(cluster: str, service: str, family: str) -> str:
        ecs = sandbox.client("ecs")
        td = ecs.describe_task_definition(taskDefinition=family)["taskDefinition"]
        new = ecs.register_task_definition(
            family=family,
            networkMode="awsvpc",
            requiresCompatibilities=["FARGATE"],
            cpu="256",
            memory="512",
            containerDefinitions=td["containerDefinitions"],
        )["taskDefinition"]["taskDefinitionArn"]
        ecs.update_service(cluster=cluster, service=service, taskDefinition=new)
        sandbox.request_log.clear()
        return new

    return change
