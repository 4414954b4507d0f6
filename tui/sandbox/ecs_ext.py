"""ECS as it behaves for VPC Lattice, patched into moto 5.2.5's ECS handlers in-process.

- ``vpcLatticeConfigurations`` given to CreateService/UpdateService land on the PRIMARY
  deployment (what DescribeServices returns); ``[]`` removes them, a missing field keeps them.
- CreateService, and UpdateService changing the task definition, the network configuration,
  the Lattice configurations or with ``forceNewDeployment``, start a new PRIMARY deployment
  (the previous one becomes ACTIVE until the new one completes). Only a task definition or
  network change (or a forced deployment) replaces the tasks; a Lattice-only change keeps
  them and re-registers targets. ``desiredCount`` changes add/stop tasks (newest stop first).
- Validation as ECS does where cheap: at most 5 configurations, ``portName`` must name a
  ``portMappings[].name``, the target group must exist and be of type IP, no EXTERNAL.
- ListTasks honours ``serviceName`` and defaults ``desiredStatus`` to RUNNING; ListTasks and
  ListServices page with ``maxResults``/``nextToken``.
Tasks, IPs, targets and the rollout rule: see ``ecs_tasks``.
"""

from __future__ import annotations

import base64
from typing import Any

from moto.core.responses import ActionResult
from moto.core.utils import camelcase_to_underscores, utcnow
from moto.ecs.exceptions import InvalidParameterException
from moto.moto_api._internal import mock_random

from tui.sandbox import ecs_tasks as et

_installed = False


def install() -> None:
    global _installed
    if _installed:
        return
    from moto.ecs.responses import EC2ContainerServiceResponse as R

    R.create_service = create_service
    R.update_service = update_service
    R.describe_services = _wrap_describe(R.describe_services)
    R.delete_service = _wrap_delete(R.delete_service)
    R.list_tasks = list_tasks
    R.list_services = list_services
    _installed = True


def validate_configs(backend: Any, configs: list[dict[str, Any]], task_def: Any) -> None:
    if len(configs) > 5:
        raise InvalidParameterException(
            "A service can have at most 5 VPC Lattice configurations.")
    names = et.port_mappings(task_def)
    lattice = et.lattice_backend(backend)
    for config in configs:
        port_name = config.get("portName")
        if port_name not in names:
            raise InvalidParameterException(
                f"The portName '{port_name}' specified in vpcLatticeConfigurations does not "
                f"exist in the portMappings of task definition {task_def.arn}.")
        arn = config.get("targetGroupArn") or ""
        tg = lattice.target_groups.get(arn.rsplit("/", 1)[-1])
        if tg is None:
            raise InvalidParameterException(f"The target group {arn} does not exist.")
        if tg.type != "IP":
            raise InvalidParameterException(
                f"The target group {arn} must be of type IP, not {tg.type}.")


def _new_deployment(service: Any, configs: list[dict[str, Any]]) -> dict[str, Any]:
    for old in service.deployments:
        if old.get("status") == "PRIMARY":
            old["status"] = "ACTIVE"
    deployment_id = f"ecs-svc/{mock_random.randint(0, 32**12)}"
    now = utcnow()
    deployment = {
        "id": deployment_id, "status": "PRIMARY", "taskDefinition": service.task_definition,
        "desiredCount": service.desired_count, "pendingCount": 0, "runningCount": 0,
        "failedTasks": 0, "createdAt": now, "updatedAt": now,
        "launchType": service.launch_type, "platformVersion": service.platform_version,
        "platformFamily": "EC2" if service.launch_type == "EC2" else "FARGATE",
        "networkConfiguration": service.network_configuration or None,
        "rolloutState": "IN_PROGRESS",
        "rolloutStateReason": f"ECS deployment {deployment_id} in progress.",
    }
    if configs:
        deployment["vpcLatticeConfigurations"] = configs
    service.deployments.insert(0, deployment)
    return deployment


def _scale(backend: Any, service: Any, replace: bool) -> None:
    """Bring running tasks to desiredCount (all new ones if ``replace``), then sync targets."""
    deployment = et.primary(service)
    tasks = et.service_tasks(backend, service)
    if replace:
        for task in tasks:
            et.stop_task(backend, task, f"Deployment {deployment['id']} replaced this task")
        tasks = []
    missing = service.desired_count - len(tasks)
    if missing > 0:
        started = et.start_tasks(backend, service, missing, deployment.get("id", ""))
        ids = ", ".join(t.id for t in started)
        et.add_event(service, f"has started {len(started)} tasks: (task {ids}).")
    elif missing < 0:
        stopping = tasks[missing:]
        for task in stopping:
            et.stop_task(backend, task, "Scaling activity initiated by (deployment "
                                        f"{deployment.get('id')})")
        ids = ", ".join(t.id for t in stopping)
        et.add_event(service, f"has stopped {len(stopping)} running tasks: (task {ids}).")
    running = len(et.service_tasks(backend, service))
    service.running_count, service.pending_count = running, 0
    for key, value in (("desiredCount", service.desired_count), ("runningCount", running),
                       ("pendingCount", 0)):
        deployment[key] = value
    et.sync_targets(backend, service)


