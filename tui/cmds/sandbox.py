"""`trellis sandbox`: serve the embedded AWS sandbox until killed.

The endpoint URL is the first line of stdout (flushed), so scripts can read it and point
``--endpoint-url`` at it. SIGINT/SIGTERM stop the server and exit 0.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading


def _rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, got {text}")
    return value


def _non_negative(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative, got {text}")
    return value


def _positive(text: str) -> float:
    value = _non_negative(text)
    if value == 0:
        raise argparse.ArgumentTypeError("must be greater than 0")
    return value


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"not a TCP port: {text!r}")
    return int(text)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=_port, default=0, help="TCP port (default: a free one)")
    parser.add_argument("--region", default="us-east-1", help="region the seed is created in")
    parser.add_argument(
        "--seed", default="none", help="none | demo | scale:small|medium|large | scale:k=v,..."
    )
    parser.add_argument(
        "--latency-ms",
        type=_non_negative,
        default=0.0,
        help="delay every request by N milliseconds",
    )
    parser.add_argument(
        "--throttle-rate",
        type=_rate,
        default=0.0,
        help="fraction of requests answered with a throttling error",
    )
    parser.add_argument(
        "--error-rate",
        type=_rate,
        default=0.0,
        help="fraction of requests answered with a 5xx error",
    )
    parser.add_argument(
        "--drop-rate",
        type=_rate,
        default=0.0,
        help="fraction of requests whose connection is dropped",
    )
    parser.add_argument(
        "--deny",
        action="append",
        default=[],
        metavar="OP",
        help="answer OP with AccessDenied (e.g. ListTargets, ecs:*); repeatable",
    )
    parser.add_argument(
        "--rate-limit",
        action="append",
        default=[],
        choices=["ecs"],
        help="enforce a service's published API rates as AWS does (ecs: 100 burst / 20 s⁻¹ "
        "per read category); throttled requests get ThrottlingException; repeatable",
    )
    parser.add_argument(
        "--lattice-rate",
        type=_positive,
        metavar="N",
        help="throttle VPC Lattice above N requests/s (it publishes no rate)",
    )
    parser.add_argument(
        "--lattice-burst",
        type=_positive,
        metavar="B",
        help="token bucket size for --lattice-rate (default: N, one second's worth)",
    )
    parser.add_argument(
        "--health-delay",
        type=_non_negative,
        default=2.0,
        help="seconds a new Lattice target stays INITIAL",
    )


def rate_limits(args: argparse.Namespace) -> object:
    """The flags' token buckets (tui.sandbox.ratelimit.RateLimits), or None."""
    from tui.errors import UsageError
    from tui.sandbox.ratelimit import RateLimits

    spec: dict[str, object] = {name: "aws" for name in args.rate_limit}
    if args.lattice_burst is not None and args.lattice_rate is None:
        raise UsageError("--lattice-burst needs --lattice-rate")
    if args.lattice_rate is not None:
        burst = args.lattice_burst if args.lattice_burst is not None else args.lattice_rate
        if burst < 1:
            raise UsageError("--lattice-burst (or --lattice-rate) must be at least 1")
        spec["vpc-lattice"] = [burst, args.lattice_rate]
    return RateLimits.parse(spec) if spec else None


def run(args: argparse.Namespace) -> int:
    from tui.sandbox import Faults, Sandbox

    limits = rate_limits(args)
    faults = Faults(
        latency_ms=args.latency_ms,
        throttle_rate=args.throttle_rate,
        error_rate=args.error_rate,
        drop_rate=args.drop_rate,
        deny_operations=set(args.deny),
        rate_limits=limits,  # type: ignore[arg-type]
    )
    stop = threading.Event()

    def on_signal(signum: int, frame: object) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    sandbox = Sandbox(
        seed=args.seed,
        port=args.port,
        region=args.region,
        faults=faults,
        health_delay=args.health_delay,
    )
    try:
        sandbox.start()
        print(sandbox.endpoint_url, flush=True)
        print(
            f"trellis sandbox: serving seed {args.seed!r} on {sandbox.endpoint_url} "
            f"(region {args.region}); any credentials work (e.g. AWS_ACCESS_KEY_ID=testing "
            "AWS_SECRET_ACCESS_KEY=testing); Ctrl-C to stop",
            file=sys.stderr,
            flush=True,
        )
        while not stop.wait(0.5):
            pass
    finally:
        sandbox.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0
