"""`diary` never imports `reports` (issue 10): the alert path crosses apps only by a signal."""

from __future__ import annotations

import ast
from pathlib import Path

DIARY = Path(__file__).resolve().parents[2] / "diary"


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_no_diary_module_imports_reports() -> None:
    offenders = {
        str(path.relative_to(DIARY.parent)): sorted(
            m for m in _imported_modules(path) if m == "reports" or m.startswith("reports.")
        )
        for path in DIARY.rglob("*.py")
    }
    assert {path: mods for path, mods in offenders.items() if mods} == {}


def test_the_check_sees_a_late_import_inside_a_function(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from reports.alerts import deliveries_queue\n")
    assert "reports.alerts" in _imported_modules(module)
