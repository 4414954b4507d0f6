"""Demo seed, VPC Lattice part: service networks with VPC associations, services, listeners,
rules (path / header / method matches, weighted forwards) and auth policies.
"""

from __future__ import annotations

import json
from typing import Any

from tui.sandbox.seeds import Clients, parallel
from tui.sandbox.seeds.demo_net import Network

# ---- small builders for the documented request shapes -------------------------------------


def fwd(*pairs: tuple[str, int]) -> tuple[str, Any]:
    return ("forward", list(pairs))


def fixed(status: int) -> tuple[str, Any]:
    return ("fixed", status)


def match(path: str | None = None, method: str | None = None,
          headers: dict[str, str] | None = None) -> dict[str, Any]:
    http: dict[str, Any] = {}
    if method:
        http["method"] = method
    if path:
        http["pathMatch"] = {"match": {"prefix": path}, "caseSensitive": False}
    if headers:
        http["headerMatches"] = [
            {"name": k, "match": {"exact": v}, "caseSensitive": False} for k, v in headers.items()
        ]
    return {"httpMatch": http}


def rule(name: str, priority: int, m: dict[str, Any], action: tuple[str, Any]) -> dict[str, Any]:
    return {"name": name, "priority": priority, "match": m, "action": action}


def listener(name: str, protocol: str, port: int, default: tuple[str, Any],
             rules: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"name": name, "protocol": protocol, "port": port, "default": default,
            "rules": rules or []}


def policy(account: str, effect: str, condition: dict[str, Any] | None = None) -> str:
    statement: dict[str, Any] = {
        "Effect": effect,
        "Principal": {"AWS": f"arn:aws:iam::{account}:root"} if effect == "Allow" else "*",
        "Action": "vpc-lattice-svcs:Invoke",
        "Resource": "*",
    }
    if condition:
        statement["Condition"] = condition
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


ALLOW, DENY_ALL = "allow", "deny-all"

# ---- the topology -------------------------------------------------------------------------

# name -> (authType, policy kind or None, VPC key to associate with or None, association SG)
NETWORKS: dict[str, tuple[str, str | None, str | None, str | None]] = {
    "shop-prod-net": ("AWS_IAM", ALLOW, "prod", "shop-prod-lattice-assoc"),
    # Its VPC association's SG only opens port 22 (assoc-sg-blocks).
    "shop-internal-net": ("NONE", None, "batch", "shop-batch-lattice-assoc"),
    # Shared with a partner account that never associated a VPC (sn-no-vpc).
    "partner-net": ("NONE", None, None, None),
}

SERVICES: list[dict[str, Any]] = [
    {"name": "checkout", "auth": "AWS_IAM", "policy": ALLOW, "networks": ["shop-prod-net"],
     "listeners": [listener("checkout-https", "HTTPS", 443, fwd(("checkout-tg", 100)), [
         rule("canary-header", 10, match(headers={"x-canary": "true"}),
              fwd(("checkout-canary-tg", 100))),
         rule("api-v2-canary", 20, match(path="/api/v2"),
              fwd(("checkout-tg", 90), ("checkout-canary-tg", 10))),
     ])]},
    # AWS_IAM with a policy that only denies (auth-policy-denies).
    {"name": "payments-api", "auth": "AWS_IAM", "policy": DENY_ALL, "networks": ["shop-prod-net"],
     "listeners": [listener("payments-https", "HTTPS", 443, fwd(("payments-tg", 100)), [
         rule("refunds-to-lambda", 10, match(path="/refunds", method="POST"),
              fwd(("payments-refunds-fn", 100))),
     ])]},
    {"name": "inventory", "networks": ["shop-prod-net", "shop-internal-net"],
     "listeners": [listener("inventory-http", "HTTP", 80, fwd(("inventory-tg", 100)), [
         rule("stock-read", 10, match(path="/stock", method="GET"), fwd(("inventory-tg", 100))),
     ])]},
    {"name": "orders", "networks": ["shop-prod-net", "shop-internal-net"],
     "listeners": [listener("orders-http", "HTTP", 80, fwd(("orders-tg", 100)), [
         # Retired API answered with 410 by Lattice itself (rule-dead-end).
         rule("v1-sunset", 10, match(path="/v1/"), fixed(410)),
         rule("admin-writes", 20, match(method="PUT", headers={"x-shop-role": "admin"}),
              fwd(("orders-tg", 100))),
     ])]},
    {"name": "search", "networks": ["shop-prod-net", "partner-net"],
     "listeners": [
         listener("search-https", "HTTPS", 443, fwd(("search-alb-tg", 100)), [
             rule("suggest", 10, match(path="/suggest"), fwd(("search-alb-tg", 100))),
         ]),
         # Only a fixed 404, no rules (listener-dead-end).
         listener("search-http-legacy", "HTTP", 80, fixed(404)),
     ]},
    {"name": "ledger", "domain": "ledger.shop.internal", "networks": ["shop-prod-net"],
     "listeners": [listener("ledger-tls", "TLS_PASSTHROUGH", 443, fwd(("ledger-tcp-tg", 100)))]},
    # TLS passthrough into an HTTPS target group (tls-needs-tcp-tg).
    {"name": "billing", "domain": "billing.shop.internal", "networks": ["shop-internal-net"],
     "listeners": [listener("billing-tls", "TLS_PASSTHROUGH", 443,
                            fwd(("billing-https-tg", 100)))]},
    # AWS_IAM with no auth policy at all (auth-no-policy).
    {"name": "auth", "auth": "AWS_IAM", "networks": ["shop-internal-net"],
     "listeners": [listener("auth-http", "HTTP", 80, fwd(("auth-tg", 100)), [
         rule("oauth2", 10, match(path="/oauth2/"), fwd(("auth-tg", 100))),
         rule("jwks", 20, match(path="/.well-known/", method="GET"), fwd(("auth-tg", 100))),
     ])]},
    # Waiting for the attach wizard: the target group has no targets yet (tg-empty).
    {"name": "notifications", "networks": ["shop-prod-net"],
     "listeners": [listener("notifications-http", "HTTP", 80, fwd(("notifications-tg", 100)))]},
    # In no service network (svc-no-network) and its target group is empty (tg-empty).
    {"name": "recommendations", "networks": [],
     "listeners": [listener("recommendations-http", "HTTP", 80,
                            fwd(("recommendations-tg", 100)))]},
]


