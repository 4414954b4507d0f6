"""`trellis verify --ecspresso ecspresso.yml`: check a planned ECS deployment against the account.

The ecspresso project's service is placed in the live (or snapshot) graph as if deployed, the
doctor's ECS <-> Lattice, security-group, health-check and ECR rules run on it, and each
``vpcLatticeConfigurations`` entry gets a one-line verdict. Exit 1 on any error finding, 2 on
bad input (unreadable/malformed project, unknown template function).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from tui.cli import add_connection_arguments, config_from_args
from tui.errors import UsageError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--ecspresso", type=Path, metavar="PATH", required=True,
                        help="ecspresso config (ecspresso.yml / .json / .jsonnet)")
    add_connection_arguments(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="output format (json: findings + verdicts)")


def run(args: argparse.Namespace) -> int:
    from tui.ecspresso.project import load_project

    project = load_project(args.ecspresso)
    config = config_from_args(args)
    conn = config.connection
    if project.region and conn.region and project.region != conn.region:
        raise UsageError(f"--region {conn.region} differs from the ecspresso config's region "
                         f"{project.region}: drop --region or fix 'region' in {args.ecspresso}")
    if not conn.region and project.region and config.snapshot_path is None:
        config = dataclasses.replace(
            config, connection=dataclasses.replace(conn, region=project.region))

    from tui.ecspresso.fetch import fetch_roles
    from tui.ecspresso.plan import place_planned
    from tui.ecspresso.report import render_json, render_text
    from tui.ecspresso.verify import verify_plan
    from tui.source import load_inventory_for

    inventory = load_inventory_for(config)
    if config.snapshot_path is not None:  # a damaged record: one line now, not a traceback later
        from tui.snapshot import checked_graph

        checked_graph([inventory], config.snapshot_path)
    if project.region and inventory.region and project.region != inventory.region:
        raise UsageError(f"the ecspresso config deploys to {project.region} but the snapshot "
                         f"is of {inventory.region}")
    fetch_roles(config, inventory, (c.role_arn for c in project.lattice_configs))
    report = verify_plan(place_planned(inventory, project))
    out = render_json(report) if args.format == "json" else render_text(report)
    sys.stdout.write(out)
    return 1 if report.has_errors else 0
