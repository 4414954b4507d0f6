"""Demo seed, ECS part: two Fargate clusters, task definitions with (mostly) named port
mappings, and services in private subnets, some attached to Lattice target groups through
``vpcLatticeConfigurations`` (ECS then registers the task IPs itself), some not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tui.sandbox.seeds import Clients, parallel
from tui.sandbox.seeds.demo_iam import EXECUTION_ROLE, LATTICE_ROLE
from tui.sandbox.seeds.demo_net import Network


@dataclass(frozen=True)
class EcsService:
    cluster: str
    name: str
    image: str
    ports: list[dict[str, Any]]
    desired: int = 2
    vpc: str = "prod"  # "prod" | "batch"
    sg: str = "shop-prod-tasks"
    attach: list[tuple[str, str]] = field(default_factory=list)  # (target group, portName)


def port(name: str | None, container_port: int, app: str | None = "http") -> dict[str, Any]:
    mapping: dict[str, Any] = {"containerPort": container_port, "protocol": "tcp"}
    if name:
        mapping["name"] = name
    if app:
        mapping["appProtocol"] = app
    return mapping


HTTP = [port("http", 8080)]

ECS_SERVICES: list[EcsService] = [
    EcsService("shop-prod", "checkout", "checkout:1.42.0", HTTP, 2,
               attach=[("checkout-tg", "http")]),
    EcsService("shop-prod", "checkout-canary", "checkout:1.43.0-rc1", HTTP, 1,
               attach=[("checkout-canary-tg", "http")]),
    EcsService("shop-prod", "payments-api", "payments-api:3.8.2", [port("api", 8080, "http2")], 2,
               attach=[("payments-tg", "api")]),
    # Health check probes 8081, the task only listens on 8080 (hc-port-mismatch).
    EcsService("shop-prod", "inventory", "inventory:2.1.0", HTTP, 2,
               attach=[("inventory-tg", "http")]),
    # Task SG lets only the VPC CIDR in, not Lattice's prefix list (ecs-sg-no-lattice).
    EcsService("shop-prod", "orders", "orders:5.0.3", HTTP, 2, sg="orders-tasks",
               attach=[("orders-tg", "http")]),
    EcsService("shop-prod", "auth", "auth:0.9.7", HTTP, 2, attach=[("auth-tg", "http")]),
    EcsService("shop-prod", "ledger", "ledger:1.0.0",
               [port("tls", 8443, None), port("health", 8081)], 2,
               attach=[("ledger-tcp-tg", "tls")]),
    # Wizard candidates: named ports, a compatible IP target group waiting in shop-prod.
    EcsService("shop-prod", "notifications", "notifications:1.4.0", HTTP, 2),
    EcsService("shop-prod", "recommendations", "recommendations:0.3.1", [port("web", 8080)], 1),
    EcsService("shop-prod", "pricing", "pricing:2.2.0", [port("grpc", 50051, "grpc")], 1),
    # shop-batch: private subnets with no ECR endpoints (ecr-no-endpoints); the port mapping
    # has no name, so it cannot be attached until the task definition gains one.
    EcsService("shop-batch", "billing-worker", "billing-worker:4.2.0", [port(None, 8080, None)],
               1, vpc="batch", sg="shop-batch-tasks"),
    EcsService("shop-batch", "reports", "reports:1.1.0", HTTP, 1, vpc="batch",
               sg="shop-batch-tasks"),
]


def _task_definition(c: Clients, svc: EcsService, roles: dict[str, str]) -> str:
    repo, tag = svc.image.split(":")
    image = f"{c.account}.dkr.ecr.{c.region}.amazonaws.com/shop/{repo}:{tag}"
    container = {
        "name": "app",
        "image": image,
        "essential": True,
        "memory": 512,  # container-level memory: valid on Fargate, needed by the emulator
        "portMappings": svc.ports,
        "logConfiguration": {
            "logDriver": "awslogs",
            "options": {
                "awslogs-group": f"/ecs/{svc.cluster}/{svc.name}",
                "awslogs-region": c.region,
                "awslogs-stream-prefix": "app",
            },
        },
    }
    td = c.ecs.register_task_definition(
        family=svc.name,
        networkMode="awsvpc",
        requiresCompatibilities=["FARGATE"],
        cpu="256",
        memory="512",
        executionRoleArn=roles[EXECUTION_ROLE],
        containerDefinitions=[container],
        tags=[{"key": "app", "value": "shop"}],
    )
    return td["taskDefinition"]["taskDefinitionArn"]


def _service(c: Clients, svc: EcsService, net: Network, roles: dict[str, str],
             tg_arns: dict[str, str]) -> None:
    vpc = net.prod if svc.vpc == "prod" else net.batch
    kwargs: dict[str, Any] = {}
    if svc.attach:
        kwargs["vpcLatticeConfigurations"] = [
            {"roleArn": roles[LATTICE_ROLE], "targetGroupArn": tg_arns[tg], "portName": name}
            for tg, name in svc.attach
        ]
    c.ecs.create_service(
        cluster=svc.cluster,
        serviceName=svc.name,
        taskDefinition=_task_definition(c, svc, roles),
        desiredCount=svc.desired,
        launchType="FARGATE",
        platformVersion="LATEST",
        networkConfiguration={"awsvpcConfiguration": {
            "subnets": vpc.subnets,
            "securityGroups": [vpc.sgs[svc.sg]],
            "assignPublicIp": "DISABLED",
        }},
        propagateTags="SERVICE",
        tags=[{"key": "app", "value": "shop"}, {"key": "team", "value": svc.name}],
        **kwargs,
    )


def seed_ecs(c: Clients, net: Network, roles: dict[str, str], tg_arns: dict[str, str]) -> None:
    for cluster in ("shop-prod", "shop-batch"):
        c.ecs.create_cluster(
            clusterName=cluster,
            capacityProviders=["FARGATE", "FARGATE_SPOT"],
            settings=[{"name": "containerInsights", "value": "enabled"}],
            tags=[{"key": "app", "value": "shop"}],
        )
    parallel(lambda s: _service(c, s, net, roles, tg_arns), ECS_SERVICES)
