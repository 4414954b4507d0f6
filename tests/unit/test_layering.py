"""The layering in DESIGN.md holds: the model is pure, widgets never import tui."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _modules_loaded_by(import_line: str) -> set[str]:
    code = f"import sys; {import_line}; print('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return {line.split(".")[0] for line in out.stdout.splitlines()}


def test_model_and_doctor_load_no_ui_and_no_sdk():
    loaded = _modules_loaded_by("import tui.model.graph, tui.model.paths, tui.doctor")
    assert "textual" not in loaded
    assert "aiobotocore" not in loaded
    assert "botocore" not in loaded


def test_import_contracts_hold():
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint_imports, "import-linter is a dev dependency; install with pip install -e '.[dev]'"
    result = subprocess.run([lint_imports], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
