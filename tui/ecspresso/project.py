"""Load an ecspresso project: the config (YAML, JSON or Jsonnet) and its two definition files.

ecspresso.yml keys used: ``region``, ``cluster`` (default "default"), ``service``,
``service_definition`` and ``task_definition`` (paths relative to the config file). Every file
goes through the template functions (tui.ecspresso.template) before it is decoded. A task
definition may be bare or wrapped as DescribeTaskDefinition's ``{"taskDefinition": {...}}``,
as ecspresso accepts both. Every bad input is a one-line UsageError (exit 2).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tui.ecspresso.template import expand
from tui.errors import UsageError

JSONNET_SUFFIXES = (".jsonnet", ".libsonnet")
YAML_SUFFIXES = (".yml", ".yaml")
LATTICE_KEYS = ("portName", "roleArn", "targetGroupArn")


@dataclass(frozen=True)
class LatticeConfig:
    """One ``vpcLatticeConfigurations`` entry of the service definition."""

    port_name: str
    role_arn: str
    target_group_arn: str
    index: int = 0

    @property
    def label(self) -> str:
        tg = self.target_group_arn.rsplit("/", 1)[-1]
        return f"{self.port_name} → {tg}"

    def to_api(self) -> dict[str, str]:
        return {
            "portName": self.port_name,
            "roleArn": self.role_arn,
            "targetGroupArn": self.target_group_arn,
        }


@dataclass(frozen=True)
class Project:
    path: Path
    region: str | None
    cluster: str
    service: str
    service_definition: dict[str, Any]
    task_definition: dict[str, Any]
    service_definition_path: Path | None = None
    task_definition_path: Path | None = None
    config: dict[str, Any] = field(default_factory=dict)

    @property
    def lattice_configs(self) -> list[LatticeConfig]:
        return lattice_configs(self.service_definition, self.service_definition_path or self.path)


def _where(path: Path) -> str:
    return str(path)


def _jsonnet(path: Path, env: Mapping[str, str]) -> str:
    try:
        import _jsonnet  # type: ignore[import-not-found]
    except ImportError:
        raise UsageError(
            f"{path}: Jsonnet needs the 'jsonnet' Python package, which is not installed; "
            f"install it (pip install jsonnet) or convert the file to JSON "
            f"(`jsonnet {path.name} > {path.stem}.json`, or `ecspresso render`)"
        ) from None

    def env_fn(name: str, default: str) -> str:
        return env.get(name) or default

    def must_env_fn(name: str) -> str:
        if name not in env:
            raise RuntimeError(f"environment variable {name} is not set (must_env)")
        return env[name]

    try:
        return str(
            _jsonnet.evaluate_file(
                str(path),
                native_callbacks={
                    "env": (("x", "y"), env_fn),  # names: _jsonnet 0.22 mis-binds some
                    "must_env": (("x",), must_env_fn),
                },
            )
        )
    except RuntimeError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else "evaluation failed"
        raise UsageError(f"{path}: Jsonnet error: {first}") from None


def load_document(path: Path, env: Mapping[str, str] | None = None, what: str = "file") -> Any:
    """Read, template-expand and decode one JSON / YAML / Jsonnet file."""
    env = os.environ if env is None else env
    if not path.exists():
        raise UsageError(f"{what} {path} not found")
    if path.is_dir():
        raise UsageError(f"{what} {path} is a directory, not a file")
    suffix = path.suffix.lower()
    if suffix in JSONNET_SUFFIXES:
        text = _jsonnet(path, env)
    else:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"cannot read {what} {path}: {exc}") from None
    text = expand(text, _where(path), env)
    if suffix in YAML_SUFFIXES:
        try:
            return yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            at = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise UsageError(f"{path}{at}: malformed YAML: {problem}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{path}:{exc.lineno}:{exc.colno}: malformed JSON: {exc.msg}") from None


def _mapping(value: Any, path: Path, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        kind = type(value).__name__ if value is not None else "empty"
        raise UsageError(f"{path}: {what} must be a JSON/YAML object, got {kind}")
    return value


def _string(config: dict[str, Any], key: str, path: Path) -> str | None:
    value = config.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise UsageError(f"{path}: '{key}' must be a string, got {type(value).__name__}")
    return value


def lattice_configs(service_def: dict[str, Any], path: Path) -> list[LatticeConfig]:
    items = service_def.get("vpcLatticeConfigurations") or []
    if not isinstance(items, list):
        raise UsageError(f"{path}: vpcLatticeConfigurations must be a list")
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise UsageError(f"{path}: vpcLatticeConfigurations[{i}] must be an object")
        lacking = [k for k in LATTICE_KEYS if not isinstance(item.get(k), str) or not item[k]]
        if lacking:
            raise UsageError(
                f"{path}: vpcLatticeConfigurations[{i}] lacks {', '.join(lacking)} "
                "(each entry needs portName, roleArn and targetGroupArn)"
            )
        out.append(LatticeConfig(item["portName"], item["roleArn"], item["targetGroupArn"], i))
    return out


def load_project(path: str | Path, env: Mapping[str, str] | None = None) -> Project:
    """Load ``ecspresso.yml`` (or .json/.jsonnet) and the definitions it points at."""
    env = os.environ if env is None else env
    path = Path(path)
    config = _mapping(load_document(path, env, "ecspresso config"), path, "the config")
    base = path.parent
    td_rel = _string(config, "task_definition", path)
    if not td_rel:
        raise UsageError(f"{path}: task_definition is not set (ecspresso requires it)")
    sd_rel = _string(config, "service_definition", path)
    if not sd_rel:
        raise UsageError(
            f"{path}: service_definition is not set: nothing to verify "
            "(vpcLatticeConfigurations live in the service definition)"
        )
    td_path, sd_path = base / td_rel, base / sd_rel
    task_def = _mapping(
        load_document(td_path, env, "task definition"), td_path, "the task definition"
    )
    if isinstance(task_def.get("taskDefinition"), dict):
        task_def = task_def["taskDefinition"]
    if not isinstance(task_def.get("containerDefinitions"), list):
        raise UsageError(f"{td_path}: the task definition has no containerDefinitions list")
    service_def = _mapping(
        load_document(sd_path, env, "service definition"), sd_path, "the service definition"
    )
    service = _string(config, "service", path) or service_def.get("serviceName")
    if not service:
        raise UsageError(
            f"{path}: service is not set (and the service definition has no serviceName)"
        )
    region = _string(config, "region", path) or env.get("AWS_REGION") or None
    project = Project(
        path=path,
        region=region,
        cluster=_string(config, "cluster", path) or "default",
        service=str(service),
        service_definition=service_def,
        task_definition=task_def,
        service_definition_path=sd_path,
        task_definition_path=td_path,
        config=config,
    )
    project.lattice_configs  # noqa: B018 - validates the entries now, with the file's name
    return project
