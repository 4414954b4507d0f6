"""Place an ecspresso project's service into (a copy of) the live inventory, as if deployed.

The planned service is a DescribeServices-shaped record whose PRIMARY deployment carries the
project's ``vpcLatticeConfigurations``, network configuration and a planned task definition;
the graph builder then draws its edges exactly as for a live service (cluster → service,
service -attached-> target groups, -uses-> task definition / roles, -in-> subnets,
security groups -guards-> service). A live service of the same cluster and name is replaced,
and its running tasks left out: they run the old deployment, not the plan. The planned service
and task definition nodes carry ``planned=True``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from tui.ecspresso.project import LatticeConfig, Project
from tui.model.inventory import Inventory
from tui.model.kinds import NodeKind

PLANNED_REVISION = "planned"


@dataclass
class Plan:
    """Where the planned service landed: ids, its configs and the graph holding it."""

    graph: nx.MultiDiGraph
    service_id: str
    cluster_id: str
    task_definition_id: str
    configs: list[LatticeConfig]
    replaced_live: bool = False
    region: str = ""
    account: str = ""
    notes: list[str] = field(default_factory=list)


def _account_of(inventory: Inventory, project: Project) -> str:
    if inventory.account:
        return inventory.account
    for cfg in project.lattice_configs:
        parts = cfg.target_group_arn.split(":")
        if len(parts) > 4 and parts[4]:
            return parts[4]
    return "000000000000"


def _find_cluster(inventory: Inventory, name: str) -> str | None:
    for rec in inventory.of(NodeKind.ECS_CLUSTER):
        raw = rec["raw"]
        if name in (raw.get("clusterName"), raw.get("clusterArn")):
            return str(raw["clusterArn"])
    return None


def _cluster_name(cluster_arn: str) -> str:
    return cluster_arn.rsplit("/", 1)[-1]


def planned_task_definition(project: Project, region: str, account: str) -> dict[str, Any]:
    """The project's task definition as DescribeTaskDefinition would return it once registered."""
    raw = copy.deepcopy(project.task_definition)
    family = raw.get("family") or project.service
    raw["family"] = family
    raw["revision"] = PLANNED_REVISION
    raw["status"] = "PLANNED"
    raw["taskDefinitionArn"] = (
        f"arn:aws:ecs:{region}:{account}:task-definition/{family}:{PLANNED_REVISION}"
    )
    return raw


def planned_service(
    project: Project, region: str, account: str, cluster_arn: str, task_definition_arn: str
) -> dict[str, Any]:
    """The project's service as DescribeServices would show it right after the deploy."""
    sd = copy.deepcopy(project.service_definition)
    name = project.service
    arn = f"arn:aws:ecs:{region}:{account}:service/{_cluster_name(cluster_arn)}/{name}"
    configs = [c.to_api() for c in project.lattice_configs]
    deployment: dict[str, Any] = {
        "id": "ecs-svc/planned",
        "status": "PRIMARY",
        "taskDefinition": task_definition_arn,
        "desiredCount": sd.get("desiredCount", 1),
        "runningCount": 0,
        "pendingCount": 0,
        "rolloutState": "IN_PROGRESS",
        "vpcLatticeConfigurations": configs,
    }
    for key in (
        "launchType",
        "capacityProviderStrategy",
        "platformVersion",
        "networkConfiguration",
    ):
        if key in sd:
            deployment[key] = sd[key]
    raw = {k: v for k, v in sd.items() if k != "vpcLatticeConfigurations"}
    raw.update(
        serviceName=name,
        serviceArn=arn,
        clusterArn=cluster_arn,
        status="ACTIVE",
        taskDefinition=task_definition_arn,
        desiredCount=sd.get("desiredCount", 1),
        runningCount=0,
        pendingCount=0,
        deployments=[deployment],
        events=[],
    )
    return raw


def plan_inventory(inventory: Inventory, project: Project) -> tuple[Inventory, Plan]:
    """A copy of ``inventory`` holding the planned service instead of any live one."""
    region = project.region or inventory.region
    account = _account_of(inventory, project)
    notes: list[str] = []
    cluster_arn = _find_cluster(inventory, project.cluster)
    if cluster_arn is None:
        cluster_arn = f"arn:aws:ecs:{region}:{account}:cluster/{project.cluster}"
        notes.append(f"cluster {project.cluster} not found in {region}")
    td = planned_task_definition(project, region, account)
    svc = planned_service(project, region, account, cluster_arn, td["taskDefinitionArn"])
    out = Inventory(
        account=inventory.account,
        region=inventory.region,
        records={k: list(v) for k, v in inventory.records.items()},
        prefix_lists=list(inventory.prefix_lists),
        errors=list(inventory.errors),
    )

    def is_live(raw: dict[str, Any]) -> bool:
        return raw.get("serviceName") == project.service and raw.get("clusterArn") == cluster_arn

    services = out.records.get(str(NodeKind.ECS_SERVICE), [])
    replaced = [r for r in services if is_live(r["raw"])]
    if replaced:
        svc["serviceArn"] = replaced[0]["raw"].get("serviceArn", svc["serviceArn"])
        for key in ("createdAt", "createdBy", "roleArn"):
            if key in replaced[0]["raw"]:
                svc.setdefault(key, replaced[0]["raw"][key])
    out.records[str(NodeKind.ECS_SERVICE)] = [r for r in services if not is_live(r["raw"])]
    group = f"service:{project.service}"
    out.records[str(NodeKind.ECS_TASK)] = [
        r
        for r in out.records.get(str(NodeKind.ECS_TASK), [])
        if not (r["raw"].get("group") == group and r["raw"].get("clusterArn") == cluster_arn)
    ]
    out.add(NodeKind.ECS_SERVICE, svc, planned=True)
    out.add(NodeKind.TASK_DEFINITION, td, planned=True)
    plan = Plan(
        graph=nx.MultiDiGraph(),
        service_id=svc["serviceArn"],
        cluster_id=cluster_arn,
        task_definition_id=td["taskDefinitionArn"],
        configs=project.lattice_configs,
        replaced_live=bool(replaced),
        region=region,
        account=account,
        notes=notes,
    )
    return out, plan


def _pick(inventories: list[Inventory], region: str | None) -> int:
    for i, inv in enumerate(inventories):
        if region and inv.region == region:
            return i
    return 0


def place_planned(inventories: Inventory | list[Inventory], project: Project) -> Plan:
    """Build the graph of ``inventories`` with the project's service planned into it."""
    from tui.model.graph import build_graph

    invs = [inventories] if isinstance(inventories, Inventory) else list(inventories)
    if not invs:
        invs = [Inventory(region=project.region or "")]
    i = _pick(invs, project.region)
    planned_inv, plan = plan_inventory(invs[i], project)
    invs[i] = planned_inv
    graph = build_graph(invs)
    for nid in (plan.service_id, plan.task_definition_id):
        if nid in graph:
            graph.nodes[nid]["planned"] = True
    plan.graph = graph
    return plan


def place_in_graph(graph: nx.MultiDiGraph, project: Project) -> Plan:
    """Same as place_planned, for a graph built by ``build_graph`` (it keeps its inventories)."""
    inventories = graph.graph.get("inventories")
    if not inventories:
        raise ValueError("the graph carries no inventories to plan into")
    return place_planned(list(inventories), project)
