"""Export shaping (live service -> ecspresso files), snippets, writing, and CLI usage errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tui.cli import main
from tui.ecspresso import service_def_snippet, task_def_port_snippet
from tui.ecspresso.export import (
    project_files,
    service_definition,
    task_definition,
    write_project,
)
from tui.ecspresso.project import LatticeConfig, load_project
from tui.errors import UsageError

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ecspresso"
ROLE = "arn:aws:iam::123456789012:role/ecsInfrastructureRole"
TG = "arn:aws:vpc-lattice:us-east-1:123456789012:targetgroup/tg-0123456789abcdef0"
CONFIGS = [{"portName": "http", "roleArn": ROLE, "targetGroupArn": TG}]
NET = {"awsvpcConfiguration": {"subnets": ["subnet-1"], "securityGroups": ["sg-1"],
                               "assignPublicIp": "DISABLED"}}
SERVICE = {
    "serviceArn": "arn:aws:ecs:us-east-1:123456789012:service/shop-prod/checkout",
    "serviceName": "checkout",
    "clusterArn": "arn:aws:ecs:us-east-1:123456789012:cluster/shop-prod",
    "loadBalancers": [], "serviceRegistries": [], "status": "ACTIVE",
    "desiredCount": 2, "runningCount": 2, "pendingCount": 0, "launchType": "FARGATE",
    "platformVersion": "LATEST", "platformFamily": "Linux",
    "taskDefinition": "arn:aws:ecs:us-east-1:123456789012:task-definition/checkout:7",
    "deploymentConfiguration": {"maximumPercent": 200, "minimumHealthyPercent": 100},
    "roleArn": "arn:aws:iam::123456789012:role/aws-service-role/ecs.amazonaws.com/x",
    "events": [{"id": "e1", "message": "steady state"}], "createdAt": "2026-01-01T00:00:00",
    "createdBy": "arn:aws:iam::123456789012:role/admin", "networkConfiguration": NET,
    "schedulingStrategy": "REPLICA", "propagateTags": "SERVICE", "enableExecuteCommand": False,
    "tags": [{"key": "team", "value": "checkout"}],
    "deployments": [
        {"id": "ecs-svc/2", "status": "PRIMARY", "rolloutState": "COMPLETED",
         "vpcLatticeConfigurations": CONFIGS, "networkConfiguration": NET},
        {"id": "ecs-svc/1", "status": "ACTIVE", "vpcLatticeConfigurations": [
            {"portName": "old", "roleArn": ROLE, "targetGroupArn": TG + "old"}]},
    ],
}
TASK_DEF = {
    "taskDefinitionArn": "arn:aws:ecs:us-east-1:123456789012:task-definition/checkout:7",
    "family": "checkout", "revision": 7, "status": "ACTIVE", "networkMode": "awsvpc",
    "containerDefinitions": [{"name": "app", "image": "nginx", "essential": True,
                              "environment": [], "mountPoints": [],
                              "portMappings": [{"name": "http", "containerPort": 8080,
                                                "hostPort": 8080, "protocol": "tcp"}]}],
    "requiresAttributes": [{"name": "com.amazonaws.ecs.capability.docker-remote-api.1.18"}],
    "compatibilities": ["EC2", "FARGATE"], "requiresCompatibilities": ["FARGATE"],
    "cpu": "256", "memory": "512", "registeredAt": "2026-01-01T00:00:00",
    "registeredBy": "arn:aws:iam::123456789012:root",
}


def test_service_definition_keeps_only_what_ecspresso_deploys() -> None:
    sd = service_definition(SERVICE)
    assert sd["vpcLatticeConfigurations"] == CONFIGS  # from the PRIMARY deployment only
    for dropped in ("serviceArn", "serviceName", "clusterArn", "status", "runningCount",
                    "pendingCount", "events", "deployments", "createdAt", "createdBy",
                    "taskDefinition", "roleArn", "platformFamily", "loadBalancers"):
        assert dropped not in sd, dropped
    assert sd["desiredCount"] == 2 and sd["networkConfiguration"] == NET
    assert sd["tags"] == [{"key": "team", "value": "checkout"}]
    assert sd["enableExecuteCommand"] is False


def test_service_without_lattice_and_odd_propagate_tags() -> None:
    svc = {**SERVICE, "propagateTags": None, "deployments": [{"status": "PRIMARY"}],
           "capacityProviderStrategy": [{"capacityProvider": "FARGATE_SPOT", "weight": 1}]}
    sd = service_definition(svc)
    assert "vpcLatticeConfigurations" not in sd
    assert sd["propagateTags"] == "NONE"
    assert "launchType" not in sd  # CreateService refuses launchType + capacityProviderStrategy


def test_task_definition_drops_registration_fields() -> None:
    td = task_definition(TASK_DEF, [{"key": "app", "value": "shop"}])
    for dropped in ("taskDefinitionArn", "revision", "status", "requiresAttributes",
                    "compatibilities", "registeredAt", "registeredBy"):
        assert dropped not in td, dropped
    assert td["family"] == "checkout" and td["tags"] == [{"key": "app", "value": "shop"}]
    container = td["containerDefinitions"][0]
    assert "environment" not in container and container["portMappings"][0]["name"] == "http"


def test_exported_files_load_back_as_the_same_project(tmp_path: Path) -> None:
    files = project_files("us-east-1", SERVICE, TASK_DEF)
    assert yaml.safe_load(files["ecspresso.yml"])["cluster"] == "shop-prod"
    write_project(tmp_path / "out", files)
    project = load_project(tmp_path / "out" / "ecspresso.yml", env={})
    assert (project.region, project.cluster, project.service) == (
        "us-east-1", "shop-prod", "checkout")
    assert [c.to_api() for c in project.lattice_configs] == CONFIGS
    assert project.task_definition["containerDefinitions"][0]["portMappings"][0]["name"] == "http"


def test_write_project_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    files = {"ecspresso.yml": "new\n", "ecs-service-def.json": "{}\n"}
    (tmp_path / "ecspresso.yml").write_text("mine\n")
    with pytest.raises(UsageError, match="already has ecspresso.yml: refusing to overwrite"):
        write_project(tmp_path, files)
    assert (tmp_path / "ecspresso.yml").read_text() == "mine\n"
    assert not (tmp_path / "ecs-service-def.json").exists()  # nothing half-written
    write_project(tmp_path, files, force=True)
    assert (tmp_path / "ecspresso.yml").read_text() == "new\n"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    (tmp_path / "file").write_text("x")
    with pytest.raises(UsageError, match="is not a directory"):
        write_project(tmp_path / "file", files)


def test_snippets_for_the_wizard() -> None:
    cfg = LatticeConfig("http", ROLE, TG)
    assert json.loads(service_def_snippet([cfg, CONFIGS[0]])) == {
        "vpcLatticeConfigurations": [CONFIGS[0], CONFIGS[0]]}
    port = json.loads(task_def_port_snippet("app", 8080, "http", app_protocol="http"))
    assert port == {"containerDefinitions": [{"name": "app", "portMappings": [
        {"name": "http", "containerPort": 8080, "protocol": "tcp", "appProtocol": "http"}]}]}


@pytest.mark.parametrize("fixture, expected", [
    ("bad-template", "unsupported template function 'tfstate'"),
    ("bad-json", "ecs-service-def.json:4:25: malformed JSON: Expecting property name"),
    ("missing-file", "task definition"),
])
def test_verify_bad_projects_exit_2_with_one_line(fixture: str, expected: str, capsys) -> None:
    config = FIXTURES / fixture / "ecspresso.yml"
    code = main(["verify", "--ecspresso", str(config), "--snapshot", "/nonexistent.json"])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("trellis: error: ")
    assert expected in lines[0]


def test_export_usage_errors_exit_2(tmp_path: Path, capsys) -> None:
    (tmp_path / "ecs-task-def.json").write_text("{}")
    code = main(["export", "ecspresso", "--cluster", "c", "--service", "s", "-o", str(tmp_path),
                 "--endpoint-url", "http://127.0.0.1:9"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "refusing to overwrite" in err[0]
    for argv in (["export", "ecspresso", "--service", "s"],
                 ["export", "terraform", "--cluster", "c", "--service", "s"]):
        with pytest.raises(SystemExit) as exit_:
            main(argv)
        assert exit_.value.code == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith("trellis export: error: ")


def test_verify_region_conflict_is_a_usage_error(tmp_path: Path, capsys) -> None:
    (tmp_path / "ecspresso.yml").write_text(
        "region: ap-northeast-1\nservice: s\nservice_definition: s.json\ntask_definition: t.json\n")
    (tmp_path / "s.json").write_text("{}")
    (tmp_path / "t.json").write_text('{"containerDefinitions": []}')
    code = main(["verify", "--ecspresso", str(tmp_path / "ecspresso.yml"),
                 "--region", "eu-west-1", "--endpoint-url", "http://127.0.0.1:9"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1
    assert "--region eu-west-1 differs from the ecspresso config's region ap-northeast-1" in err[0]
