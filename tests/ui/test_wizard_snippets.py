"""The review step's ecspresso snippets can be saved to a file (snapshot mode: no AWS needed)."""

from __future__ import annotations

import json

from uihelpers import node_of, snapshot_app, wait_loaded

from tui.screens.wizard import open_attach_wizard


async def test_review_snippets_are_saved_to_a_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = snapshot_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_loaded(pilot)
        service = node_of(app, "ecs_service", "recommendations")
        open_attach_wizard(app, app.graph, service, app.config)
        await pilot.pause()
        for _ in range(3):  # port -> target group -> role -> review, ranked defaults
            await pilot.press("enter")
            await pilot.pause()
        assert app.screen.state.step == "review"
        await pilot.click("#save")
        await pilot.pause()
        saved = tmp_path / "recommendations-vpc-lattice-snippets.json"
        assert app.screen.saved_snippets == saved
        snippets = json.loads(saved.read_text())
    config = snippets["ecs-service-def.json"]["vpcLatticeConfigurations"][0]
    assert config["portName"] == "web"
    assert config["targetGroupArn"].startswith("arn:aws:vpc-lattice")
    assert config["roleArn"].endswith("role/ecsInfrastructureRoleForVpcLattice")
    mapping = snippets["ecs-task-def.json"]["containerDefinitions"][0]["portMappings"][0]
    assert mapping == {**mapping, "name": "web", "containerPort": 8080}
