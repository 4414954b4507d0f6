"""Snapshots: round trip, redaction, atomic writes, and every way a file can be bad."""

from __future__ import annotations

import json
import os

import networkx as nx
import pytest

from tui.errors import UsageError
from tui.model import fixtures as f
from tui.model.graph import ResourceGraph, build_graph
from tui.snapshot import (
    FORMAT,
    VERSION,
    atomic_write,
    load_snapshot,
    load_snapshot_all,
    save_snapshot,
)


def graph_data(g):
    data = nx.node_link_data(g, edges="edges")
    data.pop("graph")
    return data


def test_round_trip_rebuilds_the_same_graph(tmp_path):
    path = tmp_path / "s.json"
    inv = f.sample_inventory()
    save_snapshot(path, inv, {"source": "test"})
    loaded, meta = load_snapshot(path)
    assert loaded.to_dict() == json.loads(json.dumps(inv.to_dict()))
    assert loaded.errors == inv.errors
    assert graph_data(build_graph(loaded)) == graph_data(build_graph(inv))
    assert meta["format"] == FORMAT and meta["version"] == VERSION
    assert meta["account"] == f.ACCOUNT and meta["region"] == f.REGION
    assert meta["meta"] == {"source": "test"} and meta["created_at"].endswith("+00:00")
    assert oct(os.stat(path).st_mode & 0o777) == "0o600"


def test_a_graph_or_several_inventories_can_be_saved(tmp_path):
    g = build_graph(f.sample_inventory())
    save_snapshot(tmp_path / "g.json", ResourceGraph(g))
    assert load_snapshot(tmp_path / "g.json")[0].counts() == f.sample_inventory().counts()
    other = f.sample_inventory()
    other.region = "eu-west-1"
    save_snapshot(tmp_path / "m.json", build_graph([f.sample_inventory(), other]))
    inventories, _ = load_snapshot_all(tmp_path / "m.json")
    assert [i.region for i in inventories] == ["us-east-1", "eu-west-1"]
    with pytest.raises(TypeError):
        save_snapshot(tmp_path / "x.json", nx.MultiDiGraph())


def test_redaction_replaces_every_account_consistently(tmp_path):
    path = tmp_path / "r.json"
    inv = f.sample_inventory()
    # A foreign account that only appears inside a policy document's condition.
    inv.records["auth_policy"][0]["raw"]["policy"] = json.dumps(
        {
            "Statement": [
                {
                    "Principal": {"AWS": "777788889999"},
                    "Condition": {
                        "StringEquals": {"aws:SourceAccount": "777788889999"},
                        # an account named nowhere else, in a list under a condition key
                        "ForAnyValue:StringEquals": {"aws:PrincipalAccount": ["888877776666"]},
                    },
                }
            ]
        }
    )
    doc = save_snapshot(path, inv, redact=True)
    text = path.read_text()
    for real in (f.ACCOUNT, f.OTHER_ACCOUNT, "777788889999", "888877776666"):
        assert real not in text
    assert doc["redacted"] is True
    loaded, meta = load_snapshot(path)
    fake = meta["account"]
    assert len(fake) == 12 and fake.isdigit() and fake == loaded.account
    g = build_graph(loaded)
    # Same shape: ARNs, OwnerIds and the constructed EC2 ids all moved to the same fake.
    original = build_graph(inv)
    assert (len(g), g.number_of_edges()) == (len(original), original.number_of_edges())
    assert {d["account"] for _, d in g.nodes(data=True)} == {
        fake,
        next(iter({d["account"] for _, d in g.nodes(data=True)} - {fake})),
    }
    vpc = next(n for n, k in g.nodes(data="kind") if k == "vpc" and g.nodes[n]["raw"])
    assert f":{fake}:" in vpc and g.nodes[vpc]["raw"]["OwnerId"] == fake
    stub = next(
        n for n, d in g.nodes(data=True) if d.get("missing") and d["kind"] == "target_group"
    )
    assert g.nodes[stub]["account"] not in (fake, f.OTHER_ACCOUNT)
    policy = json.loads(g.nodes[f.AUTH_ORDERS.replace(f.ACCOUNT, fake)]["raw"]["policy"])
    principal = policy["Statement"][0]["Principal"]["AWS"]
    assert principal == policy["Statement"][0]["Condition"]["StringEquals"]["aws:SourceAccount"]
    assert principal not in (fake, "777788889999")


def test_an_interrupted_write_leaves_the_previous_file(tmp_path):
    path = tmp_path / "s.json"
    save_snapshot(path, f.sample_inventory())
    before = path.read_bytes()

    class Boom:
        pass

    inv = f.sample_inventory()
    inv.records["zz_last"] = [{"raw": {"x": Boom()}, "ctx": {}}]  # json fails midway
    with pytest.raises(TypeError):
        save_snapshot(path, inv)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["s.json"]  # no temp file left behind


def test_atomic_write_crash_midway_and_missing_directory(tmp_path):
    path = tmp_path / "out.txt"
    path.write_text("old")

    def half(handle):
        handle.write("new, partial")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write(path, half)
    assert path.read_text() == "old" and os.listdir(tmp_path) == ["out.txt"]
    with pytest.raises(UsageError, match="does not exist"):
        atomic_write(tmp_path / "nope" / "x", lambda h: h.write("x"))


def write(tmp_path, text):
    path = tmp_path / "bad.json"
    path.write_text(text)
    return path


def good_doc():
    return {"format": FORMAT, "version": 1, "inventory": f.sample_inventory().to_dict()}


@pytest.mark.parametrize(("content", "message"), [
    (None, "no such file"),
    ("", "not valid JSON"),
    ('{"format": "trellis-snapshot", "version": 1, "inventory": {"rec', "truncated or corrupt"),
    ("[1, 2]", "not a trellis snapshot"),
    ('{"nodes": [], "edges": []}', "not a trellis snapshot"),
    ('{"format": "trellis-snapshot", "version": 2, "inventory": {}}', "newer than this trellis"),
    ('{"format": "trellis-snapshot", "version": "1", "inventory": {}}', "bad version"),
    ('{"format": "trellis-snapshot", "version": 1, "inventory": []}', "not an inventory"),
    ('{"format": "trellis-snapshot", "version": 1, "inventory": {"records": {"service": {}}}}',
     "is not a list"),
    ('{"format": "trellis-snapshot", "version": 1, '
     '"inventory": {"records": {"service": [{"raw": {"name": "no arn"}}]}}}', "damaged"),
    ('{"format": "trellis-snapshot", "version": 1, '
     '"inventory": {"records": {}, "errors": [5]}}', "malformed"),
])  # fmt: skip
def test_bad_files_are_one_clear_usage_error(tmp_path, content, message):
    path = tmp_path / "missing.json" if content is None else write(tmp_path, content)
    with pytest.raises(UsageError, match=message) as info:
        load_snapshot(path)
    assert "\n" not in str(info.value) and str(path) in str(info.value)
    assert info.value.exit_code == 2


def test_truncating_a_real_snapshot_is_caught(tmp_path):
    text = json.dumps(good_doc())
    for cut in (10, len(text) // 2, len(text) - 1):
        with pytest.raises(UsageError, match="not valid JSON"):
            load_snapshot(write(tmp_path, text[:cut]))


def test_binary_garbage_is_caught(tmp_path):
    path = tmp_path / "bin.json"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(UsageError, match="snapshot"):
        load_snapshot(path)
