"""ECS services + VPC Lattice in the sandbox: tasks, IPs, targets, health, deployments."""

from __future__ import annotations

import ipaddress
import time

import pytest
from botocore.exceptions import ClientError

ROLE = "arn:aws:iam::123456789012:role/ecsInfrastructureRoleForVpcLattice"


class World:
    """A VPC with two private subnets, a cluster, a task definition and a Lattice service."""

    def __init__(self, clients, health_check=None):
        self.ec2, self.ecs, self.lat = clients.ec2, clients.ecs, clients.lattice
        vpc = self.ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
        self.ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
        self.subnets = {}
        for cidr in ("10.20.1.0/24", "10.20.2.0/24"):
            sid = self.ec2.create_subnet(VpcId=vpc, CidrBlock=cidr)["Subnet"]["SubnetId"]
            self.subnets[sid] = ipaddress.ip_network(cidr)
        self.sg = self.ec2.create_security_group(
            GroupName="app", Description="app", VpcId=vpc)["GroupId"]
        config = {"port": 80, "protocol": "HTTP", "vpcIdentifier": vpc}
        if health_check:
            config["healthCheck"] = health_check
        self.tg = self.lat.create_target_group(name="tg-orders", type="IP", config=config)
        self.svc = self.lat.create_service(name="svc-orders")
        self.lat.create_listener(
            serviceIdentifier=self.svc["id"], name="http", protocol="HTTP", port=80,
            defaultAction={"forward": {"targetGroups": [
                {"targetGroupIdentifier": self.tg["id"], "weight": 100}]}})
        self.ecs.create_cluster(clusterName="shop")
        self.task_def = self.register(8080)

    def register(self, port, name="http"):
        return self.ecs.register_task_definition(
            family="orders", networkMode="awsvpc", requiresCompatibilities=["FARGATE"],
            cpu="256", memory="512", containerDefinitions=[{
                "name": "orders", "image": "orders:1", "essential": True,
                "portMappings": [{"name": name, "containerPort": port, "protocol": "tcp"}]}],
        )["taskDefinition"]["taskDefinitionArn"]

    def config(self, port_name="http", tg=None):
        return {"roleArn": ROLE, "targetGroupArn": tg or self.tg["arn"], "portName": port_name}

    def create(self, count=2, configs=None, name="orders"):
        return self.ecs.create_service(
            cluster="shop", serviceName=name, taskDefinition=self.task_def, desiredCount=count,
            launchType="FARGATE", vpcLatticeConfigurations=configs or [],
            networkConfiguration={"awsvpcConfiguration": {
                "subnets": list(self.subnets), "securityGroups": [self.sg]}})["service"]

    def describe(self, name="orders"):
        return self.ecs.describe_services(cluster="shop", services=[name])["services"][0]

    def primary(self, name="orders"):
        return next(d for d in self.describe(name)["deployments"] if d["status"] == "PRIMARY")

    def targets(self):
        return self.lat.list_targets(targetGroupIdentifier=self.tg["id"])["items"]

    def task_ips(self, name="orders"):
        arns = self.ecs.list_tasks(cluster="shop", serviceName=name)["taskArns"]
        if not arns:
            return {}
        tasks = self.ecs.describe_tasks(cluster="shop", tasks=arns)["tasks"]
        ips = {}
        for task in tasks:
            details = {d["name"]: d["value"] for d in task["attachments"][0]["details"]}
            ips[details["privateIPv4Address"]] = (details["subnetId"], task)
        return ips


@pytest.fixture
def world(boto_clients, sandbox):
    sandbox.health_delay = 0.4
    return World(boto_clients)


