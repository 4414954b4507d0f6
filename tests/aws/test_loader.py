"""The crawler against the sandbox over real HTTP: completeness, ctx, batching, pagination."""

from __future__ import annotations

import json

import pytest

from tui.aws.loader import Progress, crawl, load_inventory
from tui.config import AppConfig
from tui.model.graph import build_graph
from tui.sandbox import Faults, Sandbox

ACCOUNT = "123456789012"
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"},
    "Action": "sts:AssumeRole"}]})
DOC = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
                                                "Resource": "*"}]}


@pytest.fixture(autouse=True)
def _healthy_at_once(sandbox):
    sandbox.health_delay = 0.0  # targets HEALTHY at once: two crawls agree


def cfg(sb: Sandbox, **kw) -> AppConfig:
    kw.setdefault("retry_mode", "standard")
    kw.setdefault("max_attempts", 1)
    return AppConfig(connection=sb.connection(), **kw)


def ids(inventory, kind, key="arn"):
    return {r["raw"][key] for r in inventory.of(kind)}


def build(sb: Sandbox) -> dict:
    """A small complete topology, created the way a user would: boto3 over the endpoint."""
    lat, ecs, ec2, iam = (sb.client(n) for n in ("vpc-lattice", "ecs", "ec2", "iam"))
    vpc = ec2.create_vpc(CidrBlock="10.8.0.0/16")["Vpc"]["VpcId"]
    ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.8.1.0/24")["Subnet"]["SubnetId"]
    sg = ec2.create_security_group(GroupName="web", Description="web", VpcId=vpc)["GroupId"]
    rt = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    vpce = ec2.create_vpc_endpoint(VpcId=vpc, ServiceName="com.amazonaws.us-east-1.s3",
                                   RouteTableIds=[rt])["VpcEndpoint"]["VpcEndpointId"]

    sn = lat.create_service_network(name="sn-main", authType="AWS_IAM")
    lat.put_auth_policy(resourceIdentifier=sn["id"], policy=json.dumps(DOC))
    svc = lat.create_service(name="svc-web", authType="AWS_IAM")
    lat.put_auth_policy(resourceIdentifier=svc["id"], policy=json.dumps(DOC))
    svc_open = lat.create_service(name="svc-open", authType="NONE")
    tg = lat.create_target_group(name="tg-web", type="IP", config={
        "port": 80, "protocol": "HTTP", "vpcIdentifier": vpc})
    lat.register_targets(targetGroupIdentifier=tg["id"],
                         targets=[{"id": "10.8.1.10", "port": 80}, {"id": "10.8.1.11"}])
    li = lat.create_listener(serviceIdentifier=svc["id"], name="http", protocol="HTTP", port=80,
                             defaultAction={"fixedResponse": {"statusCode": 404}})
    rule = lat.create_rule(serviceIdentifier=svc["id"], listenerIdentifier=li["id"],
                           name="api", priority=10,
                           match={"httpMatch": {"pathMatch": {"match": {"prefix": "/api"}}}},
                           action={"forward": {"targetGroups": [
                               {"targetGroupIdentifier": tg["id"], "weight": 100}]}})
    snsa = lat.create_service_network_service_association(
        serviceNetworkIdentifier=sn["id"], serviceIdentifier=svc["id"])
    snva = lat.create_service_network_vpc_association(
        serviceNetworkIdentifier=sn["id"], vpcIdentifier=vpc, securityGroupIds=[sg])
    als = lat.create_access_log_subscription(
        resourceIdentifier=svc["id"], destinationArn="arn:aws:logs:us-east-1:123456789012:"
        "log-group:lattice")

    task_role = iam.create_role(RoleName="web-task", AssumeRolePolicyDocument=TRUST)["Role"]
    iam.put_role_policy(RoleName="web-task", PolicyName="read-s3", PolicyDocument=json.dumps(DOC))
    policy = iam.create_policy(PolicyName="web-extra", PolicyDocument=json.dumps(DOC))["Policy"]
    iam.attach_role_policy(RoleName="web-task", PolicyArn=policy["Arn"])
    iam.attach_role_policy(RoleName="web-task",
                           PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    cluster = ecs.create_cluster(clusterName="prod")["cluster"]["clusterArn"]
    td = ecs.register_task_definition(
        family="web", networkMode="awsvpc", taskRoleArn=task_role["Arn"],
        requiresCompatibilities=["FARGATE"], cpu="256", memory="512",
        containerDefinitions=[{"name": "web", "image": "nginx", "memory": 256,
                               "portMappings": [{"containerPort": 80, "name": "http"}]}],
    )["taskDefinition"]["taskDefinitionArn"]
    infra = iam.create_role(RoleName="lattice-infra", AssumeRolePolicyDocument=TRUST.replace(
        "ecs-tasks.amazonaws.com", "ecs.amazonaws.com"))["Role"]["Arn"]
    iam.attach_role_policy(RoleName="lattice-infra", PolicyArn="arn:aws:iam::aws:policy/"
                           "AmazonECSInfrastructureRolePolicyForVpcLattice")
    network = {"awsvpcConfiguration": {"subnets": [subnet], "securityGroups": [sg]}}
    service = ecs.create_service(
        cluster="prod", serviceName="web", taskDefinition=td, desiredCount=2,
        launchType="FARGATE", networkConfiguration=network,
        vpcLatticeConfigurations=[{"roleArn": infra, "targetGroupArn": tg["arn"],
                                   "portName": "http"}],
    )["service"]["serviceArn"]
    task = ecs.run_task(cluster="prod", taskDefinition=td, launchType="FARGATE",
                        startedBy="manual", networkConfiguration=network)["tasks"][0]["taskArn"]
    rgw = lat.create_resource_gateway(name="db-gw", vpcIdentifier=vpc, subnetIds=[subnet],
                                      securityGroupIds=[sg])
    rcfg = lat.create_resource_configuration(
        name="orders-db", type="SINGLE", resourceGatewayIdentifier=rgw["id"],
        portRanges=["5432"], resourceConfigurationDefinition={
            "ipResource": {"ipAddress": "10.8.1.50"}})
    return dict(rgw=rgw, rcfg=rcfg, vpc=vpc, subnet=subnet, sg=sg, rt=rt, vpce=vpce, sn=sn, svc=svc,
                svc_open=svc_open, tg=tg, li=li, rule=rule, snsa=snsa, snva=snva, als=als,
                task_role=task_role["Arn"], infra=infra, policy=policy["Arn"],
                cluster=cluster, td=td,
                service=service, task=task)


async def test_crawl_finds_every_resource_with_its_ctx(sandbox):
    t = build(sandbox)
    sandbox.request_log.clear()
    progress: list[Progress] = []
    inv = await crawl(cfg(sandbox), on_progress=progress.append)
    requests = sandbox.request_log.entries()

    assert (inv.account, inv.region) == (ACCOUNT, "us-east-1")
    assert inv.errors == []

    assert ids(inv, "service_network") == {t["sn"]["arn"]}
    assert ids(inv, "service") == {t["svc"]["arn"], t["svc_open"]["arn"]}
    assert {r["raw"]["arn"]: r["raw"].get("authType") for r in inv.of("service")} == {
        t["svc"]["arn"]: "AWS_IAM", t["svc_open"]["arn"]: "NONE"}
    # auth policies: the IAM service and the IAM network, parsed from GetAuthPolicy
    assert {r["ctx"]["resourceArn"] for r in inv.of("auth_policy")} == {
        t["sn"]["arn"], t["svc"]["arn"]}
    assert all(json.loads(r["raw"]["policy"]) == DOC for r in inv.of("auth_policy"))

    [listener] = inv.of("listener")
    assert listener["raw"]["arn"] == t["li"]["arn"]
    assert listener["raw"]["defaultAction"] == {"fixedResponse": {"statusCode": 404}}
    assert listener["ctx"]["serviceArn"] == t["svc"]["arn"]
    rules = {r["raw"]["arn"]: r for r in inv.of("rule")}
    assert t["rule"]["arn"] in rules  # plus the listener's default rule
    rule = rules[t["rule"]["arn"]]
    assert rule["raw"]["match"]["httpMatch"]["pathMatch"]["match"] == {"prefix": "/api"}
    assert rule["raw"]["action"]["forward"]["targetGroups"][0]["weight"] == 100
    assert rule["ctx"] == {"listenerArn": t["li"]["arn"], "serviceArn": t["svc"]["arn"]}

    [tg] = inv.of("target_group")
    assert tg["raw"]["arn"] == t["tg"]["arn"] and tg["raw"]["config"]["port"] == 80
    targets = {(r["raw"]["id"], r["raw"].get("port")) for r in inv.of("target")}
    task_ips = {d["value"] for task in inv.of("ecs_task")
                for a in task["raw"].get("attachments", []) for d in a["details"]
                if d["name"] == "privateIPv4Address" and task["raw"].get("group") == "service:web"}
    assert len(task_ips) == 2  # ECS registered the service's task IPs into the group
    assert targets == {("10.8.1.10", 80), ("10.8.1.11", 80)} | {(ip, 80) for ip in task_ips}
    assert all(r["ctx"] == {"targetGroupArn": t["tg"]["arn"]} for r in inv.of("target"))
    assert all(r["raw"]["status"] for r in inv.of("target"))

    [snsa] = inv.of("sn_service_association")
    assert snsa["ctx"] == {"serviceNetworkArn": t["sn"]["arn"], "serviceArn": t["svc"]["arn"]}
    [snva] = inv.of("sn_vpc_association")
    assert snva["ctx"] == {"serviceNetworkArn": t["sn"]["arn"], "vpcId": t["vpc"]}
    assert snva["raw"]["securityGroupIds"] == [t["sg"]]
    assert ids(inv, "access_log_subscription") == {t["als"]["arn"]}

    assert ids(inv, "ecs_cluster", "clusterArn") == {t["cluster"]}
    assert ids(inv, "ecs_service", "serviceArn") == {t["service"]}
    [primary] = [d for d in inv.of("ecs_service")[0]["raw"]["deployments"]
                 if d["status"] == "PRIMARY"]
    assert primary["vpcLatticeConfigurations"] == [
        {"roleArn": t["infra"], "targetGroupArn": t["tg"]["arn"], "portName": "http"}]
    assert t["task"] in ids(inv, "ecs_task", "taskArn")
    expected_tasks = set(sandbox.client("ecs").list_tasks(cluster="prod",
                                                          desiredStatus="RUNNING")["taskArns"])
    assert ids(inv, "ecs_task", "taskArn") == expected_tasks
    [td] = inv.of("task_definition")
    assert td["raw"]["taskDefinitionArn"] == t["td"]
    assert td["raw"]["containerDefinitions"][0]["portMappings"][0]["name"] == "http"

    roles = {r["raw"]["Arn"]: r for r in inv.of("iam_role")}
    role = roles[t["task_role"]]
    assert role["raw"]["AssumeRolePolicyDocument"] == json.loads(TRUST)
    assert role["ctx"]["inlinePolicies"] == {"read-s3": DOC}
    assert {p["PolicyArn"] for p in role["ctx"]["attachedPolicies"]} == {
        t["policy"], "arn:aws:iam::aws:policy/ReadOnlyAccess"}
    assert role["ctx"]["policyDocuments"] == {t["policy"]: DOC}  # customer-managed only
    infra = roles[t["infra"]]  # referenced only by the service's vpcLatticeConfigurations
    assert infra["raw"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {
        "Service": "ecs.amazonaws.com"}
    assert [p["PolicyName"] for p in infra["ctx"]["attachedPolicies"]] == [
        "AmazonECSInfrastructureRolePolicyForVpcLattice"]
    assert infra["ctx"]["policyDocuments"] == {} and infra["ctx"]["inlinePolicies"] == {}
    assert set(roles) == {t["task_role"], t["infra"]}

    assert t["vpc"] in ids(inv, "vpc", "VpcId")
    assert t["subnet"] in ids(inv, "subnet", "SubnetId")
    assert t["sg"] in ids(inv, "security_group", "GroupId")
    assert t["rt"] in ids(inv, "route_table", "RouteTableId")
    assert ids(inv, "vpc_endpoint", "VpcEndpointId") == {t["vpce"]}
    [rgw] = inv.of("resource_gateway")
    assert rgw["raw"]["arn"] == t["rgw"]["arn"] and rgw["raw"]["subnetIds"] == [t["subnet"]]
    [rcfg] = inv.of("resource_configuration")
    assert rcfg["raw"]["resourceGatewayId"] == t["rgw"]["id"]
    assert rcfg["raw"]["resourceConfigurationDefinition"] == {
        "ipResource": {"ipAddress": "10.8.1.50"}}
    graph = build_graph(inv)
    assert graph.has_edge(t["rgw"]["arn"], t["rcfg"]["arn"], key="contains")
    assert any(key == "in" and t["subnet"] in dst
               for _, dst, key in graph.out_edges(t["rgw"]["arn"], keys=True))
    assert "com.amazonaws.us-east-1.vpc-lattice" in {p["PrefixListName"]
                                                     for p in inv.prefix_lists}

    json.dumps(inv.to_dict())  # plain JSON: datetimes became strings
    assert "ResponseMetadata" not in json.dumps(inv.to_dict())

    # progress: monotone, ends finished with every call accounted for
    done = [p.calls_done for p in progress]
    assert done == sorted(done) and progress[-1].finished
    last = progress[-1]
    assert last.calls_done == last.calls_known == len(requests)
    assert last.counts == inv.counts() and last.errors == len(inv.errors)


async def test_pagination_and_batching(sandbox):
    lat, ecs = sandbox.client("vpc-lattice"), sandbox.client("ecs")
    for i in range(120):
        lat.create_target_group(name=f"tg-{i:03d}", type="IP", config={
            "port": 80, "protocol": "HTTP", "vpcIdentifier": "vpc-0123456789abcdef0"})
    for i in range(105):
        lat.create_service(name=f"svc-{i:03d}")
    ecs.create_cluster(clusterName="big")
    ecs.register_task_definition(family="app", containerDefinitions=[
        {"name": "app", "image": "nginx", "memory": 128}])
    for i in range(25):
        ecs.create_service(cluster="big", serviceName=f"app-{i:02d}", taskDefinition="app:1",
                           desiredCount=0)
    sandbox.request_log.clear()

    inv = await crawl(cfg(sandbox))
    assert len(inv.of("target_group")) == 120 and len(inv.of("service")) == 105
    assert len(inv.of("ecs_service")) == 25
    assert len(inv.of("task_definition")) == 1  # 25 services, one definition fetched once
    ops = sandbox.request_log.operations()
    assert ops.count("ListTargetGroups") == 2 and ops.count("ListServices") == 2 + 1
    assert ops.count("GetTargetGroup") == 120 and ops.count("ListTargets") == 120
    assert ops.count("DescribeServices") == 3  # 25 services in batches of 10
    assert ops.count("DescribeTaskDefinition") == 1
    assert not [e for e in inv.errors if e.service != "vpc-lattice"
                or e.operation not in {"ListResourceGateways", "ListResourceConfigurations"}]


async def test_concurrency_is_bounded_and_used(sandbox):
    lat = sandbox.client("vpc-lattice")
    for i in range(24):
        lat.create_service(name=f"svc-{i:03d}")
    sandbox.faults = Faults(latency_ms=40)
    sandbox.request_log.clear()
    await crawl(cfg(sandbox, max_concurrency=4))
    spans = [(r.at - r.duration_ms / 1000, r.at) for r in sandbox.request_log.entries()]
    events = sorted([(s, 1) for s, _ in spans] + [(e, -1) for _, e in spans])
    peak = level = 0
    for _, step in events:
        level += step
        peak = max(peak, level)
    assert 2 <= peak <= 4


async def test_adaptive_retries_under_20_percent_throttling_lose_nothing(sandbox):
    build(sandbox)
    baseline = await crawl(cfg(sandbox))
    sandbox.request_log.clear()
    sandbox.faults = Faults(throttle_rate=0.2, seed=11)
    inv = await crawl(cfg(sandbox, retry_mode="adaptive", max_attempts=12))
    assert any(r.fault == "throttle" for r in sandbox.request_log.entries())
    assert inv.to_dict() == baseline.to_dict()


def test_load_inventory_is_sync(sandbox):
    sandbox.client("ecs").create_cluster(clusterName="sync")
    inv = load_inventory(cfg(sandbox))
    assert [r["raw"]["clusterName"] for r in inv.of("ecs_cluster")] == ["sync"]
