"""The attach/detach planner: every validation case, merge and detach logic (pure, fast)."""

from __future__ import annotations

import json

import pytest
from wizard_data import ACCOUNT, CLUSTER, ROLE, TG_GOOD, cfg, inventory, tg_arn

from tui.model.inventory import LoadError
from tui.wizard.context import changes_since
from tui.wizard.detach import plan_detach
from tui.wizard.facts import Facts
from tui.wizard.issues import Code
from tui.wizard.plan import plan_attach
from tui.wizard.ranking import rank_roles, rank_target_groups


@pytest.fixture
def facts() -> Facts:
    return Facts.from_inventory(inventory())


def attach(facts, service="web", tg="web-tg", port="web-8080", role="ecs-lattice", **kw):
    return plan_attach(facts, kw.pop("cluster", "shop"), service, tg, port, role, **kw)


def codes(plan) -> list[str]:
    return [str(e.code) for e in plan.errors]


def unshared_warnings(plan) -> list:
    """Warnings other than TG_SHARED (web-tg is shared by the fixture's services on purpose)."""
    return [w for w in plan.warnings if w.code != Code.TG_SHARED]


def test_good_attach_builds_exact_request(facts):
    plan = attach(facts)
    assert plan.ok, plan.errors
    assert plan.request == {
        "cluster": CLUSTER,
        "service": "web",
        "vpcLatticeConfigurations": [
            {"roleArn": ROLE, "targetGroupArn": TG_GOOD, "portName": "web-8080"}
        ],
    }
    assert plan.diff() == [f"+ {json.dumps(plan.desired[0], sort_keys=True)}"]
    assert unshared_warnings(plan) == []


def test_names_and_arns_are_equivalent(facts):
    by_arn = attach(
        facts,
        cluster=CLUSTER,
        service=f"{CLUSTER.replace(':cluster/', ':service/')}/web",
        tg=TG_GOOD,
        role=ROLE,
    )
    by_id = attach(facts, tg="tg-0000000000000good")
    assert by_arn.ok and by_id.ok
    assert by_arn.request == attach(facts).request == by_id.request


def test_existing_configs_are_kept(facts):
    plan = attach(facts, service="one", tg="idle-tg")
    assert plan.ok
    tgs = [c["targetGroupArn"] for c in plan.request["vpcLatticeConfigurations"]]
    assert tgs == [TG_GOOD, tg_arn("tg-0000000000000idle")]
    assert plan.diff()[0].startswith("  ") and plan.diff()[1].startswith("+ ")


def test_single_named_port_is_defaulted_when_omitted():
    inv = inventory()
    td = inv.of("task_definition")[0]["raw"]
    td["containerDefinitions"][0]["portMappings"].pop()  # only web-8080 remains named
    plan = attach(Facts.from_inventory(inv), port=None)
    assert plan.ok and plan.port.name == "web-8080"


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"cluster": "nope"}, Code.CLUSTER_NOT_FOUND),
        ({"service": "nope"}, Code.SERVICE_NOT_FOUND),
        ({"service": "edge"}, Code.EXTERNAL_LAUNCH_TYPE),
        ({"service": "plain"}, Code.NO_NAMED_PORTS),
        ({"port": "grpc"}, Code.PORT_NOT_FOUND),
        ({"port": None}, Code.PORT_NOT_FOUND),  # two named ports: must choose
        ({"tg": "nope-tg"}, Code.TG_NOT_FOUND),
        ({"tg": "inst-tg"}, Code.TG_NOT_IP),
        ({"tg": "other-vpc-tg"}, Code.VPC_MISMATCH),
        ({"tg": "arn:aws:vpc-lattice:us-east-1:999999999999:targetgroup/tg-1"}, Code.OTHER_ACCOUNT),
        ({"role": "arn:aws:iam::999999999999:role/x"}, Code.OTHER_ACCOUNT),
        ({"service": "one", "tg": "web-tg"}, Code.ALREADY_ATTACHED),
        ({"service": "full", "tg": "idle-tg"}, Code.TOO_MANY_TARGET_GROUPS),
        ({"role": "ghost"}, Code.ROLE_NOT_FOUND),
        ({"role": "lambda-role"}, Code.ROLE_NOT_TRUSTED),
        ({"writable": False}, Code.READ_ONLY),
        ({"cluster": "arn:aws:ecs:us-east-1:12:cluster/x"}, Code.MALFORMED_ARN),
        ({"service": "arn:aws:ecs:us-east-1:123456789012:task/x"}, Code.MALFORMED_ARN),
        ({"tg": "arn:aws:vpc-lattice:us-east-1:123456789012:service/svc-1"}, Code.MALFORMED_ARN),
        ({"role": "arn:aws:iam:us-east-1:123456789012:role/x"}, Code.MALFORMED_ARN),
        ({"tg": "arn:nonsense"}, Code.MALFORMED_ARN),
    ],
)
def test_bad_input_is_an_error_with_a_stable_code(facts, kwargs, code):
    plan = attach(facts, **kwargs)
    assert not plan.ok
    assert plan.errors[0].code == code, plan.errors
    line = plan.errors[0].line()
    assert "\n" not in line and line.endswith(f"[{code}]")


