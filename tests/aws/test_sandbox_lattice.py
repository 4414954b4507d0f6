"""The Lattice extensions over real HTTP with boto3: shapes, identifiers, CRUD, pagination."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError


def pages(client, operation, **kwargs):
    return [i for p in client.get_paginator(operation).paginate(**kwargs) for i in p["items"]]


def forward(tg_id, weight=100):
    return {"forward": {"targetGroups": [{"targetGroupIdentifier": tg_id, "weight": weight}]}}


@pytest.fixture
def lat(boto_clients):
    return boto_clients.lattice


@pytest.fixture
def world(lat, boto_clients):
    vpc = boto_clients.ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    sg = boto_clients.ec2.create_security_group(
        GroupName="lattice", Description="lattice", VpcId=vpc)["GroupId"]
    tg = lat.create_target_group(name="tg-web", type="IP", config={
        "port": 8080, "protocol": "HTTP", "vpcIdentifier": vpc})
    svc = lat.create_service(name="svc-web")
    listener = lat.create_listener(serviceIdentifier=svc["arn"], name="http", protocol="HTTP",
                                   port=80, defaultAction=forward(tg["arn"]))
    return {"vpc": vpc, "sg": sg, "tg": tg, "svc": svc, "listener": listener}


def test_auth_type_defaults_to_none_and_ids_or_arns_both_work(lat):
    sn = lat.create_service_network(name="sn-default")
    svc = lat.create_service(name="svc-default")
    for ident in (sn["id"], sn["arn"]):
        got = lat.get_service_network(serviceNetworkIdentifier=ident)
        assert got["authType"] == "NONE" and got["createdAt"]
        assert got["numberOfAssociatedServices"] == 0
    assert lat.get_service(serviceIdentifier=svc["arn"])["authType"] == "NONE"
    iam_svc = lat.create_service(name="svc-iam", authType="AWS_IAM")
    assert lat.get_service(serviceIdentifier=iam_svc["id"])["authType"] == "AWS_IAM"


def test_rules_create_get_list_update_delete(lat, world):
    svc, lst, tg = world["svc"], world["listener"], world["tg"]
    match = {"httpMatch": {"pathMatch": {"match": {"prefix": "/api"}, "caseSensitive": False},
                           "method": "GET"}}
    rule = lat.create_rule(serviceIdentifier=svc["arn"], listenerIdentifier=lst["arn"],
                           name="api-rule", priority=10, match=match, action=forward(tg["id"]))
    assert rule["arn"] == f"{lst['arn']}/rule/{rule['id']}"
    got = lat.get_rule(serviceIdentifier=svc["id"], listenerIdentifier=lst["id"],
                       ruleIdentifier=rule["arn"])
    assert got["match"] == match and got["priority"] == 10 and got["isDefault"] is False
    assert got["action"]["forward"]["targetGroups"][0]["targetGroupIdentifier"] == tg["id"]

    items = lat.list_rules(serviceIdentifier=svc["id"], listenerIdentifier=lst["id"])["items"]
    assert [(i["name"], i["isDefault"]) for i in items] == [("api-rule", False), ("default", True)]
    default = next(i for i in items if i["isDefault"])
    got_default = lat.get_rule(serviceIdentifier=svc["id"], listenerIdentifier=lst["id"],
                               ruleIdentifier=default["id"])
    assert got_default["action"] == forward(tg["arn"])

    with pytest.raises(ClientError) as dup:
        lat.create_rule(serviceIdentifier=svc["id"], listenerIdentifier=lst["id"],
                        name="dup-rule", priority=10, match=match, action=forward(tg["id"]))
    assert dup.value.response["Error"]["Code"] == "ConflictException"

    updated = lat.update_rule(serviceIdentifier=svc["id"], listenerIdentifier=lst["id"],
                              ruleIdentifier=rule["id"], priority=20)
    assert updated["priority"] == 20
    lat.delete_rule(serviceIdentifier=svc["id"], listenerIdentifier=lst["id"],
                    ruleIdentifier=rule["id"])
    items = lat.list_rules(serviceIdentifier=svc["id"], listenerIdentifier=lst["id"])["items"]
    assert [i["isDefault"] for i in items] == [True]
    with pytest.raises(ClientError) as gone:
        lat.get_rule(serviceIdentifier=svc["id"], listenerIdentifier=lst["id"],
                     ruleIdentifier=rule["id"])
    assert gone.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_batch_update_rule_reports_each_rule(lat, world):
    svc, lst, tg = world["svc"], world["listener"], world["tg"]
    match = {"httpMatch": {"pathMatch": {"match": {"exact": "/a"}}}}
    rule = lat.create_rule(serviceIdentifier=svc["id"], listenerIdentifier=lst["id"],
                           name="rule-a", priority=1, match=match, action=forward(tg["id"]))
    out = lat.batch_update_rule(serviceIdentifier=svc["id"], listenerIdentifier=lst["id"], rules=[
        {"ruleIdentifier": rule["id"], "priority": 5},
        {"ruleIdentifier": "rule-0123456789abcdefg", "priority": 6},
    ])
    assert [r["priority"] for r in out["successful"]] == [5]
    assert out["unsuccessful"][0]["ruleIdentifier"] == "rule-0123456789abcdefg"


def test_target_group_service_arns_follow_listeners_and_rules(lat, world):
    tg, svc = world["tg"], world["svc"]
    assert lat.get_target_group(targetGroupIdentifier=tg["id"])["serviceArns"] == [svc["arn"]]
    other = lat.create_target_group(name="tg-other", type="IP", config={
        "port": 80, "protocol": "HTTP", "vpcIdentifier": world["vpc"]})
    assert "serviceArns" not in lat.get_target_group(targetGroupIdentifier=other["arn"])
    svc2 = lat.create_service(name="svc-two")
    lst2 = lat.create_listener(serviceIdentifier=svc2["id"], name="http", protocol="HTTP",
                               port=80, defaultAction={"fixedResponse": {"statusCode": 404}})
    lat.create_rule(serviceIdentifier=svc2["id"], listenerIdentifier=lst2["id"], name="to-other",
                    priority=1, match={"httpMatch": {"method": "POST"}},
                    action=forward(other["id"]))
    assert lat.get_target_group(targetGroupIdentifier=other["id"])["serviceArns"] == [svc2["arn"]]
    summary = {t["name"]: t for t in lat.list_target_groups()["items"]}
    assert summary["tg-other"]["serviceArns"] == [svc2["arn"]]
    assert summary["tg-web"]["port"] == 8080 and summary["tg-web"]["protocol"] == "HTTP"


def test_updates(lat, world):
    svc, lst, tg = world["svc"], world["listener"], world["tg"]
    assert lat.update_service(serviceIdentifier=svc["id"], authType="AWS_IAM")["authType"] == \
        "AWS_IAM"
    assert lat.get_service(serviceIdentifier=svc["id"])["authType"] == "AWS_IAM"
    sn = lat.create_service_network(name="sn-upd")
    lat.update_service_network(serviceNetworkIdentifier=sn["arn"], authType="AWS_IAM")
    assert lat.get_service_network(serviceNetworkIdentifier=sn["id"])["authType"] == "AWS_IAM"
    lat.update_listener(serviceIdentifier=svc["id"], listenerIdentifier=lst["id"],
                        defaultAction={"fixedResponse": {"statusCode": 503}})
    got = lat.get_listener(serviceIdentifier=svc["id"], listenerIdentifier=lst["id"])
    assert got["defaultAction"] == {"fixedResponse": {"statusCode": 503}}
    lat.update_target_group(targetGroupIdentifier=tg["id"], healthCheck={"port": 9000,
                                                                          "path": "/health"})
    config = lat.get_target_group(targetGroupIdentifier=tg["id"])["config"]
    assert config["healthCheck"] == {"port": 9000, "path": "/health"} and config["port"] == 8080


def test_associations_by_arn_with_security_groups_then_delete(lat, world, boto_clients):
    sn = lat.create_service_network(name="sn-assoc")
    svc = world["svc"]
    sva = lat.create_service_network_vpc_association(
        serviceNetworkIdentifier=sn["arn"], vpcIdentifier=world["vpc"],
        securityGroupIds=[world["sg"]])
    ssa = lat.create_service_network_service_association(
        serviceNetworkIdentifier=sn["arn"], serviceIdentifier=svc["arn"])
    got = lat.get_service_network_vpc_association(serviceNetworkVpcAssociationIdentifier=sva["arn"])
    assert got["securityGroupIds"] == [world["sg"]] and got["vpcId"] == world["vpc"]
    assert got["serviceNetworkArn"] == sn["arn"]
    got = lat.get_service_network_service_association(
        serviceNetworkServiceAssociationIdentifier=ssa["id"])
    assert got["serviceArn"] == svc["arn"] and got["serviceName"] == "svc-web"
    assert got["serviceNetworkName"] == "sn-assoc"
    listed = lat.list_service_network_vpc_associations(serviceNetworkIdentifier=sn["arn"])
    assert [a["id"] for a in listed["items"]] == [sva["id"]]
    listed = lat.list_service_network_service_associations(serviceIdentifier=svc["arn"])
    assert [a["id"] for a in listed["items"]] == [ssa["id"]]
    counts = lat.get_service_network(serviceNetworkIdentifier=sn["id"])
    assert (counts["numberOfAssociatedServices"], counts["numberOfAssociatedVPCs"]) == (1, 1)

    sg2 = boto_clients.ec2.create_security_group(
        GroupName="lattice-2", Description="second", VpcId=world["vpc"])["GroupId"]
    lat.update_service_network_vpc_association(
        serviceNetworkVpcAssociationIdentifier=sva["id"], securityGroupIds=[sg2])
    assert lat.get_service_network_vpc_association(
        serviceNetworkVpcAssociationIdentifier=sva["id"])["securityGroupIds"] == [sg2]

    for call in (lambda: lat.delete_service_network(serviceNetworkIdentifier=sn["id"]),
                 lambda: lat.delete_service(serviceIdentifier=svc["id"])):
        with pytest.raises(ClientError) as conflict:
            call()
        assert conflict.value.response["Error"]["Code"] == "ConflictException"
    lat.delete_service_network_service_association(
        serviceNetworkServiceAssociationIdentifier=ssa["arn"])
    lat.delete_service_network_vpc_association(serviceNetworkVpcAssociationIdentifier=sva["id"])
    lat.delete_service_network(serviceNetworkIdentifier=sn["id"])
    assert lat.list_service_networks()["items"] == []


def test_delete_service_cascades_and_target_group_in_use_conflicts(lat, world):
    svc, tg = world["svc"], world["tg"]
    with pytest.raises(ClientError) as conflict:
        lat.delete_target_group(targetGroupIdentifier=tg["id"])
    assert conflict.value.response["Error"]["Code"] == "ConflictException"
    lat.delete_service(serviceIdentifier=svc["arn"])
    assert lat.list_services()["items"] == []
    with pytest.raises(ClientError):
        lat.list_listeners(serviceIdentifier=svc["id"])
    assert "serviceArns" not in lat.get_target_group(targetGroupIdentifier=tg["id"])
    assert lat.delete_target_group(targetGroupIdentifier=tg["arn"])["status"] == \
        "DELETE_IN_PROGRESS"
    assert lat.list_target_groups()["items"] == []


def test_delete_listener_removes_its_rules(lat, world):
    svc, lst, tg = world["svc"], world["listener"], world["tg"]
    lat.create_rule(serviceIdentifier=svc["id"], listenerIdentifier=lst["id"], name="rule-x",
                    priority=3, match={"httpMatch": {"method": "GET"}}, action=forward(tg["id"]))
    lat.delete_listener(serviceIdentifier=svc["id"], listenerIdentifier=lst["arn"])
    assert lat.list_listeners(serviceIdentifier=svc["id"])["items"] == []
    assert "serviceArns" not in lat.get_target_group(targetGroupIdentifier=tg["id"])


def test_resource_gateways_and_configurations_create_get_list_delete(lat, world, boto_clients):
    assert lat.list_resource_gateways()["items"] == []
    with pytest.raises(ClientError) as missing:
        lat.get_resource_gateway(resourceGatewayIdentifier="rgw-0123456789abcdef0")
    assert missing.value.response["Error"]["Code"] == "ResourceNotFoundException"
    subnet = boto_clients.ec2.create_subnet(VpcId=world["vpc"], CidrBlock="10.9.1.0/24")
    subnet_id = subnet["Subnet"]["SubnetId"]
    gw = lat.create_resource_gateway(name="db-gw", vpcIdentifier=world["vpc"],
                                     subnetIds=[subnet_id], securityGroupIds=[world["sg"]])
    assert gw["status"] == "ACTIVE" and gw["vpcIdentifier"] == world["vpc"]
    got = lat.get_resource_gateway(resourceGatewayIdentifier=gw["arn"])
    assert (got["vpcId"], got["subnetIds"], got["createdAt"]) == (
        world["vpc"], [subnet_id], got["lastUpdatedAt"])
    cfg = lat.create_resource_configuration(
        name="orders-db", type="SINGLE", resourceGatewayIdentifier=gw["id"],
        portRanges=["5432"], protocol="TCP",
        resourceConfigurationDefinition={"dnsResource": {"domainName": "db.internal",
                                                         "ipAddressType": "IPV4"}})
    assert cfg["resourceGatewayId"] == gw["id"] and cfg["status"] == "ACTIVE"
    listed = pages(lat, "list_resource_configurations", resourceGatewayIdentifier=gw["arn"])
    assert [c["arn"] for c in listed] == [cfg["arn"]]
    assert lat.get_resource_configuration(resourceConfigurationIdentifier=cfg["arn"])[
        "resourceConfigurationDefinition"]["dnsResource"]["domainName"] == "db.internal"
    with pytest.raises(ClientError) as no_gateway:
        lat.create_resource_configuration(name="no-gw", type="SINGLE", portRanges=["1"],
                                          resourceConfigurationDefinition={
                                              "ipResource": {"ipAddress": "10.9.1.9"}})
    assert no_gateway.value.response["Error"]["Code"] == "ValidationException"
    with pytest.raises(ClientError) as in_use:
        lat.delete_resource_gateway(resourceGatewayIdentifier=gw["id"])
    assert in_use.value.response["Error"]["Code"] == "ConflictException"
    # A CHILD needs its GROUP, and a GROUP with children cannot go first.
    group = lat.create_resource_configuration(name="dbs", type="GROUP",
                                              resourceGatewayIdentifier=gw["id"],
                                              portRanges=["5432"])
    dns = {"dnsResource": {"domainName": "replica.internal", "ipAddressType": "IPV4"}}
    with pytest.raises(ClientError) as orphan:
        lat.create_resource_configuration(name="replica", type="CHILD",
                                          resourceConfigurationDefinition=dns)
    assert orphan.value.response["Error"]["Code"] == "ValidationException"
    child = lat.create_resource_configuration(
        name="replica", type="CHILD", resourceConfigurationGroupIdentifier=group["arn"],
        resourceConfigurationDefinition=dns)
    with pytest.raises(ClientError) as parent:
        lat.delete_resource_configuration(resourceConfigurationIdentifier=group["id"])
    assert parent.value.response["Error"]["Code"] == "ConflictException"
    for doomed in (child, group, cfg):
        lat.delete_resource_configuration(resourceConfigurationIdentifier=doomed["id"])
    assert lat.delete_resource_gateway(resourceGatewayIdentifier=gw["id"])["status"] == (
        "DELETE_IN_PROGRESS")
    assert pages(lat, "list_resource_gateways") == []


def test_paginators_past_120_items(lat, world):
    for n in range(125):
        lat.create_service_network(name=f"sn-page-{n:03d}")
        lat.create_service(name=f"svc-page-{n:03d}")
        lat.create_target_group(name=f"tg-page-{n:03d}", type="IP", config={
            "port": 80, "protocol": "HTTP", "vpcIdentifier": world["vpc"]})
    sns = pages(lat, "list_service_networks")
    assert [s["name"] for s in sns] == [f"sn-page-{n:03d}" for n in range(125)]
    assert len({s["id"] for s in pages(lat, "list_services")}) == 126
    assert len(pages(lat, "list_target_groups", PaginationConfig={"PageSize": 7})) == 126
    first = lat.list_services(maxResults=100)
    assert len(first["items"]) == 100 and first["nextToken"]
    rest = lat.list_services(maxResults=100, nextToken=first["nextToken"])
    assert len(rest["items"]) == 26 and "nextToken" not in rest
    with pytest.raises(ClientError) as too_big:
        lat.list_services(maxResults=101)
    assert too_big.value.response["Error"]["Code"] == "ValidationException"

    sn = lat.list_service_networks(maxResults=1)["items"][0]
    svcs = pages(lat, "list_services")
    for svc in svcs:
        lat.create_service_network_service_association(serviceNetworkIdentifier=sn["id"],
                                                       serviceIdentifier=svc["id"])
    assocs = pages(lat, "list_service_network_service_associations",
                   serviceNetworkIdentifier=sn["arn"])
    assert len(assocs) == 126


def test_targets_paginate_and_filter(lat, world):
    tg = world["tg"]
    targets = [{"id": f"10.9.{n // 200}.{n % 200 + 10}"} for n in range(130)]
    for chunk in (targets[:100], targets[100:]):
        out = lat.register_targets(targetGroupIdentifier=tg["id"], targets=chunk)
        assert out["unsuccessful"] == []
    listed = pages(lat, "list_targets", targetGroupIdentifier=tg["arn"])
    assert len(listed) == 130 and {t["port"] for t in listed} == {8080}
    one = lat.list_targets(targetGroupIdentifier=tg["id"], targets=[{"id": targets[5]["id"]}])
    assert [t["id"] for t in one["items"]] == [targets[5]["id"]]
    bad = lat.register_targets(targetGroupIdentifier=tg["id"], targets=[{"id": "not-an-ip"}])
    assert bad["unsuccessful"][0]["failureCode"] == "InvalidParameter"
