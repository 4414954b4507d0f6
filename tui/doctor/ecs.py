"""ECS <-> Lattice rules on an ECS service's vpcLatticeConfigurations and deployment."""

from __future__ import annotations

from collections.abc import Iterator

from tui.doctor import ecs_common as E
from tui.doctor import lattice as L
from tui.doctor.findings import Hit, rule
from tui.doctor.view import View
from tui.model.kinds import NodeKind

K = NodeKind
MAX_LATTICE_CONFIGS = 5


def _account(arn: str) -> str:
    parts = arn.split(":")
    return parts[4] if len(parts) > 5 else ""


def _update_hint(v: View, svc: str) -> str:
    cluster = str(v.raw(svc).get("clusterArn", "<cluster>")).rsplit("/", 1)[-1]
    return f"aws ecs update-service --cluster {cluster} --service {v.name(svc)}"


@rule("ecs-portname-missing", K.ECS_SERVICE, "error", area="ecs", needs=(K.TASK_DEFINITION,))
def ecs_portname_missing(v: View, svc: str) -> Iterator[Hit]:
    """A Lattice config's portName is not a portMappings[].name of the task definition.

    AWS ECS: vpcLatticeConfigurations[].portName must equal the name of a port mapping in the
    service's task definition; otherwise the deployment fails.
    """
    configs = E.lattice_configs(v, svc)
    if not configs:
        return
    td = E.task_definition(v, svc)
    if not v.exists(td):
        yield Hit(f"could not check: task definition {td or '?'} not loaded", severity="info")
        return
    names = [pm.get("name") for pm in E.port_mappings(v, td) if pm.get("name")]
    for conf in configs:
        name = conf.get("portName")
        if name in names:
            continue
        yield Hit(
            f"portName {name!r} is not a named port mapping of {v.name(td)}",
            evidence={"portName": name, "named_port_mappings": names, "taskDefinition": td},
            fix=f'use one of {names} as portName, or add "name": "{name}" to the portMappings '
            "entry in the task definition and register a new revision"
            if names
            else f'add "name": "{name}" to the container\'s portMappings entry',
        )


def _attached_groups(v: View, svc: str) -> Iterator[tuple[dict, str | None]]:
    for conf in E.lattice_configs(v, svc):
        arn = conf.get("targetGroupArn") or ""
        yield conf, L.target_group_node(v, arn)


@rule("ecs-tg-missing", K.ECS_SERVICE, "error", area="ecs", needs=(K.TARGET_GROUP,))
def ecs_tg_missing(v: View, svc: str) -> Iterator[Hit]:
    """A Lattice config names a target group that does not exist.

    AWS ECS never creates Lattice resources: the target group must exist before deployment,
    otherwise registering targets fails and the deployment does not complete.
    """
    for conf, tg in _attached_groups(v, svc):
        arn = conf.get("targetGroupArn") or ""
        if v.foreign(tg or arn) or v.load_error(K.TARGET_GROUP, arn):
            continue  # ecs-tg-vpc-mismatch reports another account; not loaded is no verdict
        if tg is None or not v.exists(tg):
            yield Hit(
                f"target group {conf.get('targetGroupArn')} does not exist",
                evidence={"vpcLatticeConfiguration": conf},
                fix="create the target group (aws vpc-lattice create-target-group --type IP ...) "
                f"or remove the config: {_update_hint(v, svc)} --vpc-lattice-configurations ...",
            )


@rule("ecs-tg-not-ip", K.ECS_SERVICE, "error", area="ecs", needs=(K.TARGET_GROUP,))
def ecs_tg_not_ip(v: View, svc: str) -> Iterator[Hit]:
    """Attached target group type is not IP.

    AWS ECS registers task ENI IPs, so VPC Lattice target groups used by ECS must be type IP.
    """
    for _conf, tg in _attached_groups(v, svc):
        if tg and v.exists(tg) and v.raw(tg).get("type", "IP") != "IP":
            yield Hit(
                f"target group {v.name(tg)} has type {v.raw(tg).get('type')}, ECS needs IP",
                evidence={"targetGroup": tg, "type": v.raw(tg).get("type")},
                fix="create a target group with --type IP in the service's VPC and point the "
                f"config at it: {_update_hint(v, svc)} --vpc-lattice-configurations ...",
            )


