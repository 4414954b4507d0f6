"""`trellis graph` / `trellis snapshot` against a live sandbox over HTTP (a subprocess, as a
user runs it): resources made with boto3 come back as nodes and edges in the vocabulary."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parents[2]


def trellis(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tui", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)  # fmt: skip


def make_resources(sandbox) -> dict[str, str]:
    ec2, lat = sandbox.client("ec2"), sandbox.client("vpc-lattice")
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    sg = ec2.create_security_group(GroupName="lat", Description="d", VpcId=vpc)["GroupId"]
    sn = lat.create_service_network(name="net")
    svc = lat.create_service(name="orders")
    tg = lat.create_target_group(
        name="orders-tg", type="IP", config={"port": 8080, "protocol": "HTTP", "vpcIdentifier": vpc}
    )
    listener = lat.create_listener(
        serviceIdentifier=svc["id"],
        name="http",
        protocol="HTTP",
        port=80,
        defaultAction={
            "forward": {"targetGroups": [{"targetGroupIdentifier": tg["id"], "weight": 100}]}
        },
    )
    snsa = lat.create_service_network_service_association(
        serviceNetworkIdentifier=sn["id"], serviceIdentifier=svc["id"]
    )
    snva = lat.create_service_network_vpc_association(
        serviceNetworkIdentifier=sn["id"], vpcIdentifier=vpc, securityGroupIds=[sg]
    )
    return {
        "vpc": vpc,
        "sn": sn["arn"],
        "svc": svc["arn"],
        "tg": tg["arn"],
        "listener": listener["arn"],
        "snsa": snsa["arn"],
        "snva": snva["arn"],
    }


def test_graph_json_from_a_live_sandbox(sandbox, tmp_path):
    made = make_resources(sandbox)
    out = trellis("graph", "--endpoint-url", sandbox.endpoint_url, "--region", "us-east-1",
                  "--format", "json")  # fmt: skip
    assert out.returncode == 0, out.stderr
    g = nx.node_link_graph(json.loads(out.stdout), edges="edges")
    vpc = next(n for n, d in g.nodes(data=True) if d["kind"] == "vpc" and made["vpc"] in n)
    for key in ("sn", "svc", "tg", "listener", "snsa", "snva"):
        assert made[key] in g, key
    assert g.has_edge(vpc, made["snva"], key="associated")
    assert g.has_edge(made["snva"], made["sn"], key="associated")
    assert g.has_edge(made["sn"], made["snsa"], key="associated")
    assert g.has_edge(made["snsa"], made["svc"], key="associated")
    assert g.has_edge(made["svc"], made["listener"], key="contains")
    assert g.edges[made["listener"], made["tg"], "forwards_to"]["weight"] == 100
    assert g.has_edge(made["tg"], vpc, key="in")

    # The same account saved as a snapshot, then graphed offline, gives the same graph.
    snap = tmp_path / "s.json"
    saved = trellis("snapshot", "--endpoint-url", sandbox.endpoint_url, "--region", "us-east-1",
                    "-o", snap)  # fmt: skip
    assert saved.returncode == 0, saved.stderr
    offline = trellis("graph", "--snapshot", snap)
    g2 = nx.node_link_graph(json.loads(offline.stdout), edges="edges")
    assert set(g2.edges(keys=True)) == set(g.edges(keys=True))


def test_a_partial_graph_says_so_on_stderr(sandbox):
    from tui.sandbox import Faults

    make_resources(sandbox)
    sandbox.faults = Faults(deny_operations={"vpc-lattice:ListTargets"})
    out = trellis("graph", "--endpoint-url", sandbox.endpoint_url, "--region", "us-east-1")
    assert out.returncode == 0 and json.loads(out.stdout)["graph"]["errors"]
    (line,) = out.stderr.strip().splitlines()
    assert "graph is incomplete" in line and "vpc-lattice:ListTargets" in line
    sandbox.faults = Faults()
    whole = trellis("graph", "--endpoint-url", sandbox.endpoint_url, "--region", "us-east-1")
    assert whole.returncode == 0 and whole.stderr == ""
