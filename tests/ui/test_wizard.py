"""The attach/detach wizard walked with Pilot against the demo sandbox (real HTTP, real SDK)."""

from __future__ import annotations

import pytest
from uihelpers import SIZE, node_of, wait_for, wait_loaded

from tui.app import make_app
from tui.config import AppConfig
from tui.loading import LiveSource
from tui.sandbox import Sandbox
from tui.screens.wizard import WizardScreen, open_attach_wizard

LATTICE_ROLE = "ecsInfrastructureRoleForVpcLattice"


@pytest.fixture(scope="module")
def demo():
    with Sandbox(seed="demo", health_delay=0.3) as box:
        yield box


@pytest.fixture
def sandbox(demo):
    demo.request_log.clear()
    return demo


def live_app(box: Sandbox, **kw):
    config = AppConfig(connection=box.connection(), retry_mode="standard", max_attempts=2, **kw)
    return make_app(config, LiveSource(config))


def writes(box: Sandbox) -> list[str]:
    return [w.operation for w in box.request_log.writes()]


def wizard(app) -> WizardScreen:
    assert isinstance(app.screen, WizardScreen)
    return app.screen


async def choose(pilot, option_id: str) -> None:
    """Move the highlight with the arrow keys to ``option_id`` (as a user would)."""
    from textual.widgets import OptionList

    choices = pilot.app.screen.query_one("#wizard-choices", OptionList)
    for _ in range(choices.option_count + 1):
        hl = choices.highlighted
        if hl is not None and choices.get_option_at_index(hl).id == option_id:
            return
        await pilot.press("down")
    raise AssertionError(f"option {option_id} not reachable")


def arn_of(app, kind: str, name: str) -> str:
    return node_of(app, kind, name)


async def walk_to_review(pilot, service="recommendations", tg="recommendations-tg"):
    app = pilot.app
    open_attach_wizard(app, app.graph, arn_of(app, "ecs_service", service), app.config)
    await pilot.pause()
    screen = wizard(app)
    assert screen.state.step == "port"  # service pre-filled from the selected node
    await pilot.press("enter")  # the only named port is highlighted
    assert screen.state.step == "target_group"
    # Ranked: the unshared, same-port group named after the service comes first.
    assert screen.state.target_group == arn_of(app, "target_group", tg)
    await choose(pilot, arn_of(app, "target_group", tg))
    await pilot.press("enter")
    assert screen.state.step == "role", screen.query_one("#wizard-errors").render()
    await wait_for(pilot, lambda: len(screen.state.roles()) >= 3, what="role choices", timeout=90)
    screen.render_step()
    await choose(pilot, f"arn:aws:iam::123456789012:role/{LATTICE_ROLE}")
    await pilot.press("enter")
    assert screen.state.step == "review"
    return screen


def targets(box: Sandbox, tg_name: str) -> dict[str, str]:
    lattice = box.client("vpc-lattice")
    tg = next(t for t in lattice.list_target_groups()["items"] if t["name"] == tg_name)
    items = lattice.list_targets(targetGroupIdentifier=tg["id"])["items"]
    return {t["id"]: t["status"] for t in items}


async def test_attach_watch_healthy_then_detach_deregistered(sandbox):
    app = live_app(sandbox)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot, timeout=180)
        screen = await walk_to_review(pilot)
        review = str(screen.query_one("#wizard-review-text").render())
        assert '"vpcLatticeConfigurations"' in review and "ecspresso" in review
        assert writes(sandbox) == []
        screen.watch_timeout, screen.watch_interval = 120, 0.3
        await pilot.click("#apply")
        await wait_for(pilot, lambda: screen.verdict, timeout=120, what="the verdict")
        assert screen.verdict == "healthy"
        assert writes(sandbox) == ["UpdateService"]
        got = targets(sandbox, "recommendations-tg")
        assert got and set(got.values()) == {"HEALTHY"}
        await pilot.press("escape")
        assert not isinstance(app.screen, WizardScreen)

        # Detach: reload so the graph shows the new config, then the reverse flow.
        sandbox.request_log.clear()
        app.action_reload()
        await wait_loaded(pilot, timeout=180)
        svc = arn_of(app, "ecs_service", "recommendations")
        open_attach_wizard(app, app.graph, svc, app.config, mode="detach")
        await pilot.pause()
        screen = wizard(app)
        assert screen.state.step == "config"
        await pilot.press("enter")
        assert screen.state.step == "review"
        assert '"vpcLatticeConfigurations": []' in str(
            screen.query_one("#wizard-review-text").render()
        )
        screen.watch_timeout, screen.watch_interval = 120, 0.3
        await pilot.click("#apply")
        await wait_for(pilot, lambda: screen.verdict, timeout=120, what="the detach verdict")
        assert screen.verdict == "deregistered"
        assert set(targets(sandbox, "recommendations-tg").values()) <= {"DRAINING"}
        assert writes(sandbox) == ["UpdateService"]


