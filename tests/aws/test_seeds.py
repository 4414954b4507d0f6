"""The ``demo`` seed against the real sandbox, read back with boto3 like a user would."""

from __future__ import annotations

import contextlib
import json
import time
from collections import Counter
from typing import Any

import pytest

from tui.sandbox import Sandbox
from tui.sandbox.seeds.demo import (
    DEMO_MISCONFIGURATION_KINDS,
    DEMO_MISCONFIGURATIONS,
    WIZARD_CANDIDATES,
)


def pages(client: Any, operation: str, key: str, **kwargs: Any) -> list[dict[str, Any]]:
    return [item for page in client.get_paginator(operation).paginate(**kwargs)
            for item in page[key]]


class Demo:
    """Everything the demo seed made, read once through the public APIs."""

    def __init__(self, sb: Sandbox) -> None:
        self.lat = lat = sb.client("vpc-lattice")
        self.ecs = ecs = sb.client("ecs")
        self.ec2 = sb.client("ec2")
        self.iam = sb.client("iam")
        self.networks = {s["name"]: lat.get_service_network(serviceNetworkIdentifier=s["id"])
                         for s in pages(lat, "list_service_networks", "items")}
        self.services = {s["name"]: lat.get_service(serviceIdentifier=s["id"])
                         for s in pages(lat, "list_services", "items")}
        self.tgs = {t["name"]: lat.get_target_group(targetGroupIdentifier=t["id"])
                    for t in pages(lat, "list_target_groups", "items")}
        self.listeners: dict[str, dict[str, Any]] = {}
        self.rules: dict[str, dict[str, Any]] = {}
        for svc in self.services.values():
            for item in pages(lat, "list_listeners", "items", serviceIdentifier=svc["id"]):
                lst = lat.get_listener(serviceIdentifier=svc["id"], listenerIdentifier=item["id"])
                self.listeners[lst["name"]] = lst
                for r in pages(lat, "list_rules", "items", serviceIdentifier=svc["id"],
                               listenerIdentifier=item["id"]):
                    if not r.get("isDefault"):
                        self.rules[r["name"]] = lat.get_rule(
                            serviceIdentifier=svc["id"], listenerIdentifier=item["id"],
                            ruleIdentifier=r["id"])
        self.ecs_services: dict[str, dict[str, Any]] = {}
        for cluster in ecs.list_clusters()["clusterArns"]:
            arns = pages(ecs, "list_services", "serviceArns", cluster=cluster)
            for i in range(0, len(arns), 10):
                batch = ecs.describe_services(cluster=cluster, services=arns[i:i + 10])
                for s in batch["services"]:
                    self.ecs_services[s["serviceName"]] = s
        self.vpcs = {_name(v): v for v in self.ec2.describe_vpcs()["Vpcs"] if _name(v)}
        groups = self.ec2.describe_security_groups()["SecurityGroups"]
        self.sgs = {g["GroupName"]: g for g in groups}

    def targets(self, tg: str) -> list[dict[str, Any]]:
        return pages(self.lat, "list_targets", "items",
                     targetGroupIdentifier=self.tgs[tg]["id"])

    def sn_services(self, sn: str) -> list[dict[str, Any]]:
        return pages(self.lat, "list_service_network_service_associations", "items",
                     serviceNetworkIdentifier=self.networks[sn]["id"])

    def sn_vpcs(self, sn: str) -> list[dict[str, Any]]:
        return pages(self.lat, "list_service_network_vpc_associations", "items",
                     serviceNetworkIdentifier=self.networks[sn]["id"])

    def lattice_configs(self, service: str) -> list[dict[str, Any]]:
        deployments = self.ecs_services[service]["deployments"]
        primary = next(d for d in deployments if d["status"] == "PRIMARY")
        return primary.get("vpcLatticeConfigurations", [])


def _name(resource: dict[str, Any]) -> str:
    return next((t["Value"] for t in resource.get("Tags", []) if t["Key"] == "Name"), "")


@pytest.fixture(scope="module")
def sandbox():
    with Sandbox(seed="demo", health_delay=0) as sb:
        yield sb


@pytest.fixture(scope="module")
def demo(sandbox) -> Demo:
    return Demo(sandbox)


