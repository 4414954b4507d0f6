"""Validation results: stable error/warning codes and the Issue record. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Code(StrEnum):
    # errors: block the write
    READ_ONLY = "read_only"
    MALFORMED_ARN = "malformed_arn"
    CLUSTER_NOT_FOUND = "cluster_not_found"
    SERVICE_NOT_FOUND = "service_not_found"
    EXTERNAL_LAUNCH_TYPE = "external_launch_type"
    TASK_DEFINITION_NOT_FOUND = "task_definition_not_found"
    NO_NAMED_PORTS = "no_named_ports"
    PORT_NOT_FOUND = "port_not_found"
    TG_NOT_FOUND = "target_group_not_found"
    TG_NOT_IP = "target_group_not_ip"
    TG_NOT_ACTIVE = "target_group_not_active"
    VPC_MISMATCH = "vpc_mismatch"
    OTHER_ACCOUNT = "other_account"
    ALREADY_ATTACHED = "already_attached"
    TOO_MANY_TARGET_GROUPS = "too_many_target_groups"
    ROLE_NOT_FOUND = "role_not_found"
    ROLE_NOT_TRUSTED = "role_not_trusted"
    NOT_ATTACHED = "not_attached"
    SERVICE_CHANGED = "service_changed"
    # warnings: shown, never block
    ROLE_NO_LATTICE_POLICY = "role_no_lattice_policy"
    SG_NO_LATTICE_INGRESS = "sg_no_lattice_ingress"
    HEALTH_CHECK_PORT = "health_check_port"
    TG_NOT_FORWARDED = "target_group_not_forwarded"
    VPC_UNKNOWN = "vpc_unknown"
    TG_SHARED = "target_group_shared"


@dataclass(frozen=True)
class Issue:
    code: Code
    message: str
    fix: str = ""
    step: str = ""  # the wizard step it belongs to: service, port, target_group, role

    def line(self) -> str:
        """One line: the message, the fix, and the stable code."""
        fix = f"; fix: {self.fix}" if self.fix else ""
        return f"{self.message}{fix} [{self.code}]"

    def to_dict(self) -> dict[str, str]:
        return {"code": str(self.code), "message": self.message, "fix": self.fix}
