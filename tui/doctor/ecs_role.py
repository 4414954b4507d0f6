"""ECS <-> Lattice rules on the infrastructure role named in each Lattice config."""

from __future__ import annotations

from collections.abc import Iterator

from tui.doctor import ecs_common as E
from tui.doctor import policy
from tui.doctor.findings import Hit, rule
from tui.doctor.view import View
from tui.model.kinds import NodeKind

K = NodeKind
MANAGED_POLICY = "AmazonECSInfrastructureRolePolicyForVpcLattice"
MANAGED_POLICY_ARN = f"arn:aws:iam::aws:policy/{MANAGED_POLICY}"
REQUIRED_ACTIONS = ("vpc-lattice:RegisterTargets", "vpc-lattice:DeregisterTargets")
# Also in the managed policy; without them ECS cannot watch registration (warning only).
RECOMMENDED_ACTIONS = (
    "vpc-lattice:GetTargetGroup",
    "vpc-lattice:ListTargets",
    "ec2:DescribeSubnets",
    "ec2:DescribeVpcs",
)


def role_node(v: View, role_arn: str) -> str | None:
    if not role_arn:
        return None
    if v.exists(role_arn):
        return role_arn
    name = role_arn.rsplit("/", 1)[-1]
    for role in v.of_kind(K.IAM_ROLE):
        raw = v.raw(role)
        if raw.get("Arn") == role_arn or (raw.get("RoleName") == name and v.exists(role)):
            return role
    return None


def _roles(v: View, svc: str) -> Iterator[tuple[str, str | None]]:
    """(roleArn, role node or None) once per distinct role of the service's Lattice configs."""
    for arn in dict.fromkeys(c.get("roleArn") or "" for c in E.lattice_configs(v, svc)):
        yield arn, role_node(v, arn)


@rule("ecs-role-missing", K.ECS_SERVICE, "error", area="ecs", needs=(K.IAM_ROLE,))
def ecs_role_missing(v: View, svc: str) -> Iterator[Hit]:
    """A Lattice config's roleArn is empty or names a role that does not exist.

    AWS ECS assumes this infrastructure role to register task IPs in the target group;
    without it the deployment cannot register targets.
    """
    for arn, role in _roles(v, svc):
        if role:
            continue
        if arn and v.load_error(K.IAM_ROLE, arn):
            yield Hit(
                f"could not check: role {arn} not loaded ({v.load_error(K.IAM_ROLE, arn)})",
                severity="info",
            )
            continue
        yield Hit(
            f"infrastructure role {arn or '(none)'} does not exist",
            evidence={"roleArn": arn},
            fix="aws iam create-role --role-name ecsInfrastructureRole --assume-role-policy-"
            "document '{...ecs.amazonaws.com...}' && aws iam attach-role-policy --role-name "
            f"ecsInfrastructureRole --policy-arn {MANAGED_POLICY_ARN}",
        )


@rule("ecs-role-trust", K.ECS_SERVICE, "error", area="ecs", needs=(K.IAM_ROLE,))
def ecs_role_trust(v: View, svc: str) -> Iterator[Hit]:
    """The infrastructure role does not trust ecs.amazonaws.com.

    AWS: the role's trust policy must Allow sts:AssumeRole to Principal.Service
    ecs.amazonaws.com, or ECS cannot assume it.
    """
    for arn, role in _roles(v, svc):
        if not role:
            continue
        doc = v.raw(role).get("AssumeRolePolicyDocument")
        if policy.trusts_service(doc, "ecs.amazonaws.com"):
            continue
        yield Hit(
            f"role {v.name(role)} does not trust ecs.amazonaws.com",
            evidence={"roleArn": arn, "trusted_services": policy.trusted_services(doc)},
            fix=f"aws iam update-assume-role-policy --role-name {v.raw(role).get('RoleName', arn)}"
            ' --policy-document \'{"Version":"2012-10-17","Statement":[{"Effect":"Allow",'
            '"Principal":{"Service":"ecs.amazonaws.com"},"Action":"sts:AssumeRole"}]}\'',
        )


def role_documents(v: View, role: str) -> tuple[bool, list, list[str]]:
    """(has the managed policy, known policy documents, attached ARNs with unknown documents)."""
    ctx = v.ctx(role)
    attached = ctx.get("attachedPolicies") or []
    managed = any(
        p.get("PolicyName") == MANAGED_POLICY or p.get("PolicyArn") == MANAGED_POLICY_ARN
        for p in attached
    )
    docs_by_arn = ctx.get("policyDocuments") or {}
    docs = list((ctx.get("inlinePolicies") or {}).values()) + list(docs_by_arn.values())
    unknown = [p.get("PolicyArn", "") for p in attached if p.get("PolicyArn") not in docs_by_arn]
    return managed, docs, unknown


@rule("ecs-role-policy", K.ECS_SERVICE, "error", area="ecs", needs=(K.IAM_ROLE,))
def ecs_role_policy(v: View, svc: str) -> Iterator[Hit]:
    """The infrastructure role lacks the Lattice target-registration permissions.

    AWS: ECS needs vpc-lattice:RegisterTargets / DeregisterTargets (plus GetTargetGroup,
    ListTargets, ec2:DescribeSubnets/Vpcs) - AmazonECSInfrastructureRolePolicyForVpcLattice or
    equivalent statements. An explicit Deny overrides any Allow.
    """
    for arn, role in _roles(v, svc):
        if not role:
            continue
        managed, docs, unknown = role_documents(v, role)
        denied = [a for a in REQUIRED_ACTIONS if any(_denies(d, a) for d in docs)]
        if managed and not denied:
            continue
        # The managed policy grants the required actions unless an explicit Deny overrides.
        lacking = denied if managed else [a for a in REQUIRED_ACTIONS
                                          if not policy.grants(docs, a) or a in denied]
        weak = [a for a in RECOMMENDED_ACTIONS if not policy.grants(docs, a)] if not managed else []
        if lacking and unknown and not denied:
            yield Hit(
                f"could not check: documents of {', '.join(unknown)} not loaded; the role "
                f"may lack {', '.join(lacking)}",
                severity="info",
            )
            continue
        if not lacking and not weak:
            continue
        yield Hit(
            f"role {v.name(role)} lacks {', '.join(lacking or weak)}",
            evidence={
                "roleArn": arn,
                "missing_actions": lacking,
                "recommended_missing": weak,
                "attachedPolicies": [
                    p.get("PolicyName") for p in v.ctx(role).get("attachedPolicies") or []
                ],
            },
            fix=f"aws iam attach-role-policy --role-name {v.raw(role).get('RoleName', arn)} "
            f"--policy-arn {MANAGED_POLICY_ARN}",
            severity=None if lacking else "warning",
        )


def _denies(document: object, action: str) -> bool:
    return any(
        st.get("Effect") == "Deny"
        and not st.get("Condition")
        and policy.action_matches(st.get("Action"), action)
        for st in policy.statements(document)
    )
