"""Demo seed, target groups and their non-ECS backends (a Lambda function, an internal ALB,
EC2-hosted IPs). ECS-backed groups get their targets from ECS, not from this module.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from tui.sandbox.seeds import Clients, parallel
from tui.sandbox.seeds.demo_iam import LAMBDA_ROLE
from tui.sandbox.seeds.demo_net import Network


def health(port: int | None = None, path: str = "/healthz", protocol: str = "HTTP") -> dict:
    check: dict[str, Any] = {
        "enabled": True,
        "protocol": protocol,
        "protocolVersion": "HTTP1",
        "path": path,
        "healthCheckIntervalSeconds": 10,
        "healthCheckTimeoutSeconds": 5,
        "healthyThresholdCount": 2,
        "unhealthyThresholdCount": 3,
        "matcher": {"httpCode": "200-299"},
    }
    if port is not None:
        check["port"] = port
    return check


def ip_tg(port: int, protocol: str = "HTTP", vpc: str = "prod", hc: dict | None = None,
          version: str = "HTTP1") -> dict[str, Any]:
    config: dict[str, Any] = {"port": port, "protocol": protocol, "ipAddressType": "IPV4",
                              "vpc": vpc}
    if protocol != "TCP":
        config["protocolVersion"] = version
    config["healthCheck"] = hc if hc is not None else health(port)
    return {"type": "IP", "config": config}


# name -> {"type", "config"} ("vpc" is resolved to an id when created).
TARGET_GROUPS: dict[str, dict[str, Any]] = {
    "checkout-tg": ip_tg(8080),
    "checkout-canary-tg": ip_tg(8080),
    "payments-tg": ip_tg(8080, version="HTTP2", hc=health(8080, "/health/ready")),
    "payments-refunds-fn": {"type": "LAMBDA", "config": {"lambdaEventStructureVersion": "V2"}},
    # Health check on 8081; the inventory tasks listen on 8080 only (hc-port-mismatch).
    "inventory-tg": ip_tg(8080, hc=health(8081)),
    "orders-tg": ip_tg(8080),
    "auth-tg": ip_tg(8080, hc=health(8080, "/oauth2/health")),
    # TLS passthrough: TCP to the task's 8443; health checks go to its plain-HTTP 8081.
    "ledger-tcp-tg": ip_tg(8443, "TCP", hc=health(8081)),
    # Misconfiguration (tls-needs-tcp-tg): a TLS_PASSTHROUGH listener forwards here.
    "billing-https-tg": ip_tg(8443, "HTTPS", vpc="batch", hc=health(8443, protocol="HTTPS")),
    "search-alb-tg": {"type": "ALB", "config": {"port": 443, "protocol": "HTTPS", "vpc": "prod",
                                                "protocolVersion": "HTTP1"}},
    "notifications-tg": ip_tg(8080),
    "recommendations-tg": ip_tg(8080, hc=health(8080, "/ping")),
    "legacy-cart-tg": ip_tg(80, hc=health(80, "/")),  # referenced by nothing (tg-unused)
}

# Backends registered by hand (ECS registers the others): billing runs on two EC2 hosts.
BILLING_HOSTS = [("10.1.1.200", 8443), ("10.1.2.200", 8443)]


def _create_tg(c: Clients, name: str, net: Network) -> tuple[str, str]:
    spec = TARGET_GROUPS[name]
    config = dict(spec["config"])
    if "vpc" in config:
        config["vpcIdentifier"] = (net.prod if config.pop("vpc") == "prod" else net.batch).id
    tg = c.lattice.create_target_group(
        name=name, type=spec["type"], config=config, tags={"app": "shop"}
    )
    return name, tg["arn"]


def _lambda_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("handler.py", "def handler(event, context):\n    return {'statusCode': 202}\n")
    return buf.getvalue()


def _refunds_function(c: Clients, roles: dict[str, str]) -> str:
    return c.awslambda.create_function(
        FunctionName="payments-refunds",
        Runtime="python3.12",
        Role=roles[LAMBDA_ROLE],
        Handler="handler.handler",
        Code={"ZipFile": _lambda_zip()},
        Description="Refund requests routed from the payments-api Lattice service",
        Timeout=15,
    )["FunctionArn"]


def _search_alb(c: Clients, net: Network) -> str:
    return c.elbv2.create_load_balancer(
        Name="search-internal",
        Subnets=net.prod.subnets,
        SecurityGroups=[net.prod.sgs["search-alb"]],
        Scheme="internal",
        Type="application",
        IpAddressType="ipv4",
    )["LoadBalancers"][0]["LoadBalancerArn"]


def seed_target_groups(c: Clients, net: Network) -> dict[str, str]:
    """Create every demo target group; returns name -> ARN."""
    return dict(parallel(lambda n: _create_tg(c, n, net), list(TARGET_GROUPS)))


def register_backends(c: Clients, net: Network, roles: dict[str, str],
                      tgs: dict[str, str]) -> None:
    """Register the Lambda, the ALB and the EC2 hosts (not ECS tasks: ECS does that)."""
    jobs = {
        "payments-refunds-fn": lambda: [{"id": _refunds_function(c, roles)}],
        "search-alb-tg": lambda: [{"id": _search_alb(c, net), "port": 443}],
        "billing-https-tg": lambda: [{"id": ip, "port": p} for ip, p in BILLING_HOSTS],
    }

    def run(name: str) -> None:
        c.lattice.register_targets(targetGroupIdentifier=tgs[name].rsplit("/", 1)[-1],
                                   targets=jobs[name]())

    parallel(run, list(jobs))