def _id(arn: str) -> str:
    """Lattice ids are the ARN's last path segment; GetListener/GetRule echo ids back."""
    return arn.rsplit("/", 1)[-1]


def _action(action: tuple[str, Any], tgs: dict[str, str]) -> dict[str, Any]:
    kind, value = action
    if kind == "fixed":
        return {"fixedResponse": {"statusCode": value}}
    return {"forward": {"targetGroups": [
        {"targetGroupIdentifier": _id(tgs[name]), "weight": weight} for name, weight in value
    ]}}


def _network(c: Clients, name: str, net: Network) -> tuple[str, str]:
    auth, pol, vpc_key, sg = NETWORKS[name]
    sn = c.lattice.create_service_network(name=name, authType=auth, tags={"app": "shop"})
    if pol:
        c.lattice.put_auth_policy(resourceIdentifier=sn["id"], policy=policy(
            c.account, "Allow", {"StringEquals": {"aws:PrincipalAccount": c.account}}))
    if vpc_key:
        vpc = net.prod if vpc_key == "prod" else net.batch
        c.lattice.create_service_network_vpc_association(
            serviceNetworkIdentifier=sn["id"], vpcIdentifier=vpc.id,
            securityGroupIds=[vpc.sgs[sg]], tags={"app": "shop"},
        )
    return name, sn["id"]


def _service(c: Clients, spec: dict[str, Any], sns: dict[str, str], tgs: dict[str, str]) -> None:
    lat = c.lattice
    kwargs: dict[str, Any] = {"customDomainName": spec["domain"]} if "domain" in spec else {}
    svc = lat.create_service(name=spec["name"], authType=spec.get("auth", "NONE"),
                             tags={"app": "shop"}, **kwargs)
    if spec.get("policy") == ALLOW:
        lat.put_auth_policy(resourceIdentifier=svc["id"], policy=policy(c.account, "Allow"))
    elif spec.get("policy") == DENY_ALL:
        lat.put_auth_policy(resourceIdentifier=svc["id"], policy=policy(c.account, "Deny"))
    for sn in spec["networks"]:
        lat.create_service_network_service_association(
            serviceNetworkIdentifier=sns[sn], serviceIdentifier=svc["id"])
    for lst in spec["listeners"]:
        created = lat.create_listener(
            serviceIdentifier=svc["id"], name=lst["name"], protocol=lst["protocol"],
            port=lst["port"], defaultAction=_action(lst["default"], tgs))
        for r in lst["rules"]:
            lat.create_rule(
                serviceIdentifier=svc["id"], listenerIdentifier=created["id"], name=r["name"],
                priority=r["priority"], match=r["match"], action=_action(r["action"], tgs))


def seed_lattice(c: Clients, net: Network, tgs: dict[str, str]) -> None:
    sns = dict(parallel(lambda n: _network(c, n, net), list(NETWORKS)))
    c.lattice.create_access_log_subscription(
        resourceIdentifier=sns["shop-prod-net"],
        destinationArn=f"arn:aws:logs:{c.region}:{c.account}:log-group:/vpc-lattice/shop-prod-net",
    )
    parallel(lambda s: _service(c, s, sns, tgs), SERVICES)
    _share_reports_db(c, net)


def _share_reports_db(c: Clients, net: Network) -> None:
    """A VPC resource shared through Lattice: the batch VPC's reporting database behind a
    resource gateway, described by a resource configuration (TCP 5432)."""
    gateway = c.lattice.create_resource_gateway(
        name="shop-batch-rgw", vpcIdentifier=net.batch.id, subnetIds=net.batch.subnets
    )
    c.lattice.create_resource_configuration(
        name="reports-db",
        type="SINGLE",
        resourceGatewayIdentifier=gateway["id"],
        portRanges=["5432"],
        protocol="TCP",
        resourceConfigurationDefinition={
            "dnsResource": {"domainName": "reports-db.shop-batch.internal", "ipAddressType": "IPV4"}
        },
    )
