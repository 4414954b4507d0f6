"""trellis attach: wire an ECS service into a VPC Lattice target group."""

from __future__ import annotations

import argparse

from tui.cli import add_connection_arguments, config_from_args
from tui.wizard.command import add_common, run_attach


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_connection_arguments(parser, snapshot=False, several=False)
    add_common(parser)
    parser.add_argument(
        "--port-name",
        help="task-definition portMappings[].name (default: the only named port)",
    )
    parser.add_argument(
        "--role", required=True, help="IAM role name or ARN trusting ecs.amazonaws.com"
    )


def run(args: argparse.Namespace) -> int:
    return run_attach(args, config_from_args(args))