def test_no_named_ports_message_has_the_json_snippet(facts):
    plan = attach(facts, service="plain")
    message = plan.errors[0].message
    snippet = message[message.index("{") :]
    assert json.loads(snippet) == {
        "name": "app-80-tcp",
        "containerPort": 80,
        "hostPort": 80,
        "protocol": "tcp",
        "appProtocol": "http",
    }
    assert "'app'" in message


def test_a_role_known_to_lack_the_lattice_permissions_blocks(facts):
    plan = attach(facts, role="ecs-bare")
    assert [e.code for e in plan.errors] == [Code.ROLE_NO_LATTICE_POLICY]
    assert plan.errors[0].step == "role" and "AmazonECSInfrastructureRolePolicyForVpcLattice" in (
        plan.errors[0].fix
    )


def test_a_role_with_a_denied_policy_read_is_only_a_warning():
    inv = inventory()
    bare = f"arn:aws:iam::{ACCOUNT}:role/ecs-bare"
    inv.errors.append(LoadError("iam", "ListRolePolicies", bare, "AccessDenied", "denied"))
    plan = attach(Facts.from_inventory(inv), role="ecs-bare")
    assert plan.ok and Code.ROLE_NO_LATTICE_POLICY in {w.code for w in plan.warnings}


def test_a_not_action_allow_is_not_called_lacking():
    inv = inventory()
    role = next(r for r in inv.of("iam_role") if r["raw"]["RoleName"] == "ecs-bare")
    role["ctx"]["inlinePolicies"] = {"broad": {"Statement": [
        {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]}}
    plan = attach(Facts.from_inventory(inv), role="ecs-bare")
    assert plan.ok and Code.ROLE_NO_LATTICE_POLICY in {w.code for w in plan.warnings}


def test_warnings_do_not_block(facts):
    plan = attach(facts, service="closed", role="ecs-admin", tg="idle-tg")
    assert plan.ok
    got = {str(w.code) for w in plan.warnings}
    assert got == {
        Code.SG_NO_LATTICE_INGRESS,
        Code.ROLE_NO_LATTICE_POLICY,
        Code.TG_NOT_FORWARDED,
    }


def test_shared_target_group_warning(facts):
    plan = attach(facts)  # web-tg is also attached to services "one" and "two"
    assert plan.ok
    assert [w.code for w in plan.warnings] == [Code.TG_SHARED]
    assert "one, two" in plan.warnings[0].message


def test_health_check_port_warning(facts):
    plan = attach(facts, tg="hc-tg")
    assert plan.ok
    assert [w.code for w in unshared_warnings(plan)] == [Code.HEALTH_CHECK_PORT]


def test_inline_policy_counts_as_equivalent_permissions():
    inv = inventory()
    bare = next(r for r in inv.of("iam_role") if r["raw"]["RoleName"] == "ecs-bare")
    bare["ctx"]["inlinePolicies"] = {
        "lattice": {"Statement": [{"Effect": "Allow", "Action": "vpc-lattice:*", "Resource": "*"}]}
    }
    plan = attach(Facts.from_inventory(inv), role="ecs-bare")
    assert plan.ok and unshared_warnings(plan) == []


def test_sg_open_to_lattice_cidr_counts():
    inv = inventory()
    closed = next(r for r in inv.of("security_group") if r["raw"]["GroupId"] == "sg-closed")
    closed["raw"]["IpPermissions"].append(
        {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "169.254.0.0/16"}]}
    )
    plan = attach(Facts.from_inventory(inv), service="closed")
    assert plan.ok and unshared_warnings(plan) == []


