"""ECS service tasks, their IPs and their Lattice targets, as ECS runs them.

- A service runs ``desiredCount`` tasks that stay RUNNING: ``group="service:<name>"``,
  ``startedBy=<deployment id>``, an ENI attachment whose private IPv4 is the next free
  address of the service's subnets (round-robin over the subnets, from .10 upwards:
  deterministic and unique within the account state).
- While the PRIMARY deployment carries ``vpcLatticeConfigurations``, each running task's IP
  is a target of each configuration's target group on the containerPort of the mapping
  named ``portName``; tasks stopping or configs going away deregister them.
- Rollout rule: a deployment is IN_PROGRESS until its tasks' targets leave INITIAL; COMPLETED
  when none is UNHEALTHY (UNUSED/UNAVAILABLE do not block); FAILED as soon as one is.
"""

from __future__ import annotations

import copy
import ipaddress
import uuid
from typing import Any

from moto.core.utils import utcnow
from moto.ecs.exceptions import InvalidParameterException
from moto.ecs.models import Task


class EcsState:
    def __init__(self) -> None:
        self.ip_tasks: dict[str, Any] = {}  # private IP -> running Task
        self.cursor: dict[str, int] = {}  # subnet id -> next host index to try
        self.used: dict[str, set[str]] = {}  # subnet id -> IPs handed out


def ecs_state(backend: Any) -> EcsState:
    st = getattr(backend, "trellis", None)
    if st is None:
        st = backend.trellis = EcsState()
    return st


def _ec2(backend: Any) -> Any:
    from moto.ec2.models import ec2_backends

    return ec2_backends[backend.account_id][backend.region_name]


def lattice_backend(backend: Any) -> Any:
    from moto.vpclattice.models import vpclattice_backends

    return vpclattice_backends[backend.account_id][backend.region_name]


def container_ports_for_ip(account: str, region: str, ip: str) -> set[int] | None:
    """containerPorts of the task definition of the running task with this IP, if any."""
    from moto.ecs.models import ecs_backends

    regions = dict.get(ecs_backends, account)
    if regions is None or region not in regions:
        return None
    task = ecs_state(regions[region]).ip_tasks.get(ip)
    if task is None:
        return None
    return set(task.trellis_ports)


def port_mappings(task_definition: Any) -> dict[str, int]:
    """portMappings[].name -> containerPort over all containers."""
    named = {}
    for container in task_definition.container_definitions:
        for mapping in container.get("portMappings") or []:
            if mapping.get("name"):
                named[mapping["name"]] = mapping.get("containerPort")
    return named


def _all_ports(task_definition: Any) -> set[int]:
    return {
        m.get("containerPort")
        for c in task_definition.container_definitions
        for m in c.get("portMappings") or []
    }


# -- IPs -------------------------------------------------------------------------------------
def _allocate_ip(backend: Any, subnet: Any) -> str:
    st = ecs_state(backend)
    if subnet.id not in st.used:  # first use: respect ENIs that already sit in the subnet
        st.used[subnet.id] = {
            eni.private_ip_address for eni in _ec2(backend).enis.values()
            if getattr(eni.subnet, "id", None) == subnet.id
        }
    network = ipaddress.ip_network(subnet.cidr_block)
    size = network.num_addresses - 1  # last address is the broadcast (reserved)
    used = st.used[subnet.id]
    start = st.cursor.get(subnet.id, 10)
    for offset in range(size):
        index = 4 + (start - 4 + offset) % (size - 4)  # .0-.3 are reserved by AWS
        ip = str(network[index])
        if ip not in used:
            used.add(ip)
            st.cursor[subnet.id] = index + 1
            return ip
    raise InvalidParameterException(f"Subnet {subnet.id} has no free IP addresses")


# -- tasks -----------------------------------------------------------------------------------
def start_tasks(backend: Any, service: Any, count: int, deployment_id: str) -> list[Any]:
    cluster = backend._get_cluster(service.cluster_name)
    task_definition = backend.describe_task_definition(service.task_definition)
    network = (service.network_configuration or {}).get("awsvpcConfiguration") or {}
    subnets = list(network.get("subnets") or [])
    backend.tasks.setdefault(cluster.name, {})
    running = [t for t in service_tasks(backend, service)]
    started = []
    # Build the Task without moto's own ENI (random IP outside the subnet), then attach ours.
    shell = copy.copy(task_definition)
    shell.network_mode = "bridge"
    for n in range(count):
        task = Task(
            cluster=cluster, task_definition=shell, container_instance_arn=None,
            resource_requirements=None, backend=backend, group=f"service:{service.name}",
            launch_type=service.launch_type or "FARGATE", started_by=deployment_id,
            networking_configuration=None, platform_version=service.platform_version,
        )
        task.trellis_ports = _all_ports(task_definition)
        for container in task.containers:
            container.last_status = "RUNNING"
        if task_definition.network_mode == "awsvpc" and subnets:
            subnet_id = subnets[(len(running) + n) % len(subnets)]
            _attach_eni(backend, task, subnet_id, network)
        backend.tasks[cluster.name][task.task_arn] = task
        started.append(task)
    return started


