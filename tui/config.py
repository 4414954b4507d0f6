"""AppConfig: everything a run needs to know, parsed once from the command line. No textual."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Connection:
    """Where to talk to AWS. ``None`` means: let the SDK's own chain decide."""

    profile: str | None = None
    region: str | None = None
    endpoint_url: str | None = None
    # Only set for the embedded sandbox; never printed (repr=False).
    access_key: str | None = field(default=None, repr=False)
    secret_key: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class AppConfig:
    connection: Connection = field(default_factory=Connection)
    read_only: bool = False
    demo: bool = False
    snapshot_path: Path | None = None
    refresh_seconds: float | None = None
    max_concurrency: int = 32
    retry_mode: str = "adaptive"
    max_attempts: int = 8
    connect_timeout: float = 5.0
    read_timeout: float = 20.0
    # Whole-call deadline (all attempts, back-offs and reads): one hung call cannot hold a
    # crawl for attempts × read_timeout.
    call_deadline: float = 60.0
    pace_requests: bool = True  # keep under ECS's published API rates (tui.aws.pacing)
    lattice_rate: float | None = None  # requests/s cap for VPC Lattice (it publishes none)
    # Every account/region to crawl into one graph (--profile x,y --region a,b): all
    # combinations. Empty: just ``connection``, which is always the first of them.
    connections: tuple[Connection, ...] = ()

    @property
    def all_connections(self) -> tuple[Connection, ...]:
        return self.connections or (self.connection,)

    @property
    def can_write(self) -> bool:
        return not self.read_only and self.snapshot_path is None