def test_detach_one_of_two_keeps_the_other(facts):
    plan = plan_detach(facts, "shop", "two", "web-tg")
    assert plan.ok
    assert plan.request["vpcLatticeConfigurations"] == [cfg("tg-00000000000000hc")]
    assert plan.diff()[0].startswith("- ")


def test_detach_last_sends_an_explicit_empty_list(facts):
    plan = plan_detach(facts, "shop", "one", TG_GOOD)
    assert plan.ok
    assert "vpcLatticeConfigurations" in plan.request
    assert plan.request["vpcLatticeConfigurations"] == []


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("shop", "web", "web-tg"), Code.NOT_ATTACHED),
        (("shop", "one", "nope-tg"), Code.TG_NOT_FOUND),
        (("nope", "one", "web-tg"), Code.CLUSTER_NOT_FOUND),
        (("shop", "nope", "web-tg"), Code.SERVICE_NOT_FOUND),
        (("shop", "one", "arn:aws:vpc-lattice:x"), Code.MALFORMED_ARN),
    ],
)
def test_detach_bad_input(facts, args, code):
    plan = plan_detach(facts, *args)
    assert [e.code for e in plan.errors][:1] == [code]


def test_detach_read_only(facts):
    assert (
        plan_detach(facts, "shop", "one", "web-tg", writable=False).errors[0].code == Code.READ_ONLY
    )


def test_detach_by_arn_of_a_deleted_target_group(facts):
    gone = tg_arn("tg-000000000000001f")  # attached to "full" but not in the inventory
    plan = plan_detach(facts, "shop", "full", gone)
    assert plan.ok and len(plan.desired) == 4


def test_changes_since_reports_what_changed(facts):
    plan = attach(facts)
    fresh = json.loads(json.dumps(plan.context.raw))
    assert changes_since(plan.basis, fresh) == []
    fresh["taskDefinition"] = "web:4"
    fresh["deployments"][0]["vpcLatticeConfigurations"] = [cfg("tg-0000000000000idle")]
    changed = changes_since(plan.basis, fresh)
    assert [c.split(":")[0] for c in changed] == ["taskDefinition", "vpcLatticeConfigurations"]


def test_target_group_ranking_compatible_first_with_reasons(facts):
    ctx = attach(facts, service="one", tg="idle-tg").context
    ranked = rank_target_groups(facts, ctx)
    # unshared first: hc-tg already has the tasks of service "two"
    assert [c.name for c in ranked if c.compatible] == ["idle-tg", "hc-tg"]
    assert ranked[1].used_by == ["two"] and "shared with two" in ranked[1].notes
    assert "no listener/rule forwards here" in ranked[0].notes
    reasons = {c.name: c.reason for c in ranked if not c.compatible}
    assert "INSTANCE" in reasons["inst-tg"]
    assert "vpc-2" in reasons["other-vpc-tg"]
    assert "already attached" in reasons["web-tg"]


def test_role_ranking_trusting_ecs_first(facts):
    ranked = rank_roles(facts)
    assert [r.name for r in ranked] == ["ecs-lattice", "ecs-admin", "ecs-bare", "lambda-role"]
    assert "does not trust" in ranked[-1].verdict
    assert "could not be read" in ranked[1].verdict and "cannot be used" in ranked[2].verdict


def test_facts_from_graph_matches_inventory():
    from tui.model.graph import build_graph

    graph_facts = Facts.from_graph(build_graph(inventory()))
    plan = attach(graph_facts)
    assert plan.ok and plan.context.account == ACCOUNT
    assert graph_facts.forwarders[TG_GOOD]


def test_planner_is_pure_no_sdk_no_ui():
    import subprocess
    import sys

    code = (
        "import sys, tui.wizard.plan, tui.wizard.flow, tui.wizard.render;"
        "bad = [m for m in ('textual', 'aiobotocore', 'botocore', 'boto3') if m in sys.modules];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
