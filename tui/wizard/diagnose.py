"""After a failed watch: run the doctor's ECS <-> Lattice rules on fresh facts for the cause."""

from __future__ import annotations

from tui.aws.clients import ClientFactory
from tui.errors import TrellisError
from tui.model.kinds import NodeKind as K
from tui.wizard.fetch import gather
from tui.wizard.plan import Plan
from tui.wizard.watch import WatchEvent


async def doctor_causes(factory: ClientFactory, plan: Plan, ev: WatchEvent) -> list[str]:
    """Error/warning findings of ``check_ecs_service`` on the service as it is now."""
    try:
        from tui.doctor import check_ecs_service
        from tui.model.graph import build_graph
    except ImportError:  # the doctor is optional for the wizard
        return []
    ctx = plan.context
    role = next((c["roleArn"] for c in plan.desired or plan.current if c.get("roleArn")), None)
    try:
        inv = await gather(
            factory,
            cluster=ctx.cluster_arn,
            service=ctx.service_arn,
            target_group=plan.target_group_arn,
            role=role,
        )
    except TrellisError:
        return []
    # The watch's last reads: the service's tasks and the group's targets.
    inv.records[str(K.ECS_SERVICE)] = (
        [{"raw": ev.service, "ctx": {}}] if ev.service else inv.of(K.ECS_SERVICE)
    )
    for task in ev.tasks:
        inv.add(K.ECS_TASK, task)
    for target in ev.raw_targets:
        inv.add(K.TARGET, target, targetGroupArn=plan.target_group_arn)
    findings = check_ecs_service(build_graph(inv), ctx.service_arn, min_severity="warning")
    return [f"{f.rule}: {f.message}" + (f" (fix: {f.fix})" if f.fix else "") for f in findings]
