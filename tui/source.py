"""Where an inventory comes from: a saved snapshot, or a live crawl of the account."""

from __future__ import annotations

from typing import Any

from tui.config import AppConfig
from tui.model.inventory import Inventory


def load_source(config: AppConfig) -> tuple[Inventory, dict[str, Any]]:
    """(inventory, meta): meta is the snapshot's metadata, or {"source": "live", ...}.

    With several connections (``--region a,b``) the inventory is a list, one per account and
    region: ``build_graph`` and ``save_snapshot`` take either.
    """
    if config.snapshot_path is not None:
        from tui.snapshot import load_snapshot

        inventory, meta = load_snapshot(config.snapshot_path)
        return inventory, {**meta, "source": "snapshot", "path": str(config.snapshot_path)}
    # Imported late: snapshot-only commands must not pay for (or need) the AWS SDK.
    from tui.aws.loader import load_inventories, load_inventory

    conn = config.connection
    if len(config.all_connections) > 1:  # several accounts/regions: one Inventory each
        inventories = load_inventories(config)
        return inventories, {"source": "live", "profile": conn.profile,  # type: ignore[return-value]
                             "endpoint_url": conn.endpoint_url}
    inventory = load_inventory(config)
    meta = {"source": "live", "profile": conn.profile, "endpoint_url": conn.endpoint_url}
    return inventory, meta


def load_inventory_for(config: AppConfig) -> Inventory:
    return load_source(config)[0]
