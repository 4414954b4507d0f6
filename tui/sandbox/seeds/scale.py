"""``scale:SIZE`` seeds: a generated estate with exact, parameterised counts.

    scale:small | scale:medium | scale:large       presets
    scale:medium,services=150,tasks=900            a preset with overrides
    scale:services=50,targets=400                  overrides on top of ``small``

Layout: ``vpcs`` private VPCs (two task subnets + one host subnet each), each associated with
one service network (a VPC can join only one). Services round-robin over the networks with
``listeners`` split over them (at most 2 each, the Lattice quota) and ``rules`` over the
listeners (at most 10 each). The first ``ecs_services`` target groups are attached to one
Fargate service each (ECS registers the ``tasks`` IPs); the remaining ``targets - tasks``
targets are host IPs registered into the other groups in batches of 100.
Everything runs on a thread pool of ``workers`` over shared boto3 clients.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from tui.sandbox.seeds import Clients, chunks, lattice_prefix_list, parallel
from tui.sandbox.seeds.demo_iam import EXECUTION_ROLE, LATTICE_ROLE, make_role
from tui.sandbox.seeds.demo_lattice import policy


@dataclass(frozen=True)
class ScaleCounts:
    service_networks: int = 2
    vpcs: int = 2
    services: int = 20
    listeners: int = 30
    rules: int = 60
    target_groups: int = 24
    targets: int = 200
    clusters: int = 2
    ecs_services: int = 10
    tasks: int = 40
    workers: int = 16

    def validate(self) -> None:
        checks = [
            (min(dataclasses.astuple(self)) >= 0, "counts must be >= 0"),
            (self.workers >= 1, "workers must be >= 1"),
            (self.vpcs <= min(self.service_networks, 200), "vpcs must be <= service_networks"),
            (self.vpcs >= 1 or not (self.target_groups or self.ecs_services), "need a vpc"),
            (self.services >= 1 or not self.listeners, "listeners need services"),
            (self.listeners <= 2 * self.services, "at most 2 listeners per service"),
            (self.rules <= 10 * self.listeners, "at most 10 rules per listener"),
            (self.target_groups >= 1 or not self.listeners, "listeners need target groups"),
            (self.ecs_services <= self.target_groups, "ecs_services must be <= target_groups"),
            (self.clusters >= 1 or not self.ecs_services, "ecs services need a cluster"),
            (self.tasks <= 1000 * self.ecs_services, "at most 1000 tasks per ecs service"),
            (self.targets >= self.tasks, "targets must be >= tasks (tasks are targets)"),
            (self.targets - self.tasks <= 1000 * (self.target_groups - self.ecs_services),
             "not enough unattached target groups for the registered targets (1000 each)"),
            (self.targets - self.tasks <= 16000 * max(self.vpcs, 0), "at most 16000 hosts a vpc"),
        ]
        for ok, message in checks:
            if not ok:
                raise ValueError(message)


PRESETS: dict[str, ScaleCounts] = {
    "small": ScaleCounts(),
    "medium": ScaleCounts(service_networks=5, vpcs=5, services=100, listeners=200, rules=600,
                          target_groups=120, targets=2000, clusters=3, ecs_services=60,
                          tasks=600),
    "large": ScaleCounts(service_networks=20, vpcs=10, services=400, listeners=800, rules=2400,
                         target_groups=500, targets=10000, clusters=6, ecs_services=300,
                         tasks=3000, workers=24),
}


def parse_scale(spec: str) -> ScaleCounts:
    """'medium' / 'medium,tasks=10' / 'services=5,listeners=5' -> validated ScaleCounts."""
    parts = [p.strip() for p in spec.split(",") if p.strip()]
    if not parts:
        raise ValueError("empty scale spec")
    base = PRESETS["small"]
    if "=" not in parts[0]:
        if parts[0] not in PRESETS:
            raise ValueError(f"no preset {parts[0]!r}")
        base = PRESETS[parts.pop(0)]
    fields = {f.name for f in dataclasses.fields(ScaleCounts)}
    overrides: dict[str, int] = {}
    for part in parts:
        key, _, value = part.partition("=")
        key = key.strip().replace("-", "_")
        if key not in fields:
            raise ValueError(f"unknown count {key!r}; known: {', '.join(sorted(fields))}")
        try:
            overrides[key] = int(value)
        except ValueError:
            raise ValueError(f"{key} must be an integer, not {value!r}") from None
    counts = dataclasses.replace(base, **overrides)
    counts.validate()
    return counts


def spread(total: int, buckets: int) -> list[int]:
    """``total`` split over ``buckets`` as evenly as possible, larger ones first."""
    if buckets <= 0:
        return []
    q, r = divmod(total, buckets)
    return [q + (1 if i < r else 0) for i in range(buckets)]


def _id(arn: str) -> str:
    return arn.rsplit("/", 1)[-1]


# ---- EC2 -------------------------------------------------------------------------------------


def _vpc(c: Clients, i: int, pl: str) -> dict[str, Any]:
    ec2 = c.ec2
    name = f"scale-vpc-{i:02d}"
    tag = [{"ResourceType": "vpc", "Tags": [{"Key": "Name", "Value": name}]}]
    vpc = ec2.create_vpc(CidrBlock=f"10.{i}.0.0/16", TagSpecifications=tag)["Vpc"]["VpcId"]
    ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
    layout = (("0.0/20", "a"), ("16.0/20", "b"), ("64.0/18", "a"))  # tasks a, tasks b, hosts
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.{i}.{cidr}",
                          AvailabilityZone=f"{c.region}{az}")["Subnet"]["SubnetId"]
        for cidr, az in layout
    ]
    sg = ec2.create_security_group(
        GroupName=f"{name}-tasks", Description="tasks reachable from VPC Lattice", VpcId=vpc
    )["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[{
        "IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080,
        "PrefixListIds": [{"PrefixListId": pl}],
    }])
    assoc_sg = ec2.create_security_group(
        GroupName=f"{name}-lattice", Description="clients to Lattice", VpcId=vpc
    )["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=assoc_sg, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": p, "ToPort": p,
         "IpRanges": [{"CidrIp": f"10.{i}.0.0/16"}]} for p in (80, 443)
    ])
    _ecr_endpoints(c, vpc, f"10.{i}.0.0/16", subnets[:2], name)
    return {"id": vpc, "task_subnets": subnets[:2], "tasks_sg": sg, "assoc_sg": assoc_sg, "i": i}


def _ecr_endpoints(c: Clients, vpc: str, cidr: str, subnets: list[str], name: str) -> None:
    """Private subnets without NAT pull images through ECR + S3 endpoints (a clean topology)."""
    ec2 = c.ec2
    sg = ec2.create_security_group(
        GroupName=f"{name}-endpoints", Description="tasks to ECR endpoints", VpcId=vpc
    )["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": cidr}]}
    ])
    for service in ("ecr.api", "ecr.dkr"):
        ec2.create_vpc_endpoint(
            VpcId=vpc, VpcEndpointType="Interface", SubnetIds=subnets, SecurityGroupIds=[sg],
            ServiceName=f"com.amazonaws.{c.region}.{service}", PrivateDnsEnabled=True,
        )
    tables = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc]}])
    ec2.create_vpc_endpoint(
        VpcId=vpc, VpcEndpointType="Gateway", ServiceName=f"com.amazonaws.{c.region}.s3",
        RouteTableIds=[t["RouteTableId"] for t in tables["RouteTables"]],
    )


# ---- the seed --------------------------------------------------------------------------------


def seed_scale(c: Clients, n: ScaleCounts) -> None:
    w = n.workers
    pl = lattice_prefix_list(c) if n.vpcs else ""
    vpcs = parallel(lambda i: _vpc(c, i, pl), range(n.vpcs), w)
    roles = {}
    if n.ecs_services:
        roles = dict(parallel(lambda r: (r, make_role(c, r)), [LATTICE_ROLE, EXECUTION_ROLE], w))
        parallel(lambda k: c.ecs.create_cluster(clusterName=f"scale-{k:02d}"), range(n.clusters), w)

    def make_tg(j: int) -> str:
        vpc = vpcs[j % n.vpcs]
        return c.lattice.create_target_group(name=f"app-{j:04d}-tg", type="IP", config={
            "port": 8080, "protocol": "HTTP", "vpcIdentifier": vpc["id"],
            "healthCheck": {"enabled": True, "protocol": "HTTP", "path": "/healthz",
                            "port": 8080},
        })["arn"]

    tgs = parallel(make_tg, range(n.target_groups), w)

    def make_sn(k: int) -> str:
        sn = c.lattice.create_service_network(name=f"scale-net-{k:02d}", authType="NONE")["id"]
        if k < n.vpcs:
            c.lattice.create_service_network_vpc_association(
                serviceNetworkIdentifier=sn, vpcIdentifier=vpcs[k]["id"],
                securityGroupIds=[vpcs[k]["assoc_sg"]])
        return sn

    sns = parallel(make_sn, range(n.service_networks), w)
    _seed_services(c, n, sns, tgs)
    _seed_ecs(c, n, vpcs, roles, tgs)
    _register_hosts(c, n, tgs)


def _seed_services(c: Clients, n: ScaleCounts, sns: list[str], tgs: list[str]) -> None:
    listeners_per = spread(n.listeners, n.services)
    rules_per = spread(n.rules, n.listeners)
    first_listener = [sum(listeners_per[:i]) for i in range(n.services)]

    def make(i: int) -> None:
        lat = c.lattice
        auth = "AWS_IAM" if i % 5 == 4 else "NONE"
        svc = lat.create_service(name=f"app-{i:04d}", authType=auth)["id"]
        if auth == "AWS_IAM":  # IAM auth needs a policy that allows someone, or nothing gets in
            lat.put_auth_policy(resourceIdentifier=svc, policy=policy(c.account, "Allow"))
        if sns:
            lat.create_service_network_service_association(
                serviceNetworkIdentifier=sns[i % len(sns)], serviceIdentifier=svc)
        for k in range(listeners_per[i]):
            li = first_listener[i] + k
            https = k == 0
            listener = lat.create_listener(
                serviceIdentifier=svc, name=f"app-{i:04d}-{'https' if https else 'http'}",
                protocol="HTTPS" if https else "HTTP", port=443 if https else 80,
                defaultAction=_forward(tgs, [li]))["id"]
            for r in range(rules_per[li]):
                # Every fourth rule is a 90/10 weighted canary split over two groups.
                picks = [li + r + 1, li + r + 2] if r % 4 == 3 else [li + r + 1]
                lat.create_rule(
                    serviceIdentifier=svc, listenerIdentifier=listener, name=f"route-{r:02d}",
                    priority=10 * (r + 1),
                    match={"httpMatch": {"pathMatch": {"match": {"prefix": f"/v{r}/"}}}},
                    action=_forward(tgs, picks))

    parallel(make, range(n.services), n.workers)


def _forward(tgs: list[str], picks: list[int]) -> dict[str, Any]:
    weights = [100] if len(picks) == 1 else [90, 10]
    return {"forward": {"targetGroups": [
        {"targetGroupIdentifier": _id(tgs[p % len(tgs)]), "weight": wt}
        for p, wt in zip(picks, weights, strict=True)
    ]}}


def _seed_ecs(c: Clients, n: ScaleCounts, vpcs: list[dict[str, Any]], roles: dict[str, str],
              tgs: list[str]) -> None:
    desired = spread(n.tasks, n.ecs_services)

    def make(j: int) -> None:
        vpc = vpcs[j % n.vpcs]  # the same VPC as target group j (make_tg)
        name = f"app-{j:04d}"
        td = c.ecs.register_task_definition(
            family=name, networkMode="awsvpc", requiresCompatibilities=["FARGATE"],
            cpu="256", memory="512", executionRoleArn=roles[EXECUTION_ROLE],
            containerDefinitions=[{
                "name": "app", "image": f"{c.account}.dkr.ecr.{c.region}.amazonaws.com/{name}:1",
                "memory": 512, "essential": True,
                "portMappings": [{"name": "http", "containerPort": 8080, "protocol": "tcp",
                                  "appProtocol": "http"}],
            }],
        )["taskDefinition"]["taskDefinitionArn"]
        c.ecs.create_service(
            cluster=f"scale-{j % n.clusters:02d}", serviceName=name, taskDefinition=td,
            desiredCount=desired[j], launchType="FARGATE",
            networkConfiguration={"awsvpcConfiguration": {
                "subnets": vpc["task_subnets"], "securityGroups": [vpc["tasks_sg"]],
                "assignPublicIp": "DISABLED"}},
            vpcLatticeConfigurations=[{"roleArn": roles[LATTICE_ROLE], "targetGroupArn": tgs[j],
                                       "portName": "http"}],
        )

    parallel(make, range(n.ecs_services), n.workers)


def _register_hosts(c: Clients, n: ScaleCounts, tgs: list[str]) -> None:
    """Host IPs (e.g. EC2 instances) into the target groups ECS does not manage."""
    free = list(range(n.ecs_services, n.target_groups))
    if not free:
        return
    per_vpc: dict[int, int] = {}
    batches: list[tuple[str, list[dict[str, Any]]]] = []
    for j, count in zip(free, spread(n.targets - n.tasks, len(free)), strict=True):
        v = j % n.vpcs
        targets = []
        for _ in range(count):
            k = per_vpc.get(v, 0)
            per_vpc[v] = k + 1
            # The host subnet 10.v.64.0/18: 16,384 addresses, clear of the task subnets.
            targets.append({"id": f"10.{v}.{64 + k // 250}.{k % 250 + 4}", "port": 8080})
        batches += [(_id(tgs[j]), chunk) for chunk in chunks(targets, 100)]

    def register(batch: tuple[str, list[dict[str, Any]]]) -> None:
        c.lattice.register_targets(targetGroupIdentifier=batch[0], targets=batch[1])

    parallel(register, batches, n.workers)

