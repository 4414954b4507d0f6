"""is_read_operation over the real service models of every client trellis creates."""

import botocore.session
import pytest

from tui.aws.readonly import is_read_operation

SERVICES = ("vpc-lattice", "ecs", "ec2", "iam", "sts")


@pytest.mark.parametrize("op", ["ListTargets", "GetRule", "DescribeServices",
                                "BatchGetImage", "GetCallerIdentity", "SimulatePrincipalPolicy"])
def test_reads(op):
    assert is_read_operation(op)


@pytest.mark.parametrize("op", ["UpdateService", "RegisterTargets", "DeleteRule", "PutAuthPolicy",
                                "CreateServiceNetwork", "TagResource", "AttachRolePolicy",
                                "RunTask", "AssumeRole", "BatchUpdateRule"])
def test_writes(op):
    assert not is_read_operation(op)


def test_every_crawler_operation_is_a_read_and_models_have_writes():
    session = botocore.session.get_session()
    for service in SERVICES:
        ops = session.get_service_model(service).operation_names
        assert any(not is_read_operation(op) for op in ops) or service == "sts"
    crawled = ["ListServiceNetworks", "GetServiceNetwork", "ListServiceNetworkVpcAssociations",
               "GetServiceNetworkVpcAssociation", "ListServiceNetworkServiceAssociations",
               "ListServices", "GetService", "GetAuthPolicy", "ListListeners", "GetListener",
               "ListRules", "GetRule", "ListTargetGroups", "GetTargetGroup", "ListTargets",
               "ListAccessLogSubscriptions", "GetAccessLogSubscription", "ListResourceGateways",
               "GetResourceGateway", "ListResourceConfigurations", "GetResourceConfiguration",
               "ListClusters", "DescribeClusters", "DescribeServices", "ListTasks",
               "DescribeTasks", "DescribeTaskDefinition", "DescribeVpcs", "DescribeSubnets",
               "DescribeSecurityGroups", "DescribeRouteTables", "DescribeVpcEndpoints",
               "DescribeManagedPrefixLists", "GetRole", "ListAttachedRolePolicies",
               "ListRolePolicies", "GetRolePolicy", "GetPolicy", "GetPolicyVersion"]
    assert all(is_read_operation(op) for op in crawled)
