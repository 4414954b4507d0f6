"""The crawler under the sandbox's fault injection: nothing lost, every gap reported."""

from __future__ import annotations

import time

import pytest
from test_loader import build

from tui.aws.loader import crawl
from tui.config import AppConfig
from tui.sandbox import Faults, Sandbox


@pytest.fixture
def seeded(sandbox):
    """build() plus 30 target groups with a target each and 15 more services."""
    sandbox.health_delay = 0.0  # targets HEALTHY at once: crawls minutes apart agree
    topology = build(sandbox)
    lat = sandbox.client("vpc-lattice")
    for i in range(30):
        tg = lat.create_target_group(name=f"tg-extra-{i:02d}", type="IP", config={
            "port": 8080, "protocol": "HTTP", "vpcIdentifier": topology["vpc"]})
        lat.register_targets(targetGroupIdentifier=tg["id"], targets=[{"id": f"10.8.1.{i + 20}"}])
    for i in range(15):
        lat.create_service(name=f"svc-extra-{i:02d}")
    sandbox.request_log.clear()
    return topology


def cfg(sb: Sandbox, **kw) -> AppConfig:
    kw.setdefault("retry_mode", "standard")
    kw.setdefault("max_attempts", 1)
    return AppConfig(connection=sb.connection(), **kw)


@pytest.fixture
async def baseline(sandbox, seeded):
    inv = await crawl(cfg(sandbox))
    assert inv.errors == [] and len(inv.of("target_group")) == 31
    sandbox.request_log.clear()
    return inv.to_dict()


def without(data: dict, *kinds: str) -> dict:
    return {**data, "records": {k: v for k, v in data["records"].items() if k not in kinds},
            "errors": []}


async def test_access_denied_on_one_operation_keeps_the_rest(sandbox, baseline):
    sandbox.faults = Faults(deny_operations={"vpc-lattice:ListTargets"})
    inv = await crawl(cfg(sandbox))
    assert inv.of("target") == []
    assert without(inv.to_dict(), "target") == without(baseline, "target")
    tg_arns = {r["raw"]["arn"] for r in inv.of("target_group")}
    assert {e.resource for e in inv.errors} == tg_arns
    assert {(e.operation, e.code, e.kind, e.iam_action) for e in inv.errors} == {
        ("ListTargets", "AccessDeniedException", "target", "vpc-lattice:ListTargets")}
    assert all(e.is_access_denied for e in inv.errors)


async def test_denied_get_keeps_the_list_summary(sandbox, baseline):
    sandbox.faults = Faults(deny_operations={"GetTargetGroup"})
    inv = await crawl(cfg(sandbox))
    assert len(inv.of("target_group")) == 31  # nothing the list returned is dropped
    assert all(r["ctx"] == {"summaryOnly": True} for r in inv.of("target_group"))
    assert len(inv.errors) == 31 and {e.operation for e in inv.errors} == {"GetTargetGroup"}
    assert without(inv.to_dict(), "target_group") == without(baseline, "target_group")


async def test_access_denied_for_all_of_ecs(sandbox, baseline):
    sandbox.faults = Faults(deny_operations={"ecs:*"})
    inv = await crawl(cfg(sandbox))
    ecs_kinds = ("ecs_cluster", "ecs_service", "ecs_task", "task_definition", "iam_role")
    assert not any(inv.of(k) for k in ecs_kinds)
    assert without(inv.to_dict(), *ecs_kinds) == without(baseline, *ecs_kinds)
    assert [(e.iam_action, e.kind) for e in inv.errors] == [("ecs:ListClusters", "ecs_cluster")]


async def test_throttling_20_percent_gives_the_identical_inventory(sandbox, baseline):
    # adaptive mode (the default) is tested on a smaller account in test_loader.py: its
    # client-side rate limiter slows right down under random throttling, as designed.
    sandbox.faults = Faults(throttle_rate=0.2, seed=7)
    inv = await crawl(cfg(sandbox, retry_mode="standard", max_attempts=12))
    throttled = [r for r in sandbox.request_log.entries() if r.fault == "throttle"]
    assert len(throttled) > 10  # the faults really happened
    assert inv.to_dict() == baseline


async def test_5xx_and_dropped_connections_give_the_identical_inventory(sandbox, baseline):
    sandbox.faults = Faults(error_rate=0.05, drop_rate=0.03, seed=3)
    inv = await crawl(cfg(sandbox, max_attempts=12))
    assert {r.fault for r in sandbox.request_log.entries()} >= {"error", "drop"}
    assert inv.to_dict() == baseline


async def test_throttled_past_retries_is_reported(sandbox):
    sandbox.faults = Faults(throttle_rate=1.0)
    inv = await crawl(cfg(sandbox, max_attempts=2, max_concurrency=64))
    assert inv.errors and {e.code for e in inv.errors} <= {
        "ThrottlingException", "RequestLimitExceeded", "Throttling"}
    assert {"ListServices", "ListClusters", "DescribeVpcs", "ListTargetGroups"} <= {
        e.operation for e in inv.errors}


async def test_a_hanging_call_is_bounded_and_reported(sandbox, baseline):
    sandbox.faults = Faults(hang_operations={"vpc-lattice:GetListener"}, hang_seconds=30)
    started = time.monotonic()
    inv = await crawl(cfg(sandbox, read_timeout=0.5))
    assert time.monotonic() - started < 10
    assert [(e.operation, e.code) for e in inv.errors] == [("GetListener", "Timeout")]
    [listener] = inv.of("listener")
    assert listener["ctx"]["summaryOnly"] is True
    assert without(inv.to_dict(), "listener") == without(baseline, "listener")