@rule("ecs-tg-vpc-mismatch", K.ECS_SERVICE, "error", area="ecs", needs=(K.TARGET_GROUP, K.SUBNET))
def ecs_tg_vpc_mismatch(v: View, svc: str) -> Iterator[Hit]:
    """Target group VPC (or account) differs from the service's subnets'.

    AWS: an IP target group holds addresses of one VPC (config.vpcIdentifier); ECS requires the
    target group in the same VPC and account as the tasks.
    """
    vpc = E.vpc_of(v, svc)
    for conf, tg in _attached_groups(v, svc):
        arn = conf.get("targetGroupArn") or ""
        if _account(arn) and _account(svc) and _account(arn) != _account(svc):
            yield Hit(
                f"target group {arn} belongs to account {_account(arn)}, the service to "
                f"{_account(svc)}",
                evidence={"targetGroupArn": arn, "service": svc},
                fix="use an IP target group owned by the service's account, in its VPC",
            )
            continue
        if not tg or not v.exists(tg):
            continue
        tg_vpc = (v.raw(tg).get("config") or {}).get("vpcIdentifier")
        if vpc and tg_vpc and tg_vpc != vpc:
            yield Hit(
                f"target group {v.name(tg)} is in {tg_vpc}, the service's subnets are in {vpc}",
                evidence={
                    "targetGroup": tg,
                    "tg_vpc": tg_vpc,
                    "service_vpc": vpc,
                    "subnets": E.subnet_ids(v, svc),
                },
                fix=f"create an IP target group in {vpc} and point the config at it",
            )


@rule("ecs-too-many-tgs", K.ECS_SERVICE, "error", area="ecs")
def ecs_too_many_tgs(v: View, svc: str) -> Iterator[Hit]:
    """More than 5 Lattice configs.

    AWS ECS: a service can have at most 5 vpcLatticeConfigurations (target groups).
    """
    configs = E.lattice_configs(v, svc)
    if len(configs) > MAX_LATTICE_CONFIGS:
        yield Hit(
            f"{len(configs)} Lattice configs; ECS allows at most {MAX_LATTICE_CONFIGS}",
            evidence=[c.get("targetGroupArn", "?") for c in configs],
            fix=f"{_update_hint(v, svc)} --vpc-lattice-configurations <at most 5 entries>",
        )


@rule("ecs-external-launch", K.ECS_SERVICE, "error", area="ecs")
def ecs_external_launch(v: View, svc: str) -> Iterator[Hit]:
    """Lattice configs on a service with launch type EXTERNAL.

    AWS ECS: VPC Lattice integration is not supported for the EXTERNAL launch type (ECS Anywhere).
    """
    launch = E.primary_deployment(v, svc).get("launchType") or v.raw(svc).get("launchType")
    if launch == "EXTERNAL" and E.lattice_configs(v, svc):
        yield Hit(
            "EXTERNAL launch type cannot use VPC Lattice",
            evidence={"launchType": launch},
            fix="run the service on FARGATE or EC2 (awsvpc) to use Lattice, or remove the configs",
        )


@rule("ecs-rollout-failed", K.ECS_SERVICE, "error", area="ecs")
def ecs_rollout_failed(v: View, svc: str) -> Iterator[Hit]:
    """PRIMARY deployment rolloutState FAILED.

    AWS ECS: rolloutState FAILED (deployment circuit breaker or failed Lattice registration)
    comes with rolloutStateReason; the service events say what went wrong.
    """
    dep = E.primary_deployment(v, svc)
    if dep.get("rolloutState") != "FAILED":
        return
    events = [e.get("message", "") for e in (v.raw(svc).get("events") or [])[:5]]
    yield Hit(
        f"deployment {dep.get('id', '')} failed: {dep.get('rolloutStateReason') or 'no reason'}",
        evidence={"rolloutStateReason": dep.get("rolloutStateReason"), "recent_events": events},
        fix=f"fix the cause in the events, then {_update_hint(v, svc)} --force-new-deployment",
    )


@rule("ecs-tasks-not-registered", K.ECS_SERVICE, "error", area="ecs", needs=(K.ECS_TASK, K.TARGET))
def ecs_tasks_not_registered(v: View, svc: str) -> Iterator[Hit]:
    """Running tasks of an attached service whose IPs are not targets of the group.

    AWS ECS registers each RUNNING task's private IP in every configured target group; a task
    whose IP is missing gets no Lattice traffic. Warning when only some are missing
    (registration may still be in progress), error when none is registered.
    """
    running = {
        t: E.task_ip(v, t)
        for t in E.tasks(v, svc)
        if str(v.raw(t).get("lastStatus", "")).upper() == "RUNNING"
    }
    running = {t: ip for t, ip in running.items() if ip}
    if not running:
        return
    for _conf, tg in _attached_groups(v, svc):
        if not tg or not v.exists(tg) or L.targets_unknown(v, tg):
            continue
        ips = {str(v.raw(t).get("id")) for t in L.targets(v, tg)}
        missing = {t: ip for t, ip in running.items() if ip not in ips}
        if not missing:
            continue
        yield Hit(
            f"{len(missing)} of {len(running)} running task(s) are not targets of {v.name(tg)}",
            evidence={"missing_task_ips": sorted(missing.values()), "target_ids": sorted(ips)},
            fix="check the service events and the role's vpc-lattice:RegisterTargets permission; "
            f"{_update_hint(v, svc)} --force-new-deployment re-registers tasks",
            severity="error" if len(missing) == len(running) else "warning",
        )
