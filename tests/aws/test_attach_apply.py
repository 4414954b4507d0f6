"""apply + watch in-process against a small sandbox topology (real aiobotocore over HTTP)."""

from __future__ import annotations

import pytest

from tui.aws.clients import ClientFactory, ReadOnlyViolation
from tui.config import AppConfig
from tui.sandbox import Sandbox
from tui.wizard.apply import ServiceChanged, apply_plan
from tui.wizard.facts import Facts
from tui.wizard.fetch import gather
from tui.wizard.plan import plan_attach
from tui.wizard.watch import watch

ROLE = "ecs-lattice"
POLICY = "arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForVpcLattice"
TRUST = (
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":'
    '{"Service":"ecs.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
)


def _topology(box: Sandbox) -> None:
    ec2, ecs, lattice, iam = (box.client(s) for s in ("ec2", "ecs", "vpc-lattice", "iam"))
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.9.1.0/24")["Subnet"]["SubnetId"]
    sg = ec2.create_security_group(GroupName="app", Description="app", VpcId=vpc)["GroupId"]
    ecs.create_cluster(clusterName="c1")
    td = ecs.register_task_definition(
        family="app",
        networkMode="awsvpc",
        requiresCompatibilities=["FARGATE"],
        cpu="256",
        memory="512",
        containerDefinitions=[
            {
                "name": "app",
                "image": "nginx",
                "memory": 512,
                "portMappings": [{"name": "http", "containerPort": 8080, "protocol": "tcp"}],
            }
        ],
    )["taskDefinition"]["taskDefinitionArn"]
    net = {"awsvpcConfiguration": {"subnets": [subnet], "securityGroups": [sg]}}
    for name in ("svc", "svc2"):
        ecs.create_service(
            cluster="c1",
            serviceName=name,
            taskDefinition=td,
            desiredCount=2,
            launchType="FARGATE",
            networkConfiguration=net,
        )
    hc = {"enabled": True, "protocol": "HTTP", "path": "/"}
    tgs = {}
    for name in ("app-tg", "lonely-tg"):
        tgs[name] = lattice.create_target_group(
            name=name,
            type="IP",
            config={"port": 8080, "protocol": "HTTP", "vpcIdentifier": vpc, "healthCheck": hc},
        )["id"]
    svc = lattice.create_service(name="app-svc")["id"]
    lattice.create_listener(
        serviceIdentifier=svc,
        name="http",
        protocol="HTTP",
        port=80,
        defaultAction={
            "forward": {"targetGroups": [{"targetGroupIdentifier": tgs["app-tg"], "weight": 100}]}
        },
    )
    iam.create_role(RoleName=ROLE, AssumeRolePolicyDocument=TRUST)
    iam.attach_role_policy(RoleName=ROLE, PolicyArn=POLICY)


@pytest.fixture(scope="module")
def box():
    with Sandbox(seed="none", health_delay=0.3) as sb:
        yield sb


@pytest.fixture
def sandbox(box):
    box.reset("none")
    _topology(box)
    box.request_log.clear()
    return box


def factory_for(box: Sandbox, **kw) -> ClientFactory:
    config = AppConfig(connection=box.connection(), retry_mode="standard", max_attempts=1, **kw)
    return ClientFactory(config)


async def make_plan(factory: ClientFactory, service="svc", tg="app-tg"):
    inv = await gather(factory, cluster="c1", service=service, target_group=tg, role=ROLE)
    plan = plan_attach(Facts.from_inventory(inv), "c1", service, tg, "http", ROLE)
    assert plan.ok, plan.errors
    return plan


def writes(box: Sandbox) -> list[str]:
    return [w.operation for w in box.request_log.writes()]


async def test_apply_then_watch_until_task_ips_are_healthy(sandbox):
    async with factory_for(sandbox) as factory:
        plan = await make_plan(factory)
        await apply_plan(factory, plan)
        events = [ev async for ev in watch(factory, plan, timeout=30, interval=0.2)]
    last = events[-1]
    assert last.done and last.verdict == "healthy", (last.verdict, last.cause)
    assert all(not ev.done for ev in events[:-1])
    assert len(last.task_ips) == 2 and set(last.targets.values()) == {"HEALTHY"}
    lattice = sandbox.client("vpc-lattice")
    tg = next(t for t in lattice.list_target_groups()["items"] if t["name"] == "app-tg")
    items = lattice.list_targets(targetGroupIdentifier=tg["id"])["items"]
    assert sorted(t["id"] for t in items if t["status"] == "HEALTHY") == last.task_ips
    assert writes(sandbox) == ["UpdateService"]


async def test_service_changed_since_planning_stops_before_writing(
    sandbox, change_task_definition
):
    async with factory_for(sandbox) as factory:
        plan = await make_plan(factory)
        change_task_definition("c1", "svc", "app")
        with pytest.raises(ServiceChanged) as info:
            await apply_plan(factory, plan)
    assert any(c.startswith("taskDefinition") for c in info.value.changes)
    assert "[service_changed]" in str(info.value) and "\n" not in str(info.value)
    assert writes(sandbox) == []


async def test_read_only_factory_never_sends_the_update(sandbox):
    async with factory_for(sandbox, read_only=True) as factory:
        plan = await make_plan(factory)
        with pytest.raises(ReadOnlyViolation):
            await apply_plan(factory, plan)
    assert writes(sandbox) == []


async def test_watch_times_out_with_a_likely_cause_and_cancelling_undoes_nothing(sandbox):
    async with factory_for(sandbox) as factory:
        plan = await make_plan(factory, service="svc2", tg="lonely-tg")
        assert "target_group_not_forwarded" in [w.code for w in plan.warnings]
        await apply_plan(factory, plan)
        last = None
        async for ev in watch(factory, plan, timeout=1.5, interval=0.3):
            last = ev
        assert last.verdict == "timeout" and "UNUSED" in last.cause
        async for _ev in watch(factory, plan, timeout=30, interval=0.3):
            break  # cancel at once
    svc = sandbox.client("ecs").describe_services(cluster="c1", services=["svc2"])["services"][0]
    primary = next(d for d in svc["deployments"] if d["status"] == "PRIMARY")
    assert len(primary["vpcLatticeConfigurations"]) == 1
    assert writes(sandbox) == ["UpdateService"]
