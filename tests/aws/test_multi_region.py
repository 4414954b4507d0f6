"""--region a,b / --profile x,y: every combination crawled at once into one graph."""

from __future__ import annotations

import argparse

import boto3

from tui.aws.loader import crawl_all
from tui.cli import config_from_args
from tui.config import Connection
from tui.model.graph import build_graph

REGIONS = ("us-east-1", "eu-west-1")


def _client(sandbox, service: str, region: str):
    return boto3.client(service, region_name=region, endpoint_url=sandbox.endpoint_url,
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def test_comma_lists_give_every_combination():
    args = argparse.Namespace(profile="a,b", region="us-east-1,eu-west-1,us-east-1",
                              endpoint_url=None)
    config = config_from_args(args)
    assert [(c.profile, c.region) for c in config.all_connections] == [
        ("a", "us-east-1"), ("a", "eu-west-1"), ("b", "us-east-1"), ("b", "eu-west-1")]
    assert config.connection == config.all_connections[0]
    single = config_from_args(argparse.Namespace(profile=None, region="us-east-1"))
    assert single.connections == () and single.all_connections == (
        Connection(region="us-east-1"),)


async def test_two_regions_in_one_graph(sandbox):
    arns = {}
    for region in REGIONS:
        lat = _client(sandbox, "vpc-lattice", region)
        arns[region] = lat.create_service(name=f"svc-{region}")["arn"]
        _client(sandbox, "ecs", region).create_cluster(clusterName=f"cl-{region}")
    args = argparse.Namespace(region=",".join(REGIONS), endpoint_url=sandbox.endpoint_url,
                              profile=None)
    inventories = await crawl_all(config_from_args(args))
    assert [inv.region for inv in inventories] == list(REGIONS)
    assert all(inv.errors == [] for inv in inventories)
    graph = build_graph(inventories)
    services = {n: d for n, d in graph.nodes(data=True) if d["kind"] == "service"}
    assert set(services) == set(arns.values())
    for region, arn in arns.items():
        assert services[arn]["region"] == region
        assert services[arn]["account"] == "123456789012"
    clusters = {d["name"]: d["region"] for _, d in graph.nodes(data=True)
                if d["kind"] == "ecs_cluster"}
    assert clusters == {f"cl-{r}": r for r in REGIONS}
    assert {r.region for r in sandbox.request_log.entries()} == set(REGIONS)