def test_lattice_counts_and_variety(demo: Demo) -> None:
    assert len(demo.networks) >= 2 and len(demo.services) >= 6 and len(demo.tgs) >= 8
    assert {s["authType"] for s in demo.services.values()} == {"NONE", "AWS_IAM"}
    protocols = Counter(lst["protocol"] for lst in demo.listeners.values())
    assert {"HTTP", "HTTPS", "TLS_PASSTHROUGH"} <= set(protocols)
    types = Counter(tg["type"] for tg in demo.tgs.values())
    assert types["LAMBDA"] == 1 and types["ALB"] == 1 and types["IP"] >= 8
    ip_protocols = {tg["config"]["protocol"] for tg in demo.tgs.values() if tg["type"] == "IP"}
    assert {"HTTP", "HTTPS", "TCP"} <= ip_protocols
    for tg in demo.tgs.values():
        if tg["type"] == "IP":
            assert tg["config"]["healthCheck"]["path"].startswith("/")


def test_a_vpc_resource_is_shared_through_a_resource_gateway(demo: Demo) -> None:
    [gateway] = pages(demo.lat, "list_resource_gateways", "items")
    assert gateway["vpcIdentifier"] == demo.vpcs["shop-batch"]["VpcId"]
    [config] = pages(demo.lat, "list_resource_configurations", "items",
                     resourceGatewayIdentifier=gateway["id"])
    detail = demo.lat.get_resource_configuration(resourceConfigurationIdentifier=config["id"])
    assert (detail["name"], detail["portRanges"]) == ("reports-db", ["5432"])


def test_rules_match_kinds_weights_and_fixed_responses(demo: Demo) -> None:
    http = [r["match"]["httpMatch"] for r in demo.rules.values()]
    assert any("pathMatch" in m for m in http)
    assert any("headerMatches" in m for m in http)
    assert any("method" in m for m in http)
    canary = demo.rules["api-v2-canary"]["action"]["forward"]["targetGroups"]
    assert sorted(t["weight"] for t in canary) == [10, 90]
    assert len({r["priority"] for r in demo.rules.values()}) >= 2
    dead = demo.listeners["search-http-legacy"]["defaultAction"]
    assert dead == {"fixedResponse": {"statusCode": 404}}


def test_networks_associations_and_auth(demo: Demo) -> None:
    prod = demo.sn_vpcs("shop-prod-net")
    assert [a["vpcId"] for a in prod] == [demo.vpcs["shop-prod"]["VpcId"]]
    detail = demo.lat.get_service_network_vpc_association(
        serviceNetworkVpcAssociationIdentifier=prod[0]["id"])
    assert detail["securityGroupIds"] == [demo.sgs["shop-prod-lattice-assoc"]["GroupId"]]
    assert demo.networks["shop-prod-net"]["authType"] == "AWS_IAM"
    doc = json.loads(demo.lat.get_auth_policy(
        resourceIdentifier=demo.networks["shop-prod-net"]["id"])["policy"])
    assert doc["Statement"][0]["Effect"] == "Allow"
    names = {a["serviceName"] for a in demo.sn_services("shop-prod-net")}
    assert {"checkout", "payments-api", "inventory", "orders", "search", "ledger"} <= names


def test_vpcs_endpoints_only_in_shop_prod(demo: Demo) -> None:
    prod, batch = demo.vpcs["shop-prod"], demo.vpcs["shop-batch"]
    assert (prod["CidrBlock"], batch["CidrBlock"]) == ("10.0.0.0/16", "10.1.0.0/16")
    endpoints = demo.ec2.describe_vpc_endpoints()["VpcEndpoints"]
    by_vpc = Counter(e["VpcId"] for e in endpoints)
    assert by_vpc[batch["VpcId"]] == 0
    prod_eps = {e["ServiceName"].removeprefix("com.amazonaws.us-east-1."): e
                for e in endpoints if e["VpcId"] == prod["VpcId"]}
    assert {"ecr.api", "ecr.dkr", "s3"} <= set(prod_eps)
    for svc in ("ecr.api", "ecr.dkr"):
        ep = prod_eps[svc]
        assert ep["VpcEndpointType"] == "Interface" and ep["PrivateDnsEnabled"]
        sg = demo.sgs["shop-prod-vpce"]
        assert ep["Groups"][0]["GroupId"] == sg["GroupId"]
        perm = sg["IpPermissions"][0]
        assert (perm["FromPort"], perm["IpRanges"][0]["CidrIp"]) == (443, "10.0.0.0/16")
    s3 = prod_eps["s3"]
    assert s3["VpcEndpointType"] == "Gateway" and len(s3["RouteTableIds"]) == 2
    gateways = demo.ec2.describe_nat_gateways()["NatGateways"]
    assert gateways == [] and demo.ec2.describe_internet_gateways(Filters=[
        {"Name": "attachment.vpc-id", "Values": [prod["VpcId"], batch["VpcId"]]}
    ])["InternetGateways"] == []


