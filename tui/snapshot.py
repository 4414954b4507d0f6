"""Snapshots: a versioned JSON file holding the crawled inventory (the graph rebuilds from it
deterministically), its load errors and metadata. Written atomically; optionally redacted.

  {"format": "trellis-snapshot", "version": 1, "created_at": ISO-8601 UTC,
   "trellis_version": "...", "account": "...", "region": "...", "redacted": bool,
   "meta": {...caller's extras...}, "inventory": Inventory.to_dict(),
   "more_inventories": [...]   # only when the graph merged several accounts/regions}
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from tui import __version__
from tui.errors import UsageError
from tui.model.inventory import Inventory

FORMAT = "trellis-snapshot"
VERSION = 1

# The field each record must carry for build_graph to name its node.
_ID_FIELDS = {
    **dict.fromkeys(
        (
            "service_network",
            "service",
            "listener",
            "rule",
            "target_group",
            "sn_service_association",
            "sn_vpc_association",
            "access_log_subscription",
            "resource_gateway",
            "resource_configuration",
        ),
        "arn",
    ),
    "ecs_cluster": "clusterArn",
    "ecs_service": "serviceArn",
    "ecs_task": "taskArn",
    "task_definition": "taskDefinitionArn",
    "iam_role": "Arn",
}


# -- atomic writes ----------------------------------------------------------------------------
def atomic_write(path: str | Path, write: Callable[[TextIO], None], mode: int = 0o644) -> None:
    """Write via a temp file in the same directory + fsync + os.replace.

    A crash or exception part-way leaves the previous file untouched and no temp file behind.
    """
    path = Path(path)
    directory = path.parent
    if not directory.is_dir():
        raise UsageError(f"cannot write {path}: directory {directory} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise
    with suppress(OSError):  # make the rename itself durable where the OS allows it
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def atomic_write_text(path: str | Path, text: str, mode: int = 0o644) -> None:
    atomic_write(path, lambda handle: handle.write(text), mode)


# -- redaction --------------------------------------------------------------------------------
_ARN_ACCOUNT = re.compile(r"arn:aws[\w-]*:[\w-]*:[\w-]*:(\d{12})(?=[:/])")
_TWELVE = re.compile(r"^\d{12}$")


def _strings(value: Any) -> Iterable[str]:
    """Every string and dict key in a JSON value, policies (JSON text) included."""
    if isinstance(value, str):
        yield value
        if value.startswith("{"):  # policies arrive as JSON text
            with suppress(ValueError):
                yield from _strings(json.loads(value))
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from _strings(v)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _accounts(doc: dict[str, Any]) -> list[str]:
    found: dict[str, None] = {}
    for text in _strings(doc):
        for match in _ARN_ACCOUNT.finditer(text):
            found[match.group(1)] = None
        # Bare ids: owner fields, policy principals like {"AWS": "123456789012"} and
        # conditions like {"aws:PrincipalAccount": [...]}: any value that is 12 digits alone.
        if _TWELVE.match(text):
            found[text] = None
    return list(found)


def redact(doc: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Replace every account id everywhere with a fake, consistently. Returns (doc, mapping)."""
    real = _accounts(doc)
    first = [a for a in (doc.get("account", ""),) if a in real]
    ordered = first + sorted(set(real) - set(first))
    fakes = (f"{n:012d}" for n in range(100000000001, 999999999999) if f"{n:012d}" not in real)
    mapping = dict(zip(ordered, fakes, strict=False))
    if not mapping:
        return doc, {}
    pattern = re.compile(r"(?<!\d)(" + "|".join(map(re.escape, ordered)) + r")(?!\d)")

    def sub(value: Any) -> Any:
        if isinstance(value, str):
            return pattern.sub(lambda m: mapping[m.group(1)], value)
        if isinstance(value, dict):
            return {sub(k): sub(v) for k, v in value.items()}
        if isinstance(value, list):
            return [sub(v) for v in value]
        return value

    return sub(doc), mapping


# -- save / load ------------------------------------------------------------------------------
def _inventories(source: Any) -> list[Inventory]:
    if isinstance(source, Inventory):
        return [source]
    if isinstance(source, list | tuple) and all(isinstance(i, Inventory) for i in source):
        return list(source)
    graph = getattr(source, "g", source)  # a ResourceGraph, or a networkx graph
    inventories = getattr(graph, "graph", {}).get("inventories")
    if not inventories:
        raise TypeError("save_snapshot needs an Inventory or a graph built by build_graph")
    return list(inventories)