def create_service(self: Any) -> ActionResult:
    backend = self.ecs_backend
    configs = self._get_param("vpcLatticeConfigurations") or []
    launch_type = self._get_param("launchType")
    # moto 5.2.5 refuses EXTERNAL (ECS Anywhere), which AWS accepts: create as EC2, relabel.
    moto_launch_type = "EC2" if launch_type == "EXTERNAL" else launch_type
    if launch_type == "EXTERNAL" and configs:
        raise InvalidParameterException("VPC Lattice is not supported for EXTERNAL launch type.")
    task_def_str = self._get_param("taskDefinition")
    if configs:
        validate_configs(backend, configs, backend.describe_task_definition(task_def_str))
    service = backend.create_service(
        self._get_param("cluster", "default"), self._get_param("serviceName"),
        self._get_int_param("desiredCount"), task_def_str, self._get_param("loadBalancers"),
        self._get_param("schedulingStrategy"), self._get_param("tags"),
        self._get_param("deploymentController"), moto_launch_type,
        network_configuration=self._get_param("networkConfiguration"),
        service_registries=self._get_param("serviceRegistries"),
        platform_version=self._get_param("platformVersion"),
        propagate_tags=self._get_param("propagateTags") or "NONE",
        role_arn=self._get_param("role"),
    )
    if launch_type == "EXTERNAL":
        service.launch_type = "EXTERNAL"
    service.deployments = []
    _new_deployment(service, configs)
    _scale(backend, service, replace=False)
    return ActionResult({"service": service})


def update_service(self: Any) -> ActionResult:
    backend = self.ecs_backend
    params = dict(self._get_params())
    cluster = params.get("cluster", "default")
    service = backend._get_service(cluster, params["service"].split("/")[-1])
    configs = params.pop("vpcLatticeConfigurations", None)
    old_task_def, old_network = service.task_definition, service.network_configuration
    old_configs = et.primary(service).get("vpcLatticeConfigurations") or []
    task_def = backend.describe_task_definition(params.get("taskDefinition") or old_task_def)
    if configs is not None:
        validate_configs(backend, configs, task_def)
    else:
        configs = old_configs
        if params.get("taskDefinition"):  # the kept configs must still fit the new revision
            validate_configs(backend, configs, task_def)
    props = {camelcase_to_underscores(k): v for k, v in params.items()}
    backend.update_service(props)
    service.task_definition = task_def.arn  # moto keeps "family:1" verbatim; ECS an ARN
    replace = (
        bool(params.get("forceNewDeployment"))
        or service.task_definition != old_task_def
        or service.network_configuration != old_network
    )
    if replace or configs != old_configs:
        _new_deployment(service, configs)
    _scale(backend, service, replace=replace)
    return ActionResult({"service": service})


def _wrap_describe(original: Any) -> Any:
    def describe_services(self: Any) -> ActionResult:
        backend = self.ecs_backend
        for name in self._get_param("services", []) or []:
            try:
                service = backend._get_service(self._get_param("cluster", "default"), name)
            except Exception:  # missing services are reported as failures by moto
                continue
            et.refresh_rollout(backend, service)
        return original(self)

    return describe_services


def _wrap_delete(original: Any) -> Any:
    def delete_service(self: Any) -> ActionResult:
        result = original(self)
        backend = self.ecs_backend
        service = backend._get_service(self._get_param("cluster", "default"),
                                       self._get_param("service"))
        if service.status == "INACTIVE":
            for task in et.service_tasks(backend, service):
                et.stop_task(backend, task, "Service deleted")
            et.sync_targets(backend, service)
        return result

    return delete_service


def _page(self: Any, items: list[str], key: str, default: int) -> ActionResult:
    size = self._get_int_param("maxResults") or default
    if size < 1 or size > 100:
        raise InvalidParameterException("maxResults must be between 1 and 100.")
    token = self._get_param("nextToken")
    start = int(base64.urlsafe_b64decode(token.encode()).decode()) if token else 0
    result: dict[str, Any] = {key: items[start : start + size]}
    if start + size < len(items):
        result["nextToken"] = base64.urlsafe_b64encode(str(start + size).encode()).decode()
    return ActionResult(result)


def list_tasks(self: Any) -> ActionResult:
    backend = self.ecs_backend
    tasks = backend.list_tasks(
        self._get_param("cluster", "default"), self._get_param("containerInstance"),
        self._get_param("family"), self._get_param("startedBy"), None,
        self._get_param("desiredStatus") or "RUNNING",
    )
    name = self._get_param("serviceName")
    if name:
        tasks = [t for t in tasks if t.group == f"service:{name.split('/')[-1]}"]
    return _page(self, [t.task_arn for t in tasks], "taskArns", 100)


def list_services(self: Any) -> ActionResult:
    arns = self.ecs_backend.list_services(
        self._get_param("cluster", "default"), self._get_param("schedulingStrategy"),
        launch_type=self._get_param("launchType"),
    )
    return _page(self, arns, "serviceArns", 10)