def _attach_eni(backend: Any, task: Any, subnet_id: str, network: dict[str, Any]) -> None:
    ec2 = _ec2(backend)
    subnet = ec2.get_subnet(subnet_id)
    ip = _allocate_ip(backend, subnet)
    attachment_id = str(uuid.uuid4())
    eni = ec2.create_network_interface(
        subnet=subnet, private_ip_address=ip, group_ids=network.get("securityGroups") or [],
        description=f"arn:aws:ecs:{backend.region_name}:{backend.account_id}"
        f":attachment/{attachment_id}",
    )
    eni.status = "in-use"
    dns = getattr(eni, "private_dns_name", None) or f"ip-{ip.replace('.', '-')}.ec2.internal"
    task.network_configuration = {"awsvpcConfiguration": network}
    task.attachments = [{
        "id": attachment_id, "type": "ElasticNetworkInterface", "status": "ATTACHED",
        "details": [
            {"name": "subnetId", "value": subnet_id},
            {"name": "networkInterfaceId", "value": eni.id},
            {"name": "macAddress", "value": eni.mac_address},
            {"name": "privateDnsName", "value": dns},
            {"name": "privateIPv4Address", "value": ip},
        ],
    }]
    for container in task.containers:
        container.network_interfaces = [{"attachmentId": attachment_id, "privateIpv4Address": ip}]
    task.trellis_ip = ip
    task.trellis_eni = eni.id
    ecs_state(backend).ip_tasks[ip] = task


def stop_task(backend: Any, task: Any, reason: str) -> None:
    task.last_status = "STOPPED"
    task.desired_status = "STOPPED"
    task.stopped_reason = reason
    for container in task.containers:
        container.last_status = "STOPPED"
    ip = getattr(task, "trellis_ip", None)
    if ip:
        ecs_state(backend).ip_tasks.pop(ip, None)
        _ec2(backend).enis.pop(getattr(task, "trellis_eni", ""), None)


def service_tasks(backend: Any, service: Any) -> list[Any]:
    """The service's tasks that are still meant to run, oldest first."""
    tasks = backend.tasks.get(service.cluster_name, {}).values()
    return [t for t in tasks
            if t.group == f"service:{service.name}" and t.desired_status == "RUNNING"]


# -- Lattice targets -------------------------------------------------------------------------
def desired_targets(backend: Any, service: Any) -> set[tuple[str, str, int]]:
    configs = primary(service).get("vpcLatticeConfigurations") or []
    if not configs or service.status != "ACTIVE":
        return set()
    task_definition = backend.describe_task_definition(service.task_definition)
    ports = port_mappings(task_definition)
    wanted = set()
    for task in service_tasks(backend, service):
        ip = getattr(task, "trellis_ip", None)
        for config in configs:
            if ip and config.get("portName") in ports:
                wanted.add((config["targetGroupArn"], ip, ports[config["portName"]]))
    return wanted


def sync_targets(backend: Any, service: Any) -> None:
    """Register what should be registered, deregister what no longer should."""
    from tui.sandbox import lattice_targets

    lattice = lattice_backend(backend)
    wanted = desired_targets(backend, service)
    current: set[tuple[str, str, int]] = getattr(service, "trellis_targets", set())
    for changes, action in ((wanted - current, lattice_targets.register),
                            (current - wanted, lattice_targets.deregister)):
        by_group: dict[str, list[dict[str, Any]]] = {}
        for tg_arn, ip, port in changes:
            by_group.setdefault(tg_arn, []).append({"id": ip, "port": port})
        for tg_arn, targets in by_group.items():
            tg = lattice.target_groups.get(tg_arn.rsplit("/", 1)[-1])
            if tg is not None:
                action(lattice, tg, targets)
    service.trellis_targets = wanted


def primary(service: Any) -> dict[str, Any]:
    for deployment in service.deployments:
        if deployment.get("status") == "PRIMARY":
            return deployment
    return {}


def add_event(service: Any, message: str) -> None:
    service.events.insert(0, {"id": str(uuid.uuid4()), "createdAt": utcnow(),
                              "message": f"(service {service.name}) {message}"})
    del service.events[100:]


def refresh_rollout(backend: Any, service: Any) -> None:
    """Move the PRIMARY deployment's rolloutState by its targets' health (see module doc)."""
    from tui.sandbox import lattice_targets

    deployment = primary(service)
    if deployment.get("rolloutState") != "IN_PROGRESS":
        return
    lattice = lattice_backend(backend)
    statuses = []
    by_group: dict[str, set[tuple[str, int]]] = {}
    for tg_arn, ip, port in getattr(service, "trellis_targets", set()):
        by_group.setdefault(tg_arn, set()).add((ip, port))
    for tg_arn, keys in by_group.items():
        tg = lattice.target_groups.get(tg_arn.rsplit("/", 1)[-1])
        if tg is None:
            continue
        for item in lattice_targets.summaries(lattice, tg):
            if (item["id"], item.get("port")) in keys:
                statuses.append(item["status"])
    if "UNHEALTHY" in statuses:
        deployment["rolloutState"] = "FAILED"
        deployment["rolloutStateReason"] = (
            f"ECS deployment {deployment['id']} failed: tasks failed VPC Lattice health checks."
        )
        add_event(service, f"deployment {deployment['id']} deployment failed: "
                           "tasks failed to pass VPC Lattice target group health checks.")
    elif "INITIAL" not in statuses and (
        len(service_tasks(backend, service)) >= service.desired_count
    ):
        deployment["rolloutState"] = "COMPLETED"
        deployment["rolloutStateReason"] = f"ECS deployment {deployment['id']} completed."
        service.deployments = [d for d in service.deployments if d.get("status") == "PRIMARY"]
        add_event(service, "has reached a steady state.")
    deployment["updatedAt"] = utcnow()
