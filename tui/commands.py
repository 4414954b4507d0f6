"""Command palette (ctrl+p): find any resource by name (fuzzy), and the app's actions."""

from __future__ import annotations

from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.screens.nodeinfo import KIND_TAG, name_of

ACTIONS = [
    ("Target health (unhealthy first)", "screen.view('health')", "every target, worst first"),
    ("Load errors", "screen.view('errors')", "every failed API call"),
    ("Doctor findings (errors first)", "screen.view('findings')", "what breaks traffic + the fix"),
    ("Attach ECS service to Lattice…", "app.attach", "wizard: vpcLatticeConfigurations"),
    ("Detach ECS service from Lattice…", "app.detach", "wizard: remove a Lattice config"),
    ("Verify ecspresso config…", "app.prompt_verify", "plan an ecspresso service, run the doctor"),
    ("Resource tree", "screen.view('tree')", "service networks, clusters, VPCs"),
    ("Reload", "app.reload", "crawl the account again"),
    ("Save snapshot", "app.save_snapshot", "write the current graph to a JSON file"),
    ("Switch profile", "app.pick_profile", "pick an AWS profile and reload"),
    ("Switch region", "app.pick_region", "pick a region and reload"),
    ("Help", "app.help", "every key binding"),
]


class NodeSearchProvider(Provider):
    """Resources by name, id or kind tag (``tg api``); choosing one jumps there."""

    def _graph(self) -> Any:
        return getattr(self.app, "graph", None)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, action, help_text in ACTIONS:
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score, matcher.highlight(title), partial(self._run, action), help=help_text
                )
        graph = self._graph()
        if graph is None:
            return
        count = 0
        for node, kind in graph.nodes(data="kind"):
            text = f"{KIND_TAG.get(kind, kind)} {name_of(graph, node)}"
            score = matcher.match(text)
            if score > 0:
                yield Hit(
                    score * 0.9,
                    matcher.highlight(text),
                    partial(self._jump, node),
                    text=text,
                    help=node,
                )
                count += 1
                if count >= 400:
                    return

    async def discover(self) -> Hits:
        for title, action, help_text in ACTIONS:
            yield DiscoveryHit(title, partial(self._run, action), help=help_text)

    async def _run(self, action: str) -> None:
        await self.app.run_action(action)

    def _jump(self, node: str) -> None:
        jump = getattr(self.screen, "jump", None) or getattr(self.app.screen, "jump", None)
        if jump is not None:
            jump(node)
