"""The doctor: pure rules over the resource graph -> findings with evidence and a fix.

No textual, no AWS SDK. Entry points: run_doctor (whole graph), findings_for (one node),
check_ecs_service (one ECS service, for the attach wizard and ecspresso verify), and
reach.reach_from_vpc (can clients in a VPC reach each Lattice service).
"""

from tui.doctor.engine import (
    UnknownRule,
    check_ecs_service,
    findings_for,
    rule_ids,
    run_doctor,
)
from tui.doctor.findings import REGISTRY, SEVERITIES, Finding, Hit, Rule

__all__ = [
    "REGISTRY",
    "SEVERITIES",
    "Finding",
    "Hit",
    "Rule",
    "UnknownRule",
    "check_ecs_service",
    "findings_for",
    "rule_ids",
    "run_doctor",
]
