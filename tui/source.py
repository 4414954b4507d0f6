"""Where an inventory comes from: a saved snapshot, or a live crawl of the account."""

from __future__ import annotations

from typing import Any

from tui.config import AppConfig
from tui.model.inventory import Inventory


def load_source(config: AppConfig) -> tuple[Inventory, dict[str, Any]]:
    """(inventory, meta): meta is the snapshot's metadata, or {"source": "live", ...}."""
    if config.snapshot_path is not None:
        from tui.snapshot import load_snapshot

        inventory, meta = load_snapshot(config.snapshot_path)
        return inventory, {**meta, "source": "snapshot", "path": str(config.snapshot_path)}
    # Imported late: snapshot-only commands must not pay for (or need) the AWS SDK.
    from tui.aws.loader import load_inventory

    inventory = load_inventory(config)
    conn = config.connection
    meta = {"source": "live", "profile": conn.profile, "endpoint_url": conn.endpoint_url}
    return inventory, meta


def load_inventory_for(config: AppConfig) -> Inventory:
    return load_source(config)[0]
