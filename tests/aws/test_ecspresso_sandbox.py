"""`trellis verify --ecspresso` and `trellis export ecspresso` against the demo sandbox.

The fixture projects (tests/fixtures/ecspresso/*) name demo resources through environment
variables (ids differ per run): this module looks them up and sets them, then runs the real
command line, which crawls the sandbox over HTTP with the real SDK.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tui.cli import main

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ecspresso"

# fixture -> (config file, the rule its one Lattice config must FAIL with; None = clean)
CASES = {
    "good": ("ecspresso.yml", None),
    "tg-wrong-type": ("ecspresso.json", "ecs-tg-not-ip"),
    "tg-wrong-vpc": ("ecspresso.yml", "ecs-tg-vpc-mismatch"),
    "sg-closed": ("ecspresso.json", "ecs-sg-no-lattice"),
    "hc-port": ("ecspresso.yml", "hc-port-mismatch"),
    "tg-unused": ("ecspresso.json", "tg-unused"),
    "no-ecr-endpoints": ("ecspresso.yml", "ecr-no-endpoints"),
}


def _env_name(prefix: str, name: str) -> str:
    return f"{prefix}_{name.upper().replace('-', '_')}"


@pytest.fixture(scope="module")
def demo(_session_sandbox: Any) -> Any:
    box = _session_sandbox
    box.reset("demo")
    yield box
    box.reset("none")


@pytest.fixture(scope="module")
def demo_env(demo: Any) -> dict[str, str]:
    """TG_<NAME>, SUBNET_<VPC>_<AZ>, SG_<NAME>, role ARNs and ACCOUNT_ID of this demo run."""
    lattice, ec2, iam, sts = (demo.client(n) for n in ("vpc-lattice", "ec2", "iam", "sts"))
    env = {"ACCOUNT_ID": sts.get_caller_identity()["Account"], "AWS_REGION": demo.region}
    for tg in lattice.list_target_groups()["items"]:
        env[_env_name("TG", tg["name"].removesuffix("-tg"))] = tg["arn"]
    for subnet in ec2.describe_subnets()["Subnets"]:
        name = {t["Key"]: t["Value"] for t in subnet.get("Tags", [])}.get("Name", "")
        if name.startswith("shop-"):  # shop-prod-private-a -> SUBNET_PROD_A
            vpc, az = name.removeprefix("shop-").split("-private-")
            env[_env_name("SUBNET", f"{vpc}_{az}")] = subnet["SubnetId"]
    for sg in ec2.describe_security_groups()["SecurityGroups"]:
        env[_env_name("SG", sg["GroupName"])] = sg["GroupId"]
    env["LATTICE_ROLE_ARN"] = iam.get_role(
        RoleName="ecsInfrastructureRoleForVpcLattice")["Role"]["Arn"]
    env["EXECUTION_ROLE_ARN"] = iam.get_role(RoleName="ecsTaskExecutionRole")["Role"]["Arn"]
    return env


@pytest.fixture(scope="module")
def demo_snapshot(demo: Any, tmp_path_factory) -> Path:
    """One crawl of the demo saved with `trellis snapshot`, for the per-fixture cases."""
    path = tmp_path_factory.mktemp("ecspresso") / "demo.json"
    assert main(["snapshot", "-o", str(path), "--endpoint-url", demo.endpoint_url]) == 0
    return path


def _verify(path: Path, demo: Any, capsys, fmt: str = "json",
            snapshot: Path | None = None) -> tuple[int, Any, str]:
    source = ["--snapshot", str(snapshot)] if snapshot else ["--endpoint-url", demo.endpoint_url]
    code = main(["verify", "--ecspresso", str(path), *source, "--format", fmt])
    captured = capsys.readouterr()
    return code, json.loads(captured.out) if fmt == "json" else captured.out, captured.err


@pytest.mark.parametrize("fixture", list(CASES))
def test_fixture_projects_verify_against_the_demo(fixture: str, demo: Any, demo_env: dict,
                                                  demo_snapshot: Path, monkeypatch,
                                                  capsys) -> None:
    for key, value in demo_env.items():
        monkeypatch.setenv(key, value)
    config, rule = CASES[fixture]
    code, report, err = _verify(FIXTURES / fixture / config, demo, capsys,
                                snapshot=demo_snapshot)
    assert err == ""
    [verdict] = report["verdicts"]
    if rule is None:
        assert code == 0, report["findings"]
        assert verdict["verdict"] == "OK", verdict
        assert report["ok"] is True and report["replaces_live"] is True
        return
    assert code == 1
    assert verdict["verdict"] == "FAIL" and rule in verdict["rules"], verdict
    found = [f for f in report["findings"] if f["rule"] == rule]
    assert found and all(f["severity"] == "error" and f["fix"] for f in found)


def test_live_text_output_names_the_config_and_the_fix(demo: Any, demo_env: dict,
                                                       monkeypatch, capsys) -> None:
    for key, value in demo_env.items():
        monkeypatch.setenv(key, value)
    code, text, _ = _verify(FIXTURES / "sg-closed" / "ecspresso.json", demo, capsys, "text")
    assert code == 1
    tg_id = demo_env["TG_ORDERS"].rsplit("/", 1)[-1]
    assert f"  http → orders-tg ({tg_id}): FAIL: ecs-sg-no-lattice" in text
    assert "[ecs-sg-no-lattice]" in text and "fix: " in text


def test_missing_env_variable_is_a_usage_error(demo: Any, monkeypatch, capsys) -> None:
    monkeypatch.delenv("TG_NOTIFICATIONS", raising=False)
    code = main(["verify", "--ecspresso", str(FIXTURES / "good" / "ecspresso.yml"),
                 "--endpoint-url", demo.endpoint_url])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "is not set (must_env)" in err[0]


def test_export_then_verify_round_trip(demo: Any, tmp_path: Path, capsys) -> None:
    out = tmp_path / "checkout"
    code = main(["export", "ecspresso", "--cluster", "shop-prod", "--service", "checkout",
                 "-o", str(out), "--endpoint-url", demo.endpoint_url])
    err = capsys.readouterr().err
    assert code == 0, err
    assert sorted(p.name for p in out.iterdir()) == [
        "ecs-service-def.json", "ecs-task-def.json", "ecspresso.yml"]
    service_def = json.loads((out / "ecs-service-def.json").read_text())
    [config] = service_def["vpcLatticeConfigurations"]
    assert config["portName"] == "http" and config["targetGroupArn"].startswith("arn:aws:")
    assert "deployments" not in service_def and "serviceArn" not in service_def
    task_def = json.loads((out / "ecs-task-def.json").read_text())
    assert "taskDefinitionArn" not in task_def and task_def["family"] == "checkout"

    code, report, _ = _verify(out / "ecspresso.yml", demo, capsys)
    assert code == 0, report["findings"]
    assert [f for f in report["findings"] if f["severity"] == "error"] == []
    assert [v["verdict"] for v in report["verdicts"]] == ["OK"]

    # A second export into the same directory refuses; --force overwrites.
    argv = ["export", "ecspresso", "--cluster", "shop-prod", "--service", "checkout",
            "-o", str(out), "--endpoint-url", demo.endpoint_url]
    assert main(argv) == 2
    assert "refusing to overwrite" in capsys.readouterr().err
    assert main([*argv, "--force"]) == 0


def test_export_unknown_service_is_one_line(demo: Any, tmp_path: Path, capsys) -> None:
    code = main(["export", "ecspresso", "--cluster", "shop-prod", "--service", "nope",
                 "-o", str(tmp_path / "x"), "--endpoint-url", demo.endpoint_url])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "service nope not found in cluster shop-prod" in err[0]
    assert not (tmp_path / "x").exists()
