"""What a user without trellis runs: one `aws` CLI call per list/get/describe, in a shell loop.

The command list is derived from the inventory trellis crawled, so both sides read the same
resources (ids in hand: the CLI side does not even pay for the listing round-trips' parsing).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

VENV = Path("/tmp/trellis-awscli")


def aws_binary() -> Path:
    """The aws CLI in a throwaway venv (it pins its own botocore), installed on first use."""
    aws = VENV / "bin" / "aws"
    if not aws.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(VENV / "bin" / "pip"), "install", "-q", "awscli"], check=True)
    return aws


def commands(inv: Any) -> list[str]:
    """The CLI calls covering the same resources as a trellis crawl."""
    lat, out = "vpc-lattice", []
    out += [f"{lat} list-service-networks", f"{lat} list-services", f"{lat} list-target-groups",
            "ecs list-clusters"]
    out += [f"ec2 {op}" for op in ("describe-vpcs", "describe-subnets",
            "describe-security-groups", "describe-route-tables", "describe-vpc-endpoints")]
    for r in inv.of("service_network"):
        sid = r["raw"]["id"]
        out += [f"{lat} get-service-network --service-network-identifier {sid}",
                f"{lat} list-service-network-vpc-associations --service-network-identifier {sid}",
                f"{lat} list-service-network-service-associations "
                f"--service-network-identifier {sid}"]
    for r in inv.of("service"):
        sid = r["raw"]["id"]
        out += [f"{lat} get-service --service-identifier {sid}",
                f"{lat} list-listeners --service-identifier {sid}"]
    for r in inv.of("listener"):
        raw = r["raw"]
        args = f"--service-identifier {raw['serviceId']} --listener-identifier {raw['id']}"
        out += [f"{lat} get-listener {args}", f"{lat} list-rules {args}"]
    for r in inv.of("rule"):
        raw, arn = r["raw"], r["raw"]["arn"]
        if not raw.get("isDefault"):
            listener = arn.split("/rule/")[0]
            svc = listener.split("/listener/")[0].rsplit("/", 1)[-1]
            out.append(f"{lat} get-rule --service-identifier {svc} --listener-identifier "
                       f"{listener.rsplit('/', 1)[-1]} --rule-identifier {raw['id']}")
    for r in inv.of("target_group"):
        tid = r["raw"]["id"]
        out += [f"{lat} get-target-group --target-group-identifier {tid}",
                f"{lat} list-targets --target-group-identifier {tid}"]
    for r in inv.of("ecs_cluster"):
        arn = r["raw"]["clusterArn"]
        out += [f"ecs list-services --cluster {arn}",
                f"ecs list-tasks --cluster {arn} --desired-status RUNNING"]
        svcs = [s["raw"]["serviceArn"] for s in inv.of("ecs_service")
                if s["raw"].get("clusterArn") == arn]
        out += [f"ecs describe-services --cluster {arn} --services {' '.join(svcs[i:i + 10])}"
                for i in range(0, len(svcs), 10)]
        tasks = [t["raw"]["taskArn"] for t in inv.of("ecs_task")
                 if t["raw"].get("clusterArn") == arn]
        out += [f"ecs describe-tasks --cluster {arn} --tasks {' '.join(tasks[i:i + 100])}"
                for i in range(0, len(tasks), 100)]
    out += [f"ecs describe-task-definition --task-definition {r['raw']['taskDefinitionArn']}"
            for r in inv.of("task_definition")]
    return out


def script(cmds: list[str], endpoint: str, aws: Path) -> str:
    lines = ["#!/bin/sh", "set -e", f"AWS={shlex.quote(str(aws))}",
             f"EP={shlex.quote(endpoint)}"]
    lines += [f"$AWS --endpoint-url $EP --output json {c} > /dev/null" for c in cmds]
    return "\n".join(lines) + "\n"


def env(region: str) -> dict[str, str]:
    return {**os.environ, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": region, "AWS_PAGER": "", "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull, "AWS_EC2_METADATA_DISABLED": "true"}
