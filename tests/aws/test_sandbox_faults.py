"""Fault injection and the request log, seen through real boto3 clients."""

from __future__ import annotations

import time

import pytest
from botocore.exceptions import ClientError, ConnectionClosedError, ReadTimeoutError

from tui.sandbox import Faults

# One read per protocol: rest-json, json, ec2, query.
READS = {
    "vpc-lattice": ("list_services", {}),
    "ecs": ("list_clusters", {}),
    "ec2": ("describe_vpcs", {}),
    "iam": ("list_roles", {}),
}
THROTTLE = {"vpc-lattice": ("ThrottlingException", 429), "ecs": ("ThrottlingException", 400),
            "ec2": ("RequestLimitExceeded", 503), "iam": ("Throttling", 400)}
DENY = {"vpc-lattice": ("AccessDeniedException", 403), "ecs": ("AccessDeniedException", 400),
        "ec2": ("UnauthorizedOperation", 403), "iam": ("AccessDenied", 403)}
ERROR = {"vpc-lattice": ("InternalServerException", 500), "ecs": ("ServerException", 500),
         "ec2": ("InternalError", 500), "iam": ("ServiceFailure", 500)}


def call(sandbox, service, **client_kwargs):
    method, kwargs = READS[service]
    return getattr(sandbox.client(service, **client_kwargs), method)(**kwargs)


def error_of(sandbox, service):
    with pytest.raises(ClientError) as info:
        call(sandbox, service)
    response = info.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]


@pytest.mark.parametrize("service", READS)
def test_throttle_deny_and_error_shapes_per_protocol(sandbox, service):
    sandbox.faults = Faults(throttle_rate=1.0)
    assert error_of(sandbox, service) == THROTTLE[service]
    sandbox.faults = Faults(error_rate=1.0)
    assert error_of(sandbox, service) == ERROR[service]
    operation = {"vpc-lattice": "ListServices", "ecs": "ListClusters", "ec2": "DescribeVpcs",
                 "iam": "ListRoles"}[service]
    sandbox.faults = Faults(deny_operations={operation})
    assert error_of(sandbox, service) == DENY[service]
    sandbox.faults = Faults()
    call(sandbox, service)  # and back to normal


def test_deny_patterns_name_services_and_operations(sandbox, boto_clients):
    sandbox.faults.deny_operations = {"ecs:*", "vpc-lattice:ListTargetGroups"}
    with pytest.raises(ClientError):
        boto_clients.ecs.list_clusters()
    with pytest.raises(ClientError):
        boto_clients.lattice.list_target_groups()
    boto_clients.lattice.list_services()  # other operations still work
    boto_clients.ec2.describe_vpcs()
    denied = [r for r in sandbox.request_log.entries() if r.fault == "deny"]
    assert [(r.service, r.operation, r.status) for r in denied] == [
        ("ecs", "ListClusters", 400), ("vpc-lattice", "ListTargetGroups", 403)]


@pytest.mark.parametrize("service", READS)
def test_standard_retry_recovers_from_throttling(sandbox, service):
    # botocore backs off up to 2**attempt seconds: keep the rate low and the calls few.
    sandbox.faults = Faults(throttle_rate=0.3, seed=1)  # first draw throttles
    for _ in range(4):
        call(sandbox, service, max_attempts=10)
    throttled = [r for r in sandbox.request_log.entries() if r.fault == "throttle"]
    assert throttled, "the seed should throttle some attempts"


def test_throttled_writes_never_reach_moto(sandbox, boto_clients):
    sandbox.faults = Faults(throttle_rate=1.0)
    with pytest.raises(ClientError):
        boto_clients.lattice.create_service_network(name="sn-never")
    sandbox.faults = Faults(throttle_rate=0.3, seed=1)
    retrying = sandbox.client("vpc-lattice", max_attempts=10)
    for n in range(6):
        retrying.create_service_network(name=f"sn-retry-{n}")
    sandbox.faults = Faults()
    names = sorted(s["name"] for s in boto_clients.lattice.list_service_networks()["items"])
    assert names == [f"sn-retry-{n}" for n in range(6)]  # each applied exactly once
    attempts = [r for r in sandbox.request_log.writes() if r.operation == "CreateServiceNetwork"]
    assert len(attempts) > 7 and sum(r.status == 200 for r in attempts) == 6


