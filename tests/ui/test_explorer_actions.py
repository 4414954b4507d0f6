"""Explorer actions that open other parts: `a`/`d` → the attach/detach wizard (sandbox-backed
app, and a snapshot where Apply is disabled), and `:verify PATH` with an ecspresso project
built from the demo snapshot's own ids."""

from __future__ import annotations

import json

from uihelpers import SIZE, node_of, snapshot_app, wait_for, wait_loaded

from tui.screens.wizard import WizardScreen


def live_app(box):
    from tui.app import make_app
    from tui.config import AppConfig
    from tui.loading import LiveSource

    config = AppConfig(connection=box.connection(), retry_mode="standard", max_attempts=2)
    return make_app(config, LiveSource(config))


async def test_a_opens_attach_on_the_ecs_service_d_detach_and_an_apply_reloads(sandbox):
    sandbox.reset("demo")
    sandbox.request_log.clear()  # the seed's own writes
    app = live_app(sandbox)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot, timeout=180)
        screen = app.screen
        svc = node_of(app, "ecs_service", "recommendations")
        screen.jump(svc)
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, WizardScreen), 10, "the wizard")
        wizard = app.screen
        assert wizard.state.mode == "attach" and wizard.state.service_arn == svc
        assert wizard.state.step == "port" and wizard.state.writable
        await pilot.press("escape")  # cancel: no write, no reload
        assert app.screen is screen
        orders = node_of(app, "ecs_service", "orders")
        screen.jump(orders)
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, WizardScreen), 10, "the wizard")
        assert app.screen.state.mode == "detach" and app.screen.state.service_arn == orders
        generation = app.generation
        app.screen.dismiss(True)  # what the wizard does when it has applied a change
        await wait_for(pilot, lambda: app.generation > generation, 10, "the reload")
        await wait_loaded(pilot, timeout=180)
        assert app.screen is screen
    assert [w.operation for w in sandbox.request_log.writes()] == []


async def test_snapshot_mode_wizard_opens_from_a_target_group_with_apply_disabled():
    from textual.widgets import Button

    app = snapshot_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        tg = node_of(app, "target_group", "recommendations-tg")
        app.screen.jump(tg)
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, WizardScreen), 10, "the wizard")
        wizard = app.screen
        state = wizard.state
        assert state.target_group == tg and not state.writable
        assert "snapshot" in state.why_read_only
        state.service_arn = node_of(app, "ecs_service", "recommendations")
        state.port_name = "web"
        state.role = "arn:aws:iam::123456789012:role/ecsInfrastructureRoleForVpcLattice"
        state.index = state.steps.index("review")
        wizard.render_step()
        await pilot.pause()
        assert state.plan().ok  # a valid plan, and still Apply cannot be pressed
        apply_btn = wizard.query_one("#apply", Button)
        assert apply_btn.display and apply_btn.disabled
        assert "snapshot" in str(apply_btn.tooltip)
        await pilot.click("#apply")
        assert state.step == "review"


def _project(tmp_path, app, target_groups: list[str]):
    """An ecspresso project for the demo's `notifications` service, with the snapshot's ids."""
    svc = app.graph.nodes[node_of(app, "ecs_service", "notifications")]["raw"]
    role = "arn:aws:iam::123456789012:role/ecsInfrastructureRoleForVpcLattice"
    service_def = {
        "desiredCount": 2,
        "launchType": "FARGATE",
        "networkConfiguration": svc["networkConfiguration"],
        "vpcLatticeConfigurations": [
            {"portName": "http", "roleArn": role, "targetGroupArn": node_of(app, "target_group", t)}
            for t in target_groups
        ],
    }
    task_def = {
        "family": "notifications",
        "networkMode": "awsvpc",
        "requiresCompatibilities": ["FARGATE"],
        "cpu": "256",
        "memory": "512",
        "containerDefinitions": [
            {
                "name": "app",
                "image": "shop/notifications:1.5.0",
                "essential": True,
                "portMappings": [{"name": "http", "containerPort": 8080, "protocol": "tcp"}],
            }
        ],
    }
    (tmp_path / "ecs-service-def.json").write_text(json.dumps(service_def))
    (tmp_path / "ecs-task-def.json").write_text(json.dumps(task_def))
    config = tmp_path / "ecspresso.yml"
    config.write_text(
        "region: us-east-1\ncluster: shop-prod\nservice: notifications\n"
        "service_definition: ecs-service-def.json\ntask_definition: ecs-task-def.json\n"
    )
    return config


async def test_verify_places_the_planned_service_with_findings_and_verdicts(tmp_path):
    app = snapshot_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        screen = app.screen
        config = _project(tmp_path, app, ["notifications-tg", "search-alb-tg"])
        await pilot.press("colon", *f"verify {config}", "enter")
        await wait_for(pilot, lambda: app.report is not None, 30, "the verify")
        await wait_loaded(pilot)
        plan = app.report.plan
        node = app.graph.nodes[plan.service_id]
        assert node["planned"] and app.graph is plan.graph
        # In the tree, on the planned service, marked; the Findings tab shows its findings.
        assert screen.tree.current_id == plan.service_id
        assert "◆ planned" in str(screen.tree.cursor_node.label)
        assert screen.detail.active == "tab-findings"
        body = screen.query_one("#findings-body").plain
        assert "ecs-tg-not-ip" in body  # search-alb-tg is an ALB target group
        # The verdict lines: one per Lattice config.
        notes = [n.message for n in app._notifications]
        verdicts = next(n for n in notes if "FAIL" in n)
        assert "http → search-alb-tg (tg-bd050d53-e917-45b): FAIL: ecs-tg-not-ip" in verdicts
        assert "http → notifications-tg (tg-7b4108a9-3434-4e5): OK" in verdicts.splitlines()
        assert "planned: notifications" in screen.query_one("#header").plain
        # The live graph is untouched; `:verify off` brings it back.
        assert not app.live_graph.nodes[plan.service_id].get("planned")
        await pilot.press("colon", *"verify off", "enter")
        await wait_loaded(pilot)
        assert app.graph is app.live_graph and app.project is None
        assert "planned" not in screen.query_one("#header").plain


async def test_verify_bad_path_and_bad_config_one_line_no_crash(tmp_path):
    app = snapshot_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        graph = app.graph
        await pilot.press("colon", *f"verify {tmp_path}/nope.yml", "enter")
        await wait_loaded(pilot)
        bad = tmp_path / "bad"
        bad.mkdir()
        (bad / "ecspresso.yml").write_text(
            "cluster: shop-prod\nservice: x\nservice_definition: s.json\ntask_definition: t.json\n"
        )
        (bad / "s.json").write_text("{}")
        (bad / "t.json").write_text("{ not json")
        await pilot.press("colon", *f"verify {bad}", "enter")  # a directory: its ecspresso.yml
        await wait_loaded(pilot)
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert len(errors) == 2, errors
        assert "nope.yml" in errors[0] and "\n" not in errors[0]
        assert "malformed JSON" in errors[1] and "\n" not in errors[1]
        assert app.graph is graph and app.project is None and app.is_running


async def test_palette_verify_action_prefills_the_prompt():
    app = snapshot_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"verify ecspresso")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        prompt = app.screen.query_one("#prompt")
        assert prompt.has_focus and prompt.value == "verify "
