"""trellis detach: remove one target group from an ECS service's vpcLatticeConfigurations."""

from __future__ import annotations

import argparse

from tui.cli import add_connection_arguments, config_from_args
from tui.wizard.command import add_common, run_detach


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_connection_arguments(parser, snapshot=False, several=False)
    add_common(parser)


def run(args: argparse.Namespace) -> int:
    return run_detach(args, config_from_args(args))