def test_latency_is_added_to_every_request(sandbox, boto_clients):
    boto_clients.lattice.list_services()  # warm the client
    sandbox.faults.latency_ms = 150
    started = time.perf_counter()
    boto_clients.lattice.list_services()
    boto_clients.ecs.list_clusters()
    assert time.perf_counter() - started >= 0.3


def test_dropped_connection(sandbox):
    sandbox.faults = Faults(drop_rate=1.0)
    with pytest.raises(ConnectionClosedError):
        call(sandbox, "vpc-lattice")
    assert [r.fault for r in sandbox.request_log.entries()] == ["drop"]


def test_hang_until_the_client_times_out(sandbox):
    sandbox.faults = Faults(hang_operations={"ListServices"}, hang_seconds=4.0)
    started = time.perf_counter()
    with pytest.raises(ReadTimeoutError):
        call(sandbox, "vpc-lattice", read_timeout=0.3)
    assert time.perf_counter() - started < 3.5  # the client gave up before the hang ended
    call(sandbox, "ecs")  # other operations are not held up
    deadline = time.monotonic() + 8  # the held request ends (and is logged) after 4 s
    while not any(r.fault == "hang" for r in sandbox.request_log.entries()):
        assert time.monotonic() < deadline
        time.sleep(0.05)


def test_request_log_records_operations_and_writes(sandbox, boto_clients):
    lat = boto_clients.lattice
    sn = lat.create_service_network(name="sn-logged")
    lat.get_service_network(serviceNetworkIdentifier=sn["id"])
    lat.list_service_networks()
    boto_clients.ecs.create_cluster(clusterName="logged")
    boto_clients.ec2.describe_subnets()
    boto_clients.iam.list_roles()
    entries = sandbox.request_log.entries()
    assert [(r.service, r.operation) for r in entries] == [
        ("vpc-lattice", "CreateServiceNetwork"), ("vpc-lattice", "GetServiceNetwork"),
        ("vpc-lattice", "ListServiceNetworks"), ("ecs", "CreateCluster"),
        ("ec2", "DescribeSubnets"), ("iam", "ListRoles")]
    assert all(r.status == 200 and r.region == "us-east-1" for r in entries)
    assert [r.operation for r in sandbox.request_log.writes()] == [
        "CreateServiceNetwork", "CreateCluster"]
    sandbox.reset("none")  # moto-api traffic is not logged
    assert len(sandbox.request_log) == len(entries)
    sandbox.request_log.clear()
    assert sandbox.request_log.entries() == []


def test_rest_operations_are_named_from_the_service_model(sandbox, boto_clients):
    lat = boto_clients.lattice
    svc = lat.create_service(name="svc-named")
    tg = lat.create_target_group(name="tg-named", type="IP", config={
        "port": 80, "protocol": "HTTP", "vpcIdentifier": "vpc-0123456789abcdef0"})
    lat.create_listener(serviceIdentifier=svc["id"], name="http", protocol="HTTP", port=80,
                        defaultAction={"fixedResponse": {"statusCode": 404}})
    lst = lat.list_listeners(serviceIdentifier=svc["id"])["items"][0]
    lat.list_rules(serviceIdentifier=svc["id"], listenerIdentifier=lst["id"])
    lat.register_targets(targetGroupIdentifier=tg["id"], targets=[{"id": "10.0.0.10"}])
    lat.list_targets(targetGroupIdentifier=tg["id"])
    lat.delete_listener(serviceIdentifier=svc["id"], listenerIdentifier=lst["id"])
    assert sandbox.request_log.operations("vpc-lattice") == [
        "CreateService", "CreateTargetGroup", "CreateListener", "ListListeners", "ListRules",
        "RegisterTargets", "ListTargets", "DeleteListener"]
