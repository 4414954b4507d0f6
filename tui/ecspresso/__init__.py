"""ecspresso interop: load a project and verify it against the live graph; export a live
service as a project. See project.py (loading + templates), plan.py (the planned service in
the graph), verify.py / report.py (findings + verdicts) and export.py (files + snippets).
"""

from tui.ecspresso.export import service_def_snippet, task_def_port_snippet
from tui.ecspresso.project import LatticeConfig, Project, load_project

__all__ = [
    "LatticeConfig",
    "Project",
    "load_project",
    "service_def_snippet",
    "task_def_port_snippet",
]
