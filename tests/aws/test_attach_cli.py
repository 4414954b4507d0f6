"""`trellis attach/detach` against the demo sandbox over real HTTP (real SDK, no mocks).

Every bad-input case: exit non-zero, one line on stderr, no traceback, and the sandbox's
request log shows that no mutating call reached the server.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tui.cli import main
from tui.sandbox import Sandbox

REGION = "us-east-1"
LATTICE_ROLE = "ecsInfrastructureRoleForVpcLattice"
ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_EC2_METADATA_DISABLED": "true",
}


@pytest.fixture(scope="module")
def demo():
    saved = {k: os.environ.get(k) for k in ENV}
    os.environ.update(ENV)
    with Sandbox(seed="demo", health_delay=0.5) as box:
        _extra_services(box)
        yield box
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def _extra_services(box: Sandbox) -> None:
    """An EXTERNAL service and one already at 5 target groups (demo has neither)."""
    ecs, lattice, iam = box.client("ecs"), box.client("vpc-lattice"), box.client("iam")
    rec = ecs.describe_services(cluster="shop-prod", services=["recommendations"])["services"][0]
    ecs.create_service(
        cluster="shop-prod",
        serviceName="edge-box",
        launchType="EXTERNAL",
        taskDefinition=rec["taskDefinition"],
        desiredCount=0,
    )
    tgs = {t["name"]: t["arn"] for t in lattice.list_target_groups()["items"]}
    role = iam.get_role(RoleName=LATTICE_ROLE)["Role"]["Arn"]
    five = ["checkout-tg", "checkout-canary-tg", "payments-tg", "inventory-tg", "orders-tg"]
    ecs.create_service(
        cluster="shop-prod",
        serviceName="crowded",
        launchType="FARGATE",
        desiredCount=0,
        taskDefinition=rec["taskDefinition"],
        networkConfiguration=rec["networkConfiguration"],
        vpcLatticeConfigurations=[
            {"roleArn": role, "targetGroupArn": tgs[n], "portName": "web"} for n in five
        ],
    )


@pytest.fixture
def sandbox(demo):
    demo.request_log.clear()
    return demo


def conn(box: Sandbox) -> list[str]:
    return ["--endpoint-url", box.endpoint_url, "--region", REGION]


def attach_args(
    box,
    service="notifications",
    tg="notifications-tg",
    role=LATTICE_ROLE,
    cluster="shop-prod",
    extra=(),
):
    return [
        "attach",
        *conn(box),
        "--cluster",
        cluster,
        "--service",
        service,
        "--target-group",
        tg,
        "--role",
        role,
        "--yes",
        *extra,
    ]


def run_main(argv, capsys) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_no_write(box, code, err, expected):
    assert code != 0
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert expected in lines[0], lines[0]
    assert box.request_log.writes() == []


OTHER_ACCOUNT_TG = "arn:aws:vpc-lattice:us-east-1:999999999999:targetgroup/tg-0123456789abcdef0"

BAD_ATTACH = [
    ({"cluster": "no-such-cluster"}, (), "cluster_not_found"),
    ({"service": "no-such-service"}, (), "service_not_found"),
    ({"service": "edge-box", "tg": "recommendations-tg"}, (), "external_launch_type"),
    (
        {"cluster": "shop-batch", "service": "billing-worker", "tg": "billing-https-tg"},
        (),
        "no_named_ports",
    ),
    ({}, ("--port-name", "grpc"), "port_not_found"),
    ({"tg": "no-such-tg"}, (), "target_group_not_found"),
    ({"tg": "search-alb-tg"}, (), "target_group_not_ip"),
    ({"tg": "billing-https-tg"}, (), "vpc_mismatch"),
    ({"tg": OTHER_ACCOUNT_TG}, (), "other_account"),
    ({"service": "checkout", "tg": "checkout-tg"}, (), "already_attached"),
    ({"service": "crowded", "tg": "recommendations-tg"}, (), "too_many_target_groups"),
    ({"role": "no-such-role"}, (), "role_not_found"),
    ({"role": "ecsLatticeRoleTrustsEc2"}, (), "role_not_trusted"),
    ({"role": "ecsLatticeRoleWithoutPolicy"}, (), "role_no_lattice_policy"),
    ({}, ("--read-only",), "read_only"),
    ({"tg": "arn:aws:vpc-lattice:us-east-1:123:targetgroup/x"}, (), "malformed_arn"),
    ({"role": "arn:aws:iam::123456789012:user/bob"}, (), "malformed_arn"),
]


@pytest.mark.parametrize(("kw", "extra", "code"), BAD_ATTACH, ids=[c for *_, c in BAD_ATTACH])
def test_bad_attach_input_exits_with_one_line_and_no_write(sandbox, capsys, kw, extra, code):
    rc, _out, err = run_main(attach_args(sandbox, extra=extra, **kw), capsys)
    assert rc == 2
    assert_one_line_no_write(sandbox, rc, err, f"[{code}]")


def test_no_named_ports_error_carries_the_snippet(sandbox, capsys):
    argv = attach_args(
        sandbox, cluster="shop-batch", service="billing-worker", tg="billing-https-tg"
    )
    _rc, _out, err = run_main(argv, capsys)
    assert '"name": "app-8080-tcp", "containerPort": 8080' in err


@pytest.mark.parametrize(
    ("service", "tg", "code"),
    [
        ("notifications", "notifications-tg", "not_attached"),  # attached to nothing at all
        ("checkout", "notifications-tg", "not_attached"),  # attached, but to another group
        ("checkout", "no-such-tg", "target_group_not_found"),
        ("nope", "checkout-tg", "service_not_found"),
    ],
)
def test_bad_detach_input(sandbox, capsys, service, tg, code):
    argv = [
        "detach",
        *conn(sandbox),
        "--cluster",
        "shop-prod",
        "--service",
        service,
        "--target-group",
        tg,
        "--yes",
    ]
    rc, _out, err = run_main(argv, capsys)
    assert_one_line_no_write(sandbox, rc, err, f"[{code}]")


def test_detach_read_only_refuses(sandbox, capsys):
    argv = [
        "detach",
        *conn(sandbox),
        "--cluster",
        "shop-prod",
        "--service",
        "checkout",
        "--target-group",
        "checkout-tg",
        "--yes",
        "--read-only",
    ]
    rc, _out, err = run_main(argv, capsys)
    assert_one_line_no_write(sandbox, rc, err, "[read_only]")


def test_dry_run_prints_plan_and_request_without_writing(sandbox, capsys):
    argv = attach_args(sandbox, extra=("--dry-run",))
    rc, out, _err = run_main(argv, capsys)
    assert rc == 0
    assert '"service": "notifications"' in out and '"portName": "http"' in out
    assert "ecspresso ecs-service-def.json" in out and "dry run: nothing was changed" in out
    assert sandbox.request_log.writes() == []


def _subprocess(argv: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tui", *argv],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
        env={**os.environ, **ENV},
    )


def test_without_yes_refuses_when_stdin_is_not_a_terminal(sandbox):
    argv = [a for a in attach_args(sandbox) if a != "--yes"]
    proc = _subprocess(argv)
    assert proc.returncode == 2
    assert_one_line_no_write(sandbox, proc.returncode, proc.stderr, "not a terminal")


def _targets(box: Sandbox, tg_name: str) -> dict[str, str]:
    lattice = box.client("vpc-lattice")
    tg = next(t for t in lattice.list_target_groups()["items"] if t["name"] == tg_name)
    return {
        t["id"]: t["status"] for t in lattice.list_targets(targetGroupIdentifier=tg["id"])["items"]
    }


def _task_ips(box: Sandbox, service: str) -> set[str]:
    ecs = box.client("ecs")
    arns = ecs.list_tasks(cluster="shop-prod", serviceName=service)["taskArns"]
    tasks = ecs.describe_tasks(cluster="shop-prod", tasks=arns)["tasks"]
    return {
        d["value"]
        for t in tasks
        if t.get("group") == f"service:{service}" and t["lastStatus"] == "RUNNING"
        for a in t["attachments"]
        for d in a["details"]
        if d["name"] == "privateIPv4Address"
    }


def test_attach_wait_then_detach_wait_end_to_end(sandbox):
    assert _targets(sandbox, "recommendations-tg") == {}
    proc = _subprocess(
        attach_args(
            sandbox,
            service="recommendations",
            tg="recommendations-tg",
            extra=("--wait", "--interval", "0.3", "--timeout", "60"),
        )
    )
    assert proc.returncode == 0, proc.stderr
    assert "verdict: healthy" in proc.stdout
    ips = _task_ips(sandbox, "recommendations")
    assert ips and _targets(sandbox, "recommendations-tg") == {ip: "HEALTHY" for ip in ips}
    assert [w.operation for w in sandbox.request_log.writes()] == ["UpdateService"]
    ecs = sandbox.client("ecs")
    svc = ecs.describe_services(cluster="shop-prod", services=["recommendations"])["services"][0]
    primary = next(d for d in svc["deployments"] if d["status"] == "PRIMARY")
    assert [c["portName"] for c in primary["vpcLatticeConfigurations"]] == ["web"]

    sandbox.request_log.clear()
    proc = _subprocess(
        [
            "detach",
            *conn(sandbox),
            "--cluster",
            "shop-prod",
            "--service",
            "recommendations",
            "--target-group",
            "recommendations-tg",
            "--yes",
            "--wait",
            "--interval",
            "0.3",
            "--timeout",
            "60",
        ]
    )
    assert proc.returncode == 0, proc.stderr
    assert "verdict: deregistered" in proc.stdout
    assert '"vpcLatticeConfigurations": []' in proc.stdout
    assert all(s == "DRAINING" for s in _targets(sandbox, "recommendations-tg").values())
    writes = sandbox.request_log.writes()
    assert [w.operation for w in writes] == ["UpdateService"]


def test_wait_reports_failure_with_cause_and_exits_1(sandbox, capsys):
    """inventory-tg health-checks 8081 while the task listens on 8080: rollout FAILS."""
    ecs = sandbox.client("ecs")
    argv = [
        "detach",
        *conn(sandbox),
        "--cluster",
        "shop-prod",
        "--service",
        "inventory",
        "--target-group",
        "inventory-tg",
        "--yes",
    ]
    assert main(argv) == 0  # start from an unattached inventory service
    capsys.readouterr()
    rc, out, _err = run_main(
        attach_args(
            sandbox,
            service="inventory",
            tg="inventory-tg",
            extra=("--wait", "--interval", "0.3", "--timeout", "30"),
        ),
        capsys,
    )
    assert rc == 1
    assert "health_check_port" in out  # the review warned before applying
    assert "verdict: failed" in out and "health checks fail" in out
    svc = ecs.describe_services(cluster="shop-prod", services=["inventory"])["services"][0]
    assert next(d for d in svc["deployments"] if d["status"] == "PRIMARY")[
        "vpcLatticeConfigurations"
    ]  # nothing rolled back
