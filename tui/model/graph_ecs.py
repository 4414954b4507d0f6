"""The ECS section of the graph builder: clusters, task definitions (and the IAM roles they
use), services (subnets, security groups, Lattice target-group attachments), IAM roles and
tasks (IPs, subnets, the security groups they inherit from their deployment). Tasks are
indexed by IP in ``_Refs.task_ips`` so the Lattice section can link targets to the tasks that
back them. Mixed into ``tui.model.graph._Builder``, which supplies ``node`` and ``edge``.
"""

from __future__ import annotations

from typing import Any

from tui.model.graph_arns import _last, _Refs
from tui.model.inventory import Inventory
from tui.model.kinds import EdgeKind, NodeKind

K = NodeKind
E = EdgeKind


class _EcsSections:
    """Builder methods for ECS and IAM records (needs ``node``/``edge`` from _Builder)."""

    def _ecs(self, inv: Inventory, r: _Refs) -> None:
        for rec in inv.of(K.ECS_CLUSTER):
            raw = rec["raw"]
            self.node(
                raw["clusterArn"],
                K.ECS_CLUSTER,
                raw.get("clusterName", ""),
                raw,
                inv,
                status=raw.get("status"),
            )
        for rec in inv.of(K.TASK_DEFINITION):
            raw = rec["raw"]
            name = f"{raw.get('family', '')}:{raw.get('revision', '')}"
            self.node(
                raw["taskDefinitionArn"],
                K.TASK_DEFINITION,
                name,
                raw,
                inv,
                status=raw.get("status"),
            )
            # The task and execution roles: ECR pulls and app permissions depend on them.
            for role in {raw.get("taskRoleArn"), raw.get("executionRoleArn")} - {None, ""}:
                self.edge(raw["taskDefinitionArn"], role, E.USES)
        services: dict[tuple[str, str], dict[str, Any]] = {}
        for rec in inv.of(K.ECS_SERVICE):
            raw = rec["raw"]
            sid = raw["serviceArn"]
            primary = next(
                (d for d in raw.get("deployments") or () if d.get("status") == "PRIMARY"), {}
            )
            self.node(
                sid,
                K.ECS_SERVICE,
                raw.get("serviceName", ""),
                raw,
                inv,
                status=raw.get("status"),
                rollout_state=primary.get("rolloutState"),
            )
            services[(raw.get("clusterArn", ""), raw.get("serviceName", ""))] = raw
            if raw.get("clusterArn"):
                self.edge(raw["clusterArn"], sid, E.CONTAINS)
            if raw.get("taskDefinition"):
                self.edge(sid, raw["taskDefinition"], E.USES)
            vpc_cfg = (raw.get("networkConfiguration") or {}).get("awsvpcConfiguration") or {}
            for sub in vpc_cfg.get("subnets") or ():
                self.edge(sid, r.ec2_ref(sub, "subnet"), E.IN)
            for sg in vpc_cfg.get("securityGroups") or ():
                self.edge(r.ec2_ref(sg, "security-group"), sid, E.GUARDS)
            for cfg in primary.get("vpcLatticeConfigurations") or ():
                tg, role = cfg.get("targetGroupArn", ""), cfg.get("roleArn", "")
                self.edge(
                    sid,
                    r.lattice_ref(tg, "targetgroup"),
                    E.ATTACHED,
                    port_name=cfg.get("portName", ""),
                    role_arn=role,
                )
                if role:
                    self.edge(sid, role, E.USES)
        for rec in inv.of(K.IAM_ROLE):
            raw = rec["raw"]
            # ctx holds the attached/inline policy documents the doctor judges the role by.
            self.node(raw["Arn"], K.IAM_ROLE, raw.get("RoleName", ""), raw, inv, ctx=rec["ctx"])
        for rec in inv.of(K.ECS_TASK):
            self._task(rec["raw"], inv, r, services)

    def _task(self, raw: dict, inv: Inventory, r: _Refs, services: dict) -> None:
        tid, cluster = raw["taskArn"], raw.get("clusterArn", "")
        ips: list[str] = []
        subnets: list[str] = []
        for att in raw.get("attachments") or ():
            if att.get("type") != "ElasticNetworkInterface":
                continue
            details = {d.get("name"): d.get("value") for d in att.get("details") or ()}
            if details.get("privateIPv4Address"):
                ips.append(details["privateIPv4Address"])
            if details.get("subnetId"):
                subnets.append(r.ec2_ref(details["subnetId"], "subnet"))
        for container in raw.get("containers") or ():
            for eni in container.get("networkInterfaces") or ():
                ip = eni.get("privateIpv4Address")
                if ip and ip not in ips:
                    ips.append(ip)
        self.node(tid, K.ECS_TASK, _last(tid), raw, inv, status=raw.get("lastStatus"), ips=ips)
        group = raw.get("group") or ""
        service = services.get((cluster, group[8:])) if group.startswith("service:") else None
        if service:
            self.edge(service["serviceArn"], tid, E.CONTAINS)
            # DescribeTasks has no security groups: the task wears its deployment's (or service's).
            started_by = raw.get("startedBy")
            deps = service.get("deployments") or ()
            dep = next((d for d in deps if d.get("id") == started_by), service)
            cfg = (dep.get("networkConfiguration") or {}).get("awsvpcConfiguration") or {}
            for sg in cfg.get("securityGroups") or ():
                self.edge(r.ec2_ref(sg, "security-group"), tid, E.GUARDS)
        elif cluster:
            self.edge(cluster, tid, E.CONTAINS)
        if raw.get("taskDefinitionArn"):
            self.edge(tid, raw["taskDefinitionArn"], E.USES)
        for subnet in subnets:
            self.edge(tid, subnet, E.IN)
        vpc = next((r.subnet_vpc[s] for s in subnets if s in r.subnet_vpc), None)
        for ip in ips:
            r.task_ips.setdefault((vpc, ip), []).append(tid)
            r.task_ips.setdefault((None, ip), []).append(tid)