def test_iam_roles(demo: Demo) -> None:
    def trust(role: str) -> str:
        doc = demo.iam.get_role(RoleName=role)["Role"]["AssumeRolePolicyDocument"]
        doc = json.loads(doc) if isinstance(doc, str) else doc
        return doc["Statement"][0]["Principal"]["Service"]

    def policies(role: str) -> list[str]:
        return [p["PolicyName"] for p in
                demo.iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]]

    assert trust("ecsInfrastructureRoleForVpcLattice") == "ecs.amazonaws.com"
    assert policies("ecsInfrastructureRoleForVpcLattice") == [
        "AmazonECSInfrastructureRolePolicyForVpcLattice"]
    assert trust("ecsLatticeRoleTrustsEc2") == "ec2.amazonaws.com"
    assert policies("ecsLatticeRoleWithoutPolicy") == []
    assert trust("ecsTaskExecutionRole") == "ecs-tasks.amazonaws.com"


def test_ecs_fargate_private_services(demo: Demo) -> None:
    clusters = {s["clusterArn"].rsplit("/", 1)[-1] for s in demo.ecs_services.values()}
    assert {"shop-prod", "shop-batch"} <= clusters
    assert len(demo.ecs_services) >= 5
    for svc in demo.ecs_services.values():
        assert svc["launchType"] == "FARGATE"
        net = svc["networkConfiguration"]["awsvpcConfiguration"]
        assert net["assignPublicIp"] == "DISABLED"
        assert svc["runningCount"] == svc["desiredCount"] >= 1
    families = {}
    for svc in demo.ecs_services.values():
        td = demo.ecs.describe_task_definition(taskDefinition=svc["taskDefinition"])
        families[svc["serviceName"]] = td["taskDefinition"]["containerDefinitions"][0]
    mappings = [m for c in families.values() for m in c["portMappings"]]
    assert {"http", "http2", "grpc"} <= {m.get("appProtocol") for m in mappings}
    assert [n for n, c in families.items()
            if any("name" not in m for m in c["portMappings"])] == ["billing-worker"]


def test_attached_services_have_healthy_task_targets(demo: Demo) -> None:
    attached = {n for n in demo.ecs_services if demo.lattice_configs(n)}
    assert {"checkout", "payments-api", "orders", "auth", "ledger"} <= attached
    config = demo.lattice_configs("checkout")[0]
    assert config["portName"] == "http"
    assert config["targetGroupArn"] == demo.tgs["checkout-tg"]["arn"]
    assert config["roleArn"].endswith(":role/ecsInfrastructureRoleForVpcLattice")
    tasks = demo.ecs.list_tasks(cluster="shop-prod", serviceName="checkout")["taskArns"]
    ips = {d["value"] for t in demo.ecs.describe_tasks(cluster="shop-prod", tasks=tasks)["tasks"]
           for a in t["attachments"] for d in a["details"] if d["name"] == "privateIPv4Address"}
    targets = demo.targets("checkout-tg")
    assert {t["id"] for t in targets} == ips and len(ips) == 2
    assert {(t["port"], t["status"]) for t in targets} == {(8080, "HEALTHY")}


def test_wizard_candidates_are_unattached_with_a_compatible_group(demo: Demo) -> None:
    assert len(WIZARD_CANDIDATES) >= 2
    for cluster, name, port_name, tg in WIZARD_CANDIDATES:
        svc = demo.ecs_services[name]
        assert svc["clusterArn"].endswith(f"/{cluster}") and demo.lattice_configs(name) == []
        td = demo.ecs.describe_task_definition(taskDefinition=svc["taskDefinition"])
        names = [m.get("name") for m in td["taskDefinition"]["containerDefinitions"][0][
            "portMappings"]]
        assert port_name in names
        group = demo.tgs[tg]
        assert group["type"] == "IP" and group["config"]["vpcIdentifier"] == demo.vpcs[
            "shop-prod"]["VpcId"]
        assert demo.targets(tg) == []