def snapshot_document(source: Any, meta: dict[str, Any] | None = None, redacted: bool = False):
    invs = _inventories(source)
    doc: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "trellis_version": __version__,
        "account": invs[0].account,
        "region": invs[0].region,
        "redacted": redacted,
        "meta": dict(meta or {}),
        "inventory": invs[0].to_dict(),
    }
    if len(invs) > 1:
        doc["more_inventories"] = [inv.to_dict() for inv in invs[1:]]
    if redacted:
        doc, _ = redact(doc)
    return doc


def save_snapshot(
    path: str | Path, source: Any, meta: dict[str, Any] | None = None, redact: bool = False
) -> dict[str, Any]:
    """Write ``source`` (Inventory, inventories, or a built graph) atomically; return the doc."""
    doc = snapshot_document(source, meta, redacted=redact)
    # Owner-only permissions: a snapshot describes an account.
    atomic_write(path, lambda handle: json.dump(doc, handle, indent=1, sort_keys=True), 0o600)
    return doc


def _bad(path: Path, why: str) -> UsageError:
    return UsageError(f"snapshot {path}: {why}")


def _check_inventory(path: Path, data: Any, where: str) -> Inventory:
    if not isinstance(data, dict) or not isinstance(data.get("records", {}), dict):
        raise _bad(path, f"malformed snapshot: {where} is not an inventory object")
    for kind, records in data.get("records", {}).items():
        if not isinstance(records, list):
            raise _bad(path, f"malformed snapshot: {where}.records.{kind} is not a list")
        for i, record in enumerate(records):
            raw = record.get("raw") if isinstance(record, dict) else None
            field = _ID_FIELDS.get(kind)
            if (
                not isinstance(raw, dict)
                or not isinstance(record.get("ctx", {}), dict)
                or (field and not isinstance(raw.get(field), str))
            ):
                raise _bad(path, f"malformed snapshot: {where}.records.{kind}[{i}] is damaged")
    try:
        return Inventory.from_dict(data)
    except (TypeError, ValueError, AttributeError) as error:
        raise _bad(path, f"malformed snapshot: {where}: {error}") from None


def load_snapshot_all(path: str | Path) -> tuple[list[Inventory], dict[str, Any]]:
    """Every inventory in the file and its metadata; any problem is one UsageError line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise _bad(path, "no such file") from None
    except UnicodeDecodeError:
        raise _bad(path, "not a trellis snapshot (not UTF-8 text)") from None
    except OSError as error:
        raise _bad(path, f"cannot read ({error.strerror})") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as error:
        raise _bad(
            path,
            f"not valid JSON, truncated or corrupt (line {error.lineno}, "
            f"column {error.colno}: {error.msg})",
        ) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise _bad(path, f'not a trellis snapshot (no "format": "{FORMAT}")')
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _bad(path, f"malformed snapshot: bad version {version!r}")
    if version > VERSION:
        raise _bad(
            path,
            f"format version {version} is newer than this trellis reads "
            f"(up to {VERSION}); upgrade trellis",
        )
    inventories = [_check_inventory(path, doc.get("inventory"), "inventory")]
    more = doc.get("more_inventories", [])
    if not isinstance(more, list):
        raise _bad(path, "malformed snapshot: more_inventories is not a list")
    inventories += [_check_inventory(path, d, f"more_inventories[{i}]") for i, d in enumerate(more)]
    meta = {k: v for k, v in doc.items() if k not in ("inventory", "more_inventories")}
    return inventories, meta


def snapshot_graph(path: str | Path) -> tuple[Any, dict[str, Any]]:
    """(graph, meta) of a snapshot file. A record that parses as JSON but that the graph
    builder cannot read (hand-edited, damaged) is one UsageError line, not a traceback."""
    inventories, meta = load_snapshot_all(path)
    return checked_graph(inventories, path), meta


def checked_graph(inventories: list[Inventory], path: str | Path) -> Any:
    """build_graph of a snapshot's inventories; a damaged record is one UsageError line."""
    from tui.model.graph import build_graph

    try:
        return build_graph(inventories)
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        raise _bad(
            Path(path), f"damaged record ({type(error).__name__}: {error}); take the snapshot again"
        ) from None


def load_snapshot(path: str | Path) -> tuple[Inventory, dict[str, Any]]:
    """The (first) inventory in the file and its metadata."""
    inventories, meta = load_snapshot_all(path)
    return inventories[0], meta
