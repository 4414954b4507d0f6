"""`trellis attach` / `trellis detach`: plan → print → confirm → apply → watch (rich progress).

Every failure before the write is one line on stderr and a non-zero exit (2 for bad input);
nothing is written unless every validation passed and the user (or --yes) confirmed.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from tui.aws.clients import ClientFactory
from tui.config import AppConfig
from tui.errors import TrellisError, UsageError
from tui.wizard.apply import apply_plan
from tui.wizard.detach import plan_detach
from tui.wizard.diagnose import doctor_causes
from tui.wizard.facts import Facts
from tui.wizard.fetch import gather
from tui.wizard.plan import Plan, plan_attach
from tui.wizard.render import plan_text
from tui.wizard.watch import DEFAULT_TIMEOUT, WatchEvent, watch


class NotConfirmed(TrellisError):
    exit_code = 1


def add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--cluster", required=True, help="ECS cluster name or ARN")
    parser.add_argument("--service", required=True, help="ECS service name or ARN")
    parser.add_argument(
        "--target-group", required=True, help="VPC Lattice target group name, id or ARN"
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="print the plan and the UpdateService request; change nothing",
    )
    parser.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")
    parser.add_argument(
        "--wait",
        action="store_true",
        help="watch the deployment and the targets; exit 1 unless it succeeds",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"how long --wait waits (default {DEFAULT_TIMEOUT:.0f})",
    )
    parser.add_argument("--interval", type=float, default=2.0, help=argparse.SUPPRESS)


def run_attach(args: argparse.Namespace, config: AppConfig) -> int:
    async def build(facts: Facts, writable: bool) -> Plan:
        return plan_attach(
            facts,
            args.cluster,
            args.service,
            args.target_group,
            args.port_name,
            args.role,
            writable=writable,
        )

    return _run(args, config, build, role=args.role)


def run_detach(args: argparse.Namespace, config: AppConfig) -> int:
    async def build(facts: Facts, writable: bool) -> Plan:
        return plan_detach(facts, args.cluster, args.service, args.target_group, writable=writable)

    return _run(args, config, build, role=None)


def _run(args: argparse.Namespace, config: AppConfig, build: Callable, role: str | None) -> int:
    if args.timeout <= 0:
        raise UsageError("--timeout must be a positive number of seconds")
    return asyncio.run(_flow(args, config, build, role))


async def _flow(args, config: AppConfig, build: Callable, role: str | None) -> int:
    dry_run = bool(args.dry_run)
    factory = ClientFactory(config, read_only=dry_run or not config.can_write)
    async with factory:
        await factory.check_credentials()
        inv = await gather(
            factory,
            cluster=args.cluster,
            service=args.service,
            target_group=args.target_group,
            role=role,
        )
        plan = await build(Facts.from_inventory(inv), config.can_write or dry_run)
        if not plan.ok:
            more = f" (+{len(plan.errors) - 1} more)" if len(plan.errors) > 1 else ""
            raise UsageError(plan.errors[0].line() + more)
        print(plan_text(plan))
        if dry_run:
            print("\ndry run: nothing was changed")
            return 0
        _confirm(plan, args.yes)
        service = await apply_plan(factory, plan)
        deployment = next(
            (d.get("id") for d in service.get("deployments") or [] if d.get("status") == "PRIMARY"),
            "?",
        )
        print(f"\nUpdateService sent: {plan.context.service_name} → deployment {deployment}")
        if not args.wait:
            print("the deployment now rolls out; follow it with --wait or in the TUI")
            return 0
        return await _watch(factory, plan, args.timeout, args.interval)


def _confirm(plan: Plan, yes: bool) -> None:
    if yes:
        return
    if not sys.stdin.isatty():
        raise UsageError(
            f"refusing to {plan.action} without confirmation: stdin is not a terminal "
            "(pass --yes, or --dry-run to only see the plan)"
        )
    answer = input(f"\n{plan.action} {plan.context.service_name}? [y/N] ").strip().lower()
    if answer not in ("y", "yes"):
        raise NotConfirmed("not confirmed: nothing was changed")


async def _watch(factory: ClientFactory, plan: Plan, timeout: float, interval: float) -> int:
    console = Console()
    last: WatchEvent | None = None
    goal = "HEALTHY" if plan.action == "attach" else "deregistered"
    if console.is_terminal:
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(bar_width=20),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        ) as progress:
            bar = progress.add_task(f"targets {goal}", total=None)
            async for ev in watch(factory, plan, timeout=timeout, interval=interval):
                for message in ev.new_events:
                    progress.console.print(f"  event: {message}")
                done = (
                    ev.count("HEALTHY")
                    if plan.action == "attach"
                    else max(
                        0,
                        len(ev.task_ips) - len([s for s in ev.targets.values() if s != "DRAINING"]),
                    )
                )
                progress.update(
                    bar,
                    total=max(len(ev.task_ips), ev.desired, 1),
                    completed=done,
                    description=ev.line().split("] ", 1)[-1],
                )
                last = ev
    else:
        shown = ""
        async for ev in watch(factory, plan, timeout=timeout, interval=interval):
            for message in ev.new_events:
                print(f"  event: {message}")
            line = ev.line().split("] ", 1)[-1]
            if line != shown:
                print(ev.line())
                shown = line
            last = ev
    assert last is not None
    if last.ok:
        ips = ", ".join(last.task_ips) or "none"
        draining = last.count("DRAINING")
        note = f", {draining} draining" if draining and plan.action == "detach" else ""
        print(f"verdict: {last.verdict}: task IPs {ips} ({last.elapsed:.0f}s{note})")
        return 0
    print(f"verdict: {last.verdict}: {last.cause}")
    for cause in await doctor_causes(factory, plan, last):
        print(f"  doctor: {cause}")
    print("nothing was rolled back: the change stays applied (detach to undo)")
    return 1
