"""The wizard's step machine (pure): validated before Next, Back keeps answers."""

from __future__ import annotations

from wizard_data import ECS, ROLE, TG_GOOD, inventory, tg_arn

from tui.wizard.facts import Facts
from tui.wizard.flow import WizardState

WEB = f"{ECS}:service/shop/web"


def state(**kw) -> WizardState:
    return WizardState(Facts.from_inventory(inventory()), **kw)


def test_walk_attach_validating_each_step():
    s = state()
    assert [e.code for e in s.next()] == ["service_not_found"] and s.step == "service"
    s.service_arn = f"{ECS}:service/shop/edge"
    assert [e.code for e in s.next()] == ["external_launch_type"]
    s.service_arn = WEB
    assert s.next() == [] and s.step == "port"
    assert [p.name for p in s.ports()] == ["web-8080", "metrics"]
    assert [e.code for e in s.next()] == ["port_not_found"]  # two ports: choose one
    s.port_name = "web-8080"
    assert s.next() == [] and s.step == "target_group"
    s.target_group = tg_arn("tg-0000000000000inst")
    assert [e.code for e in s.next()] == ["target_group_not_ip"]
    s.target_group = TG_GOOD
    assert s.next() == [] and s.step == "role"
    s.role = "lambda-role"
    assert [e.code for e in s.next()] == ["role_not_trusted"]
    s.role = ROLE
    assert s.next() == [] and s.step == "review"
    assert s.plan().ok and s.plan().request["vpcLatticeConfigurations"][0]["portName"] == "web-8080"
    assert s.next() == [] and s.step == "apply"


def test_back_keeps_answers():
    s = state(service_arn=WEB, port_name="web-8080", target_group=TG_GOOD, role=ROLE, index=4)
    s.back()
    s.back()
    assert s.step == "target_group" and s.target_group == TG_GOOD and s.role == ROLE
    s.next()
    s.next()
    assert s.step == "review" and s.plan().ok


def test_no_named_port_blocks_the_port_step_with_the_snippet():
    s = state(service_arn=f"{ECS}:service/shop/plain", index=1)
    errors = s.next()
    assert [e.code for e in errors] == ["no_named_ports"] and '"name": "app-80-tcp"' in errors[
        0
    ].message


def test_preselect_from_nodes():
    s = state()
    s.preselect(TG_GOOD, "target_group")
    assert s.target_group == TG_GOOD and not s.service_arn
    s.preselect(WEB, "ecs_service")
    assert s.service_arn == WEB


def test_detach_flow_and_choices():
    s = state(mode="detach")
    s.service_arn = f"{ECS}:service/shop/two"
    assert s.next() == [] and s.step == "config"
    assert len(s.attached()) == 2
    assert [e.code for e in s.next()] == ["target_group_not_found"]
    s.target_group = TG_GOOD
    assert s.next() == [] and s.step == "review"
    assert len(s.plan().request["vpcLatticeConfigurations"]) == 1


def test_services_listed_by_cluster():
    labels = [label for _, label in state().services()]
    assert "shop/web" in labels and labels == sorted(labels)


def test_detach_of_a_service_with_no_lattice_config_stops_at_the_service_step():
    s = state(mode="detach", service_arn=WEB)
    errors = s.next()
    assert s.step == "service" and [e.code for e in errors] == ["not_attached"]
    assert "no VPC Lattice configuration" in errors[0].message
