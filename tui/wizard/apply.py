"""Apply a plan: re-read the service, stop if it changed since planning, then UpdateService."""

from __future__ import annotations

from typing import Any

from tui.aws.clients import ClientFactory, ReadOnlyViolation
from tui.aws.context import clean, describe_failure
from tui.errors import TrellisError
from tui.wizard.context import changes_since
from tui.wizard.issues import Code
from tui.wizard.plan import Plan


class ServiceChanged(TrellisError):
    """The service differs from what the plan was built on: nothing was written."""

    code = Code.SERVICE_CHANGED

    def __init__(self, message: str, changes: list[str]) -> None:
        super().__init__(message)
        self.changes = changes


class ApplyFailed(TrellisError):
    """UpdateService was refused by AWS."""


async def reread(factory: ClientFactory, plan: Plan) -> dict[str, Any]:
    """The service as it is now (DescribeServices), or ServiceChanged if it is gone."""
    ctx = plan.context
    assert ctx is not None
    async with factory.client("ecs") as ecs:
        resp = clean(
            await ecs.describe_services(cluster=ctx.cluster_arn, services=[ctx.service_arn])
        )
    services = [s for s in resp.get("services", []) if s.get("status") != "INACTIVE"]
    if not services:
        raise ServiceChanged(
            f"service {ctx.service_name} no longer exists; nothing was changed "
            f"[{Code.SERVICE_CHANGED}]",
            ["service deleted"],
        )
    return services[0]


async def apply_plan(factory: ClientFactory, plan: Plan) -> dict[str, Any]:
    """Send the plan's UpdateService after checking the service still matches its basis.

    Returns the updated Service. Raises ServiceChanged / ApplyFailed / ReadOnlyViolation with
    nothing written.
    """
    if not plan.ok or plan.request is None:
        raise TrellisError(f"refusing to apply an invalid plan: {plan.errors[0].line()}")
    if factory.read_only:
        raise ReadOnlyViolation("read-only mode: refusing ecs:UpdateService [read_only]")
    fresh = await reread(factory, plan)
    changed = changes_since(plan.basis, fresh)
    if changed:
        raise ServiceChanged(
            f"service {plan.context.service_name} changed since planning ({'; '.join(changed)}); "
            f"nothing was changed, plan again [{Code.SERVICE_CHANGED}]",
            changed,
        )
    try:
        async with factory.client("ecs") as ecs:
            resp = await ecs.update_service(**plan.request)
    except TrellisError:
        raise
    except Exception as exc:  # noqa: BLE001 - one line, never a traceback
        code, message = describe_failure(exc)
        raise ApplyFailed(f"UpdateService failed: {code}: {message}") from None
    return clean(resp.get("service", {}))