def wait_for(predicate, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("condition not reached")


def test_attach_registers_task_ips_initial_then_healthy(world):
    world.create(count=3, configs=[world.config()])
    deployment = world.primary()
    assert deployment["vpcLatticeConfigurations"] == [world.config()]
    assert deployment["rolloutState"] == "IN_PROGRESS"
    ips = world.task_ips()
    assert len(ips) == 3
    for ip, (subnet, task) in ips.items():
        assert ipaddress.ip_address(ip) in world.subnets[subnet]
        assert task["lastStatus"] == "RUNNING" and task["group"] == "service:orders"
        assert task["startedBy"] == deployment["id"]
    assert len({subnet for subnet, _ in ips.values()}) == 2  # spread over both subnets
    targets = world.targets()
    assert {(t["id"], t["port"], t["status"]) for t in targets} == {
        (ip, 8080, "INITIAL") for ip in ips}
    wait_for(lambda: all(t["status"] == "HEALTHY" for t in world.targets()))
    assert world.primary()["rolloutState"] == "COMPLETED"
    service = world.describe()
    assert service["runningCount"] == 3
    assert any("steady state" in e["message"] for e in service["events"])
    # describing again keeps tasks RUNNING (moto would advance them to STOPPED)
    assert {t["lastStatus"] for _, t in world.task_ips().values()} == {"RUNNING"}


def test_detach_with_empty_list_deregisters_and_missing_field_keeps(world, sandbox):
    world.create(count=2, configs=[world.config()])
    world.ecs.update_service(cluster="shop", service="orders", desiredCount=2)
    assert world.primary()["vpcLatticeConfigurations"] == [world.config()]
    assert len(world.targets()) == 2
    sandbox.health_delay = 0.0  # no draining period: deregistered targets go at once
    world.ecs.update_service(cluster="shop", service="orders", vpcLatticeConfigurations=[])
    assert "vpcLatticeConfigurations" not in world.primary()
    assert world.targets() == []
    assert len(world.task_ips()) == 2  # a Lattice-only change keeps the tasks


def test_desired_count_adds_and_removes_tasks_and_targets(world):
    world.create(count=1, configs=[world.config()])
    world.ecs.update_service(cluster="shop", service="orders", desiredCount=4)
    ips = set(world.task_ips())
    assert len(ips) == 4 and {t["id"] for t in world.targets()} == ips
    world.ecs.update_service(cluster="shop", service="orders", desiredCount=1)
    remaining = set(world.task_ips())
    assert len(remaining) == 1
    draining = {t["id"] for t in world.targets() if t["status"] == "DRAINING"}
    assert draining == ips - remaining
    stopped = world.ecs.list_tasks(cluster="shop", serviceName="orders",
                                   desiredStatus="STOPPED")["taskArns"]
    assert len(stopped) == 3


def test_list_tasks_filters_by_service(world):
    world.create(count=2, name="orders")
    world.create(count=3, name="billing")
    assert len(world.ecs.list_tasks(cluster="shop", serviceName="orders")["taskArns"]) == 2
    assert len(world.ecs.list_tasks(cluster="shop", serviceName="billing")["taskArns"]) == 3
    assert len(world.ecs.list_tasks(cluster="shop")["taskArns"]) == 5
    all_ips = set(world.task_ips("orders")) | set(world.task_ips("billing"))
    assert len(all_ips) == 5  # unique addresses


def test_unhealthy_when_health_check_port_is_not_a_container_port(boto_clients, sandbox):
    sandbox.health_delay = 0.2
    world = World(boto_clients, health_check={"enabled": True, "port": 9090, "path": "/"})
    world.create(count=2, configs=[world.config()])
    targets = wait_for(lambda: [t for t in world.targets() if t["status"] != "INITIAL"])
    assert {(t["status"], t["reasonCode"]) for t in targets} == {("UNHEALTHY",
                                                                  "HealthCheckFailed")}
    assert world.primary()["rolloutState"] == "FAILED"
    world.lat.update_target_group(targetGroupIdentifier=world.tg["id"],
                                  healthCheck={"port": 8080})
    assert {t["status"] for t in world.targets()} == {"HEALTHY"}


def test_unused_target_group_reports_unused(world, sandbox):
    sandbox.health_delay = 0.0
    idle = world.lat.create_target_group(name="tg-idle", type="IP", config={
        "port": 80, "protocol": "HTTP", "vpcIdentifier": world.tg["config"]["vpcIdentifier"]})
    world.create(count=1, configs=[world.config(tg=idle["arn"])])
    targets = world.lat.list_targets(targetGroupIdentifier=idle["id"])["items"]
    assert [(t["status"], t["reasonCode"]) for t in targets] == [("UNUSED",
                                                                  "TargetGroupNotInUse")]
    assert world.primary()["rolloutState"] == "COMPLETED"  # UNUSED does not block


def test_new_task_definition_replaces_tasks_and_keeps_configs(world):
    world.create(count=2, configs=[world.config()])
    before = set(world.task_ips())
    first = world.primary()["id"]
    new_def = world.register(8080)
    world.ecs.update_service(cluster="shop", service="orders", taskDefinition=new_def)
    service = world.describe()
    primary = next(d for d in service["deployments"] if d["status"] == "PRIMARY")
    assert primary["id"] != first and primary["taskDefinition"] == new_def
    assert primary["vpcLatticeConfigurations"] == [world.config()]
    assert [d["status"] for d in service["deployments"]] == ["PRIMARY", "ACTIVE"]
    after = set(world.task_ips())
    assert len(after) == 2 and not after & before
    active = {t["id"] for t in world.targets() if t["status"] != "DRAINING"}
    assert active == after


@pytest.mark.parametrize("configs, fragment", [
    ([{"portName": "grpc"}], "portName 'grpc'"),
    ([{}] * 6, "at most 5"),
    ([{"targetGroupArn": "arn:aws:vpc-lattice:us-east-1:123456789012:targetgroup/"
       "tg-0123456789abcdefg"}], "does not exist"),
])
def test_invalid_lattice_configurations_are_rejected(world, configs, fragment):
    full = [world.config() | c for c in configs]
    with pytest.raises(ClientError) as error:
        world.create(count=1, configs=full)
    assert error.value.response["Error"]["Code"] == "InvalidParameterException"
    assert fragment in error.value.response["Error"]["Message"]
    world.create(count=1)
    with pytest.raises(ClientError) as error:
        world.ecs.update_service(cluster="shop", service="orders", vpcLatticeConfigurations=full)
    assert error.value.response["Error"]["Code"] == "InvalidParameterException"


def test_non_ip_target_group_is_rejected(world):
    lam = world.lat.create_target_group(name="tg-lambda", type="LAMBDA")
    with pytest.raises(ClientError) as error:
        world.create(count=1, configs=[world.config(tg=lam["arn"])])
    assert "must be of type IP" in error.value.response["Error"]["Message"]


def test_list_services_and_tasks_paginate(world):
    for n in range(12):
        world.create(count=10 if n == 0 else 0, name=f"svc-{n:02d}")
    pages = list(world.ecs.get_paginator("list_services").paginate(cluster="shop"))
    assert len(pages) == 2 and sum(len(p["serviceArns"]) for p in pages) == 12
    first = world.ecs.list_tasks(cluster="shop", maxResults=4)
    assert len(first["taskArns"]) == 4 and first["nextToken"]
    tasks = [a for p in world.ecs.get_paginator("list_tasks").paginate(
        cluster="shop", PaginationConfig={"PageSize": 3}) for a in p["taskArns"]]
    assert len(set(tasks)) == 10