def test_hand_registered_backends(demo: Demo) -> None:
    assert [t["id"].split(":")[-1] for t in demo.targets("payments-refunds-fn")] == [
        "payments-refunds"]
    assert demo.targets("search-alb-tg")[0]["id"].startswith("arn:aws:elasticloadbalancing:")
    assert {t["id"] for t in demo.targets("billing-https-tg")} == {"10.1.1.200", "10.1.2.200"}


def test_every_misconfiguration_names_an_existing_resource(demo: Demo) -> None:
    assert len({rule for rule, _, _ in DEMO_MISCONFIGURATIONS}) >= 12
    by_kind = {
        "service_network": demo.networks, "service": demo.services, "listener": demo.listeners,
        "rule": demo.rules, "target_group": demo.tgs, "ecs_service": demo.ecs_services,
    }
    for rule, name, description in DEMO_MISCONFIGURATIONS:
        assert name in by_kind[DEMO_MISCONFIGURATION_KINDS[name]], (rule, name)
        assert description


def test_misconfigurations_are_really_there(demo: Demo) -> None:
    """Each planted mistake, checked on the raw API data the doctor will read."""
    assert demo.sn_vpcs("partner-net") == []
    assert all(a["serviceName"] != "recommendations"
               for sn in demo.networks for a in demo.sn_services(sn))
    auth = demo.services["auth"]
    assert auth["authType"] == "AWS_IAM"
    # No policy: an empty answer or ResourceNotFound, both mean "none".
    with contextlib.suppress(demo.lat.exceptions.ResourceNotFoundException):
        assert not demo.lat.get_auth_policy(resourceIdentifier=auth["id"]).get("policy")
    denies = json.loads(demo.lat.get_auth_policy(
        resourceIdentifier=demo.services["payments-api"]["id"])["policy"])
    assert {s["Effect"] for s in denies["Statement"]} == {"Deny"}
    assert demo.rules["v1-sunset"]["action"] == {"fixedResponse": {"statusCode": 410}}
    tls = demo.listeners["billing-tls"]
    tls_tg = tls["defaultAction"]["forward"]["targetGroups"][0]["targetGroupIdentifier"]
    assert tls["protocol"] == "TLS_PASSTHROUGH"
    assert demo.tgs["billing-https-tg"]["id"] in tls_tg
    assert demo.tgs["billing-https-tg"]["config"]["protocol"] == "HTTPS"
    assert demo.tgs["legacy-cart-tg"].get("serviceArns", []) == []
    assert demo.tgs["recommendations-tg"]["serviceArns"] and not demo.targets("recommendations-tg")
    inventory = demo.targets("inventory-tg")
    assert len(inventory) == 2 and {t["status"] for t in inventory} == {"UNHEALTHY"}
    assert demo.tgs["inventory-tg"]["config"]["healthCheck"]["port"] == 8081
    orders_sg = demo.sgs["orders-tasks"]["IpPermissions"]
    assert orders_sg and all(not p.get("PrefixListIds") for p in orders_sg)
    assert all(p.get("PrefixListIds") for p in demo.sgs["shop-prod-tasks"]["IpPermissions"])
    worker = demo.ecs_services["billing-worker"]["networkConfiguration"]["awsvpcConfiguration"]
    subnets = demo.ec2.describe_subnets(SubnetIds=worker["subnets"])["Subnets"]
    assert {s["VpcId"] for s in subnets} == {demo.vpcs["shop-batch"]["VpcId"]}
    internal = demo.sn_vpcs("shop-internal-net")
    blocking = demo.sgs["shop-batch-lattice-assoc"]
    assert demo.lat.get_service_network_vpc_association(
        serviceNetworkVpcAssociationIdentifier=internal[0]["id"])["securityGroupIds"] == [
        blocking["GroupId"]]
    assert [p["FromPort"] for p in blocking["IpPermissions"]] == [22]


def test_reseed_is_deterministic(sandbox: Sandbox, demo: Demo) -> None:
    started = time.perf_counter()
    sandbox.reset("demo")  # the server is warm now
    elapsed = time.perf_counter() - started
    again = Demo(sandbox)
    assert set(again.services) == set(demo.services) and set(again.tgs) == set(demo.tgs)
    assert set(again.ecs_services) == set(demo.ecs_services)
    assert set(again.rules) == set(demo.rules)
    print(f"demo reseed: {elapsed:.2f} s")  # a figure, not a pass/fail (benchmarks time things)
