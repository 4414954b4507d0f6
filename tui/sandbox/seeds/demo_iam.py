"""Demo seed, IAM part: the ECS infrastructure role for VPC Lattice, two look-alikes that are
wrong (wizard distractors), the task execution role and a Lambda role.

Seed 000: the role in ``vpcLatticeConfigurations`` must trust ``ecs.amazonaws.com`` and carry
``AmazonECSInfrastructureRolePolicyForVpcLattice`` (or equivalent permissions).
"""

from __future__ import annotations

import json

from tui.sandbox.seeds import Clients, parallel

LATTICE_ROLE = "ecsInfrastructureRoleForVpcLattice"
WRONG_TRUST_ROLE = "ecsLatticeRoleTrustsEc2"
NO_POLICY_ROLE = "ecsLatticeRoleWithoutPolicy"
EXECUTION_ROLE = "ecsTaskExecutionRole"
LAMBDA_ROLE = "payments-refunds-lambda-role"

_AWS_POLICY = "arn:aws:iam::aws:policy/"

# role name -> (trusted service principal, managed policies, description)
ROLES: dict[str, tuple[str, list[str], str]] = {
    LATTICE_ROLE: (
        "ecs.amazonaws.com",
        [_AWS_POLICY + "AmazonECSInfrastructureRolePolicyForVpcLattice"],
        "Lets ECS register service tasks as VPC Lattice targets",
    ),
    WRONG_TRUST_ROLE: (
        "ec2.amazonaws.com",  # wrong principal: ECS cannot assume it
        [_AWS_POLICY + "AmazonECSInfrastructureRolePolicyForVpcLattice"],
        "Copy of the Lattice role made for EC2 by mistake",
    ),
    NO_POLICY_ROLE: (
        "ecs.amazonaws.com",
        [],  # trusts ECS but may not call vpc-lattice:RegisterTargets
        "ECS infrastructure role without the Lattice policy",
    ),
    EXECUTION_ROLE: (
        "ecs-tasks.amazonaws.com",
        [_AWS_POLICY + "service-role/AmazonECSTaskExecutionRolePolicy"],
        "Pull images from ECR and write logs",
    ),
    LAMBDA_ROLE: (
        "lambda.amazonaws.com",
        [_AWS_POLICY + "service-role/AWSLambdaBasicExecutionRole"],
        "payments refunds function",
    ),
}


def trust_policy(principal: str) -> str:
    return json.dumps({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Service": principal},
            "Action": "sts:AssumeRole",
        }],
    })


def make_role(c: Clients, name: str) -> str:
    principal, policies, description = ROLES[name]
    arn = c.iam.create_role(
        RoleName=name,
        AssumeRolePolicyDocument=trust_policy(principal),
        Description=description,
        Tags=[{"Key": "app", "Value": "shop"}],
    )["Role"]["Arn"]
    for policy in policies:
        c.iam.attach_role_policy(RoleName=name, PolicyArn=policy)
    return arn


def seed_roles(c: Clients) -> dict[str, str]:
    """Create the demo roles; returns role name -> ARN."""
    names = list(ROLES)
    return dict(zip(names, parallel(lambda n: make_role(c, n), names), strict=True))
