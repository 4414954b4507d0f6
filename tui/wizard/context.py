"""The ECS service a plan changes: resolved from Facts, and its change-detection basis. Pure."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from tui.wizard import checks
from tui.wizard.arns import MalformedArn, account_of, parse
from tui.wizard.facts import Facts
from tui.wizard.issues import Code, Issue

Raw = dict[str, Any]


@dataclass
class ServiceContext:
    """The ECS service being changed, resolved from Facts."""

    cluster_arn: str
    cluster_name: str
    service_arn: str
    service_name: str
    account: str
    raw: Raw
    task_def: Raw | None
    vpc_id: str | None
    subnets: list[str]
    security_groups: list[str]
    current: list[Raw]

    @property
    def launch_type(self) -> str:
        return checks.launch_type(self.raw)


# -- service resolution -------------------------------------------------------------------
def resolve_service(facts: Facts, cluster: str, service: str) -> ServiceContext | Issue:
    try:
        parse("cluster", cluster)
        parse("service", service)
    except MalformedArn as exc:
        return Issue(Code.MALFORMED_ARN, str(exc))
    found = facts.find_cluster(cluster)
    if found is None:
        where = f" in {facts.region}" if facts.region else ""
        return Issue(
            Code.CLUSTER_NOT_FOUND,
            f"ECS cluster {cluster!r} not found{where}",
            "check --cluster and --region",
        )
    cluster_arn, cluster_raw = found
    svc = facts.find_service(cluster_arn, service)
    if svc is None:
        return Issue(
            Code.SERVICE_NOT_FOUND,
            f"ECS service {service!r} not found in cluster {cluster_raw.get('clusterName')}",
            "check --service (a name or ARN of an ACTIVE service)",
        )
    service_arn, raw = svc
    net = checks.awsvpc(raw)
    subnets = list(net.get("subnets") or [])
    return ServiceContext(
        cluster_arn=cluster_arn,
        cluster_name=str(cluster_raw.get("clusterName", "")),
        service_arn=service_arn,
        service_name=str(raw.get("serviceName", "")),
        account=account_of(service_arn) or facts.account,
        raw=raw,
        task_def=facts.find_task_definition(str(raw.get("taskDefinition", ""))),
        vpc_id=facts.vpc_of_subnets(subnets),
        subnets=subnets,
        security_groups=list(net.get("securityGroups") or []),
        current=checks.current_configs(raw),
    )


def basis_of(service: Raw) -> Raw:
    """What must not change between planning and applying."""
    return {
        "status": service.get("status"),
        "taskDefinition": service.get("taskDefinition"),
        "launchType": service.get("launchType"),
        "networkConfiguration": service.get("networkConfiguration"),
        "vpcLatticeConfigurations": checks.current_configs(service),
        "primaryDeployment": checks.primary_deployment(service).get("id"),
    }


def changes_since(basis: Raw, service: Raw) -> list[str]:
    """Human lines for each field of the basis that differs in the freshly read ``service``."""
    now = basis_of(service)
    return [
        f"{key}: {json.dumps(basis.get(key))} → {json.dumps(now.get(key))}"
        for key in basis
        if basis.get(key) != now.get(key)
    ]
