"""Shape a live ECS service into an ecspresso project, and the snippets the wizard shows.

Like ``ecspresso init``: the service definition keeps only what CreateService accepts (minus
``cluster``, ``serviceName``, ``taskDefinition``, ``role``, ``clientToken``: ecspresso supplies
or ignores them), so runtime-only fields (ARNs, status, counts, events, deployments, createdAt)
drop out. ``vpcLatticeConfigurations`` (and ``serviceConnectConfiguration`` /
``volumeConfigurations``) are not on the Service object: they come from the PRIMARY
deployment. The task definition keeps what RegisterTaskDefinition accepts (no ARN, revision,
status, registeredAt, requiresAttributes, compatibilities). Files are written atomically.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from tui.errors import UsageError
from tui.snapshot import atomic_write_text

CONFIG_FILE = "ecspresso.yml"
SERVICE_FILE = "ecs-service-def.json"
TASK_FILE = "ecs-task-def.json"
FILES = (CONFIG_FILE, SERVICE_FILE, TASK_FILE)

_SERVICE_SKIP = {"cluster", "serviceName", "taskDefinition", "role", "clientToken"}
_FROM_DEPLOYMENT = (
    "vpcLatticeConfigurations",
    "serviceConnectConfiguration",
    "volumeConfigurations",
)


@lru_cache(maxsize=1)
def _api_members() -> tuple[frozenset[str], frozenset[str]]:
    import botocore.session

    model = botocore.session.get_session().get_service_model("ecs")
    service = frozenset(model.operation_model("CreateService").input_shape.members)
    task = frozenset(model.operation_model("RegisterTaskDefinition").input_shape.members)
    return service - _SERVICE_SKIP, task


def _prune(value: Any) -> Any:
    """Drop None and empty lists/objects, recursively (ecspresso omits them too)."""
    if isinstance(value, dict):
        out = {k: _prune(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v not in (None, [], {})}
    if isinstance(value, list):
        return [_prune(v) for v in value if v is not None]
    return value


def _name(arn_or_name: str) -> str:
    return arn_or_name.rsplit("/", 1)[-1]


def primary_deployment(service: Mapping[str, Any]) -> dict[str, Any]:
    for dep in service.get("deployments") or []:
        if dep.get("status") == "PRIMARY":
            return dict(dep)
    return {}


def service_definition(service: Mapping[str, Any]) -> dict[str, Any]:
    """ecs-service-def.json from a DescribeServices item."""
    allowed, _ = _api_members()
    out = {k: v for k, v in service.items() if k in allowed}
    primary = primary_deployment(service)
    for key in _FROM_DEPLOYMENT:
        if primary.get(key):
            out[key] = primary[key]
    if out.get("propagateTags") not in ("SERVICE", "TASK_DEFINITION"):
        out["propagateTags"] = "NONE"
    if "launchType" in out and out.get("capacityProviderStrategy"):
        out.pop("launchType")  # CreateService refuses both
    return _prune(out)


def task_definition(
    task_def: Mapping[str, Any], tags: Iterable[Mapping[str, str]] = ()
) -> dict[str, Any]:
    """ecs-task-def.json from DescribeTaskDefinition (``taskDefinition`` + response ``tags``)."""
    _, allowed = _api_members()
    out = {k: v for k, v in task_def.items() if k in allowed}
    tags = list(tags)
    if tags:
        out["tags"] = tags
    return _prune(out)


def config_yaml(region: str, cluster: str, service: str) -> str:
    """ecspresso.yml pointing at the two definition files beside it."""
    lines = [
        f"region: {json.dumps(region)}",
        f"cluster: {json.dumps(_name(cluster))}",
        f"service: {json.dumps(_name(service))}",
        f"service_definition: {SERVICE_FILE}",
        f"task_definition: {TASK_FILE}",
        "timeout: 10m0s",
    ]
    return "\n".join(lines) + "\n"


def project_files(
    region: str,
    service: Mapping[str, Any],
    task_def: Mapping[str, Any],
    task_tags: Iterable[Mapping[str, str]] = (),
) -> dict[str, str]:
    """File name -> text of the three files of an ecspresso project for ``service``."""
    cluster = _name(str(service.get("clusterArn") or "default"))
    return {
        CONFIG_FILE: config_yaml(region, cluster, str(service.get("serviceName", ""))),
        SERVICE_FILE: json.dumps(service_definition(service), indent=2, default=str) + "\n",
        TASK_FILE: json.dumps(task_definition(task_def, task_tags), indent=2, default=str) + "\n",
    }



def write_project(
    directory: str | Path, files: Mapping[str, str], force: bool = False
) -> list[Path]:
    """Write ``files`` into ``directory`` (created if needed); never overwrite without force."""
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"{directory} exists and is not a directory")
    existing = [directory / n for n in files if (directory / n).exists()]
    if existing and not force:
        names = ", ".join(p.name for p in existing)
        raise UsageError(
            f"{directory} already has {names}: refusing to overwrite "
            "(use --force, or -o another directory)"
        )
    try:
        directory.mkdir(parents=True, exist_ok=True)
        written = []
        for name, text in files.items():
            atomic_write_text(directory / name, text)
            written.append(directory / name)
    except OSError as exc:
        raise UsageError(f"cannot write to {directory}: {exc.strerror or exc}") from None
    return written


# -- snippets for the attach wizard's review step ------------------------------------------
def _config_dict(config: Any) -> dict[str, str]:
    if hasattr(config, "to_api"):
        return config.to_api()
    return {k: str(config[k]) for k in ("portName", "roleArn", "targetGroupArn") if k in config}


def service_def_snippet(configs: Iterable[Any]) -> str:
    """The ``vpcLatticeConfigurations`` block of ecs-service-def.json, as JSON text.

    ``configs``: LatticeConfig objects or dicts with portName / roleArn / targetGroupArn.
    """
    block = {"vpcLatticeConfigurations": [_config_dict(c) for c in configs]}
    return json.dumps(block, indent=2)


def task_def_port_snippet(
    container: str,
    container_port: int,
    name: str,
    protocol: str = "tcp",
    app_protocol: str | None = None,
) -> str:
    """The named ``portMappings`` entry of ecs-task-def.json for ``container``, as JSON text."""
    mapping: dict[str, Any] = {
        "name": name,
        "containerPort": int(container_port),
        "protocol": protocol,
    }
    if app_protocol:
        mapping["appProtocol"] = app_protocol
    block = {"containerDefinitions": [{"name": container, "portMappings": [mapping]}]}
    return json.dumps(block, indent=2)
