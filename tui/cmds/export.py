"""`trellis export ecspresso --cluster C --service S [-o DIR] [--force]`.

Writes ecspresso.yml, ecs-service-def.json and ecs-task-def.json for a live ECS service, the
way ``ecspresso init`` would, with the service's current ``vpcLatticeConfigurations`` read from
its PRIMARY deployment. Existing files are never overwritten without ``--force``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tui.cli import add_connection_arguments, config_from_args
from tui.errors import UsageError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("target", choices=("ecspresso",), help="what to export as")
    parser.add_argument("--cluster", required=True, help="ECS cluster name or ARN")
    parser.add_argument("--service", required=True, help="ECS service name or ARN")
    parser.add_argument("-o", "--output", type=Path, default=Path("."), metavar="DIR",
                        help="directory to write the project into (default: .)")
    parser.add_argument("--force", action="store_true", help="overwrite existing files")
    add_connection_arguments(parser, snapshot=False, several=False)


def run(args: argparse.Namespace) -> int:
    from tui.ecspresso.export import FILES, SERVICE_FILE, project_files, write_project
    from tui.ecspresso.fetch import fetch_service

    if not args.cluster.strip() or not args.service.strip():
        raise UsageError("--cluster and --service must not be empty")
    out = args.output
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} exists and is not a directory")
    clash = [n for n in FILES if (out / n).exists()]
    if clash and not args.force:  # checked before any AWS call, and again when writing
        raise UsageError(f"{out} already has {', '.join(clash)}: refusing to overwrite "
                         "(use --force, or -o another directory)")
    live = fetch_service(config_from_args(args), args.cluster, args.service)
    files = project_files(live.region, live.service, live.task_definition, live.task_tags)
    written = write_project(out, files, force=args.force)
    for path in written:
        print(f"wrote {path}", file=sys.stderr)
    configs = json.loads(files[SERVICE_FILE]).get("vpcLatticeConfigurations") or []
    print(f"{len(configs)} Lattice configuration(s) exported from the PRIMARY deployment; "
          f"check it with: trellis verify --ecspresso {out / FILES[0]}", file=sys.stderr)
    return 0
