"""The ``demo`` seed: an online shop's Lattice + ECS estate, with deliberate mistakes.

Two private-only VPCs (``shop-prod`` with ECR/S3 endpoints, ``shop-batch`` without), three
service networks, ten Lattice services, thirteen target groups (IP, TCP, LAMBDA, ALB), two
Fargate clusters with twelve services (seven attached to Lattice, five not). Deterministic: the
same names every time. The pieces live in demo_net / demo_iam / demo_tg / demo_lattice /
demo_ecs; this module orders them (independent parts run concurrently).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from tui.model.kinds import NodeKind
from tui.sandbox.seeds import Clients
from tui.sandbox.seeds.demo_ecs import seed_ecs
from tui.sandbox.seeds.demo_iam import seed_roles
from tui.sandbox.seeds.demo_lattice import seed_lattice
from tui.sandbox.seeds.demo_net import seed_network
from tui.sandbox.seeds.demo_tg import register_backends, seed_target_groups

# (doctor rule id, resource name, what is wrong) — the doctor must find each one; README lists them.
DEMO_MISCONFIGURATIONS: list[tuple[str, str, str]] = [
    ("sn-no-vpc", "partner-net",
     "service network with no VPC association: nobody can reach its services"),
    ("svc-no-network", "recommendations",
     "Lattice service associated with no service network"),
    ("auth-no-policy", "auth",
     "service with auth type AWS_IAM and no auth policy: every request is denied"),
    ("auth-policy-denies", "payments-api",
     "auth policy whose only statement is a Deny of vpc-lattice-svcs:Invoke"),
    ("listener-dead-end", "search-http-legacy",
     "HTTP listener of 'search' whose default action is a fixed 404 and has no rules"),
    ("rule-dead-end", "v1-sunset",
     "rule of 'orders-http' answering /v1/ with a fixed 410 instead of forwarding"),
    ("tls-needs-tcp-tg", "billing-tls",
     "TLS_PASSTHROUGH listener of 'billing' forwarding to the HTTPS target group billing-https-tg"),
    ("tg-unused", "legacy-cart-tg",
     "target group referenced by no listener or rule"),
    ("tg-empty", "recommendations-tg",
     "target group used by 'recommendations' with no targets (ECS service not attached)"),
    ("tg-empty", "notifications-tg",
     "target group used by 'notifications' with no targets yet: the attach wizard's example"),
    ("hc-port-mismatch", "inventory-tg",
     "health check probes port 8081, the inventory tasks listen on 8080"),
    ("tg-all-unhealthy", "inventory-tg",
     "every target UNHEALTHY because of the health-check port"),
    ("ecs-sg-no-lattice", "orders",
     "ECS service whose task SG 'orders-tasks' allows 8080 from the VPC CIDR only, "
     "not from the com.amazonaws.<region>.vpc-lattice prefix list"),
    ("ecr-no-endpoints", "billing-worker",
     "Fargate tasks in shop-batch private subnets: no NAT, no ecr.api/ecr.dkr/s3 endpoints"),
    ("ecr-no-endpoints", "reports",
     "same for the reports service in shop-batch"),
    ("assoc-sg-blocks", "shop-internal-net",
     "its VPC association (shop-batch) uses SG 'shop-batch-lattice-assoc' opening only "
     "port 22, not the listener ports 80/443"),
    # Consequences of the mistakes above that the rules also report, on their own nodes:
    ("listener-dead-end", "inventory-http",
     "forwards only to inventory-tg, whose targets are all UNHEALTHY"),
    ("rule-dead-end", "stock-read",
     "rule of 'inventory-http' forwarding only to the all-UNHEALTHY inventory-tg"),
    ("listener-dead-end", "notifications-http",
     "forwards only to the empty notifications-tg"),
    ("listener-dead-end", "recommendations-http",
     "forwards only to the empty recommendations-tg"),
]

# The node kind each DEMO_MISCONFIGURATIONS resource name refers to (names repeat across kinds).
DEMO_MISCONFIGURATION_KINDS: dict[str, NodeKind] = {
    "partner-net": NodeKind.SERVICE_NETWORK,
    "recommendations": NodeKind.SERVICE,
    "auth": NodeKind.SERVICE,
    "payments-api": NodeKind.SERVICE,
    "search-http-legacy": NodeKind.LISTENER,
    "v1-sunset": NodeKind.RULE,
    "billing-tls": NodeKind.LISTENER,
    "legacy-cart-tg": NodeKind.TARGET_GROUP,
    "recommendations-tg": NodeKind.TARGET_GROUP,
    "notifications-tg": NodeKind.TARGET_GROUP,
    "inventory-tg": NodeKind.TARGET_GROUP,
    "orders": NodeKind.ECS_SERVICE,
    "billing-worker": NodeKind.ECS_SERVICE,
    "reports": NodeKind.ECS_SERVICE,
    "inventory-http": NodeKind.LISTENER,
    "stock-read": NodeKind.RULE,
    "notifications-http": NodeKind.LISTENER,
    "recommendations-http": NodeKind.LISTENER,
    # The finding sits on this network's sn_vpc_association (with shop-batch).
    "shop-internal-net": NodeKind.SERVICE_NETWORK,
}

# ECS services left unattached on purpose with a compatible IP target group in their VPC:
# (cluster, service, portName, target group) — what the attach wizard should propose.
WIZARD_CANDIDATES: list[tuple[str, str, str, str]] = [
    ("shop-prod", "notifications", "http", "notifications-tg"),
    ("shop-prod", "recommendations", "web", "recommendations-tg"),
]


def seed_demo(c: Clients) -> None:
    with ThreadPoolExecutor(max_workers=3) as pool:
        net_f = pool.submit(seed_network, c)
        roles_f = pool.submit(seed_roles, c)
        pool.submit(lambda: c.account).result()
        net, roles = net_f.result(), roles_f.result()
        tgs = seed_target_groups(c, net)
        # Lattice front ends, ECS services (which register their own tasks) and the
        # hand-registered backends do not depend on one another.
        futures = [
            pool.submit(seed_lattice, c, net, tgs),
            pool.submit(seed_ecs, c, net, roles, tgs),
            pool.submit(register_backends, c, net, roles, tgs),
        ]
        for f in futures:
            f.result()
