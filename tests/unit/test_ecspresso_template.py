"""ecspresso template functions and project loading: pure, no AWS."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tui.ecspresso.project import load_document, load_project
from tui.ecspresso.template import expand
from tui.errors import UsageError

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ecspresso"


def test_env_with_default_and_must_env() -> None:
    env = {"A": "alpha", "EMPTY": ""}
    text = '{{ env "A" "x" }} {{ env "B" "dflt" }} {{ env "EMPTY" "d2" }} {{ must_env "A" }}'
    assert expand(text, env=env) == "alpha dflt d2 alpha"


def test_env_falls_back_to_its_last_word_as_ecspresso_does() -> None:
    assert expand('[{{ env "NOPE" }}]', env={}) == "[NOPE]"
    assert expand('{{ env "A" "B" "c" }}', env={"B": "bee"}) == "bee"  # every word is tried


def test_backquotes_trim_markers_and_comments() -> None:
    env = {"X": "1"}
    assert expand("a {{- must_env `X` -}} b", env=env) == "a1b"
    assert expand("keep{{/* a comment */}}this", env=env) == "keepthis"


def test_must_env_missing_names_file_line_and_variable() -> None:
    with pytest.raises(UsageError) as err:
        expand('line1\n"arn": "{{ must_env "TG_ARN" }}"', "svc.json", env={})
    assert str(err.value) == "svc.json:2: environment variable TG_ARN is not set (must_env)"


@pytest.mark.parametrize("action, word", [
    ('{{ tfstate "aws_lb.x.arn" }}', "'tfstate'"),
    ('{{ ssm "/param" }}', "'ssm'"),
    ("{{ .Env.HOME }}", "'{{ .Env.HOME }}'"),
])
def test_unknown_template_function(action: str, word: str) -> None:
    with pytest.raises(UsageError) as err:
        expand(f"x\n\n{action}", "ecspresso.yml", env={})
    message = str(err.value)
    assert message.startswith("ecspresso.yml:3: unsupported template function " + word)
    assert "\n" not in message


def test_unterminated_action() -> None:
    with pytest.raises(UsageError, match=r"f.json:1: unterminated"):
        expand('{"a": "{{ env "A" "b" "}', "f.json", env={})


def test_bad_arguments() -> None:
    with pytest.raises(UsageError, match="must_env takes one name"):
        expand('{{ must_env "A" "B" }}', env={"A": "1"})
    with pytest.raises(UsageError, match="quoted names"):
        expand("{{ env A }}", env={})


def _project(tmp_path: Path, config: str, service: str | None, task: str | None,
             name: str = "ecspresso.yml") -> Path:
    (tmp_path / name).write_text(config)
    if service is not None:
        (tmp_path / "ecs-service-def.json").write_text(service)
    if task is not None:
        (tmp_path / "ecs-task-def.json").write_text(task)
    return tmp_path / name


CONFIG = ("region: ap-northeast-1\ncluster: my-cluster\nservice: my-service\n"
          "service_definition: ecs-service-def.json\ntask_definition: ecs-task-def.json\n")
TASK = json.dumps({"family": "my-service", "containerDefinitions": [
    {"name": "app", "image": "nginx", "portMappings": [{"name": "http-80", "containerPort": 80}]}
]})
SERVICE = json.dumps({"vpcLatticeConfigurations": [{
    "portName": "http-80", "roleArn": "arn:aws:iam::123456789012:role/ecsInfrastructureRole",
    "targetGroupArn": "{{ must_env `TG` }}"}]})


def test_load_project_resolves_paths_relative_to_config(tmp_path: Path) -> None:
    sub = tmp_path / "deploy"
    sub.mkdir()
    path = _project(sub, CONFIG, SERVICE, TASK)
    tg = "arn:aws:vpc-lattice:ap-northeast-1:1:targetgroup/tg-1"
    project = load_project(path, env={"TG": tg})
    assert (project.region, project.cluster, project.service) == (
        "ap-northeast-1", "my-cluster", "my-service")
    [cfg] = project.lattice_configs
    assert cfg.port_name == "http-80"
    assert cfg.target_group_arn.endswith("tg-1")
    assert project.task_definition["containerDefinitions"][0]["name"] == "app"


def test_json_config_wrapped_task_definition_and_defaults(tmp_path: Path) -> None:
    config = json.dumps({"service_definition": "ecs-service-def.json",
                         "task_definition": "ecs-task-def.json"})
    wrapped = json.dumps({"taskDefinition": json.loads(TASK)})
    service = json.dumps({"serviceName": "from-def"})
    path = _project(tmp_path, config, service, wrapped, name="ecspresso.json")
    project = load_project(path, env={"AWS_REGION": "eu-west-1"})
    assert (project.region, project.cluster, project.service) == ("eu-west-1", "default",
                                                                  "from-def")
    assert project.task_definition["family"] == "my-service"
    assert project.lattice_configs == []


def test_templates_apply_to_the_config_too(tmp_path: Path) -> None:
    config = CONFIG.replace("my-cluster", '{{ env "CLUSTER" "fallback" }}')
    path = _project(tmp_path, config, SERVICE, TASK)
    assert load_project(path, env={"TG": "t", "CLUSTER": "c9"}).cluster == "c9"
    assert load_project(path, env={"TG": "t"}).cluster == "fallback"


@pytest.mark.parametrize("service, task, expected", [
    (None, TASK, "service definition {dir}/ecs-service-def.json not found"),
    (SERVICE, None, "task definition {dir}/ecs-task-def.json not found"),
    ('{"vpcLatticeConfigurations": [}', TASK,
     "{dir}/ecs-service-def.json:1:31: malformed JSON: Expecting value"),
    ('{"vpcLatticeConfigurations": [{"portName": "p"}]}', TASK,
     "{dir}/ecs-service-def.json: vpcLatticeConfigurations[0] lacks roleArn, targetGroupArn"),
    (SERVICE, '{"family": "x"}', "{dir}/ecs-task-def.json: the task definition has no "
     "containerDefinitions list"),
    (SERVICE, "[1, 2]", "{dir}/ecs-task-def.json: the task definition must be a JSON/YAML "
     "object, got list"),
])
def test_bad_files_are_one_line_usage_errors(tmp_path: Path, service, task, expected) -> None:
    path = _project(tmp_path, CONFIG, service, task)
    with pytest.raises(UsageError) as err:
        load_project(path, env={"TG": "t"})
    assert str(err.value).startswith(expected.format(dir=tmp_path))
    assert "\n" not in str(err.value)


def test_missing_config_and_malformed_yaml(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="ecspresso config .*nope.yml not found"):
        load_project(tmp_path / "nope.yml")
    bad = tmp_path / "ecspresso.yml"
    bad.write_text("region: [unclosed\ncluster: x\n")
    with pytest.raises(UsageError, match=r"ecspresso.yml:\d+:\d+: malformed YAML"):
        load_project(bad)
    bad.write_text("cluster: x\n")
    with pytest.raises(UsageError, match="task_definition is not set"):
        load_project(bad)


def test_jsonnet_is_evaluated_or_explained(tmp_path: Path) -> None:
    path = tmp_path / "ecs-service-def.jsonnet"
    path.write_text("{ desiredCount: 1 + 1, name: std.native('env')('WHO', 'nobody') }")
    try:
        import _jsonnet  # noqa: F401
    except ImportError:
        with pytest.raises(UsageError) as err:
            load_document(path, env={})
        assert "pip install jsonnet" in str(err.value)
        assert "convert the file to JSON" in str(err.value)
        return
    assert load_document(path, env={"WHO": "me"}) == {"desiredCount": 2, "name": "me"}


def test_fixture_projects_all_load_with_their_variables() -> None:
    names = set()
    for file in FIXTURES.glob("*/*"):
        names |= set(re.findall(r"must_env [`\"](\w+)[`\"]", file.read_text()))
    env = {k: f"value-{k.lower()}" for k in names}
    configs = sorted(p for p in FIXTURES.glob("*/ecspresso.*") if (p.parent / "README").exists())
    assert len(configs) >= 7
    for config in configs:
        project = load_project(config, env=env)
        assert project.lattice_configs, config