async def test_incompatible_choices_are_greyed_and_next_is_validated(sandbox):
    app = live_app(sandbox)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot, timeout=180)
        open_attach_wizard(app, app.graph, None, app.config)
        await pilot.pause()
        screen = wizard(app)
        assert screen.state.step == "service"
        await choose(pilot, arn_of(app, "ecs_service", "billing-worker"))
        await pilot.press("enter")
        assert screen.state.step == "port"  # no named port: the error shows at once
        await pilot.click("#next")
        assert screen.state.step == "port"
        assert '"name": "app-8080-tcp"' in str(screen.query_one("#wizard-errors").render())
        await pilot.click("#back")
        await choose(pilot, arn_of(app, "ecs_service", "notifications"))
        await pilot.press("enter")
        await pilot.press("enter")
        assert screen.state.step == "target_group"
        from textual.widgets import OptionList

        choices = screen.query_one("#wizard-choices", OptionList)
        options = [choices.get_option_at_index(i) for i in range(choices.option_count)]
        alb = next(o for o in options if o.id == arn_of(app, "target_group", "search-alb-tg"))
        assert alb.disabled and "ALB" in str(alb.prompt)
        first_disabled = next(i for i, o in enumerate(options) if o.disabled)
        assert all(o.disabled for o in options[first_disabled:])  # compatible ones first
        await pilot.press("escape")
        assert not isinstance(app.screen, WizardScreen)
    assert writes(sandbox) == []


async def test_read_only_disables_apply_with_the_reason(sandbox):
    app = live_app(sandbox, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot, timeout=180)
        screen = await walk_to_review(pilot, service="notifications", tg="notifications-tg")
        apply_btn = screen.query_one("#apply")
        assert apply_btn.disabled and "read-only" in str(apply_btn.tooltip)
        assert "Apply is disabled" in str(screen.query_one("#wizard-info").render())
        await pilot.click("#apply")
        await pilot.pause()
        assert screen.state.step == "review"
    assert writes(sandbox) == []


async def test_service_changed_since_planning_stops_and_says_what(
    sandbox, change_task_definition
):
    app = live_app(sandbox)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot, timeout=180)
        screen = await walk_to_review(pilot, service="notifications", tg="notifications-tg")
        change_task_definition("shop-prod", "notifications", "notifications")
        await pilot.click("#apply")
        await wait_for(pilot, lambda: screen.verdict, timeout=90, what="the refusal")
        text = str(screen.query_one("#wizard-errors").render())
        assert "changed since planning" in text and "taskDefinition" in text
    assert writes(sandbox) == []


async def test_wizard_footer_shows_its_own_keys_and_they_work(sandbox):
    from textual.widgets import Footer

    app = live_app(sandbox)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot, timeout=180)
        svc = arn_of(app, "ecs_service", "notifications")
        open_attach_wizard(app, app.graph, svc, app.config)
        await pilot.pause()
        screen = wizard(app)
        footer = screen.query_one(Footer)
        keys = {b.binding.description for b in screen.active_bindings.values()
                if b.enabled and b.binding.show}
        assert {"Cancel", "Next", "Back"} <= keys and footer.display
        assert screen.state.step == "port"
        await pilot.press("ctrl+o")
        assert screen.state.step == "service"
        await pilot.press("ctrl+n")
        assert screen.state.step == "port"
        await pilot.press("escape")
    assert writes(sandbox) == []
