"""`diary` never imports or loads anything from `reports` (STYLE: reports may import diary)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

DIARY = Path(__file__).resolve().parents[2] / "diary"
# A whole string that names the app or something in it: "reports", "reports.ShareLink",
# "reports.summary" — as apps.get_model, ForeignKey, import_module or a migration take it.
REPORTS_NAME = re.compile(r"reports(\.\w+)*")


def reaches_reports(source: str) -> list[str]:
    """Each import of `reports`, and each string naming it, in a module's source."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names = [node.value] if REPORTS_NAME.fullmatch(node.value) else []
        else:
            continue
        found += [f"line {node.lineno}: {name}" for name in names if REPORTS_NAME.fullmatch(name)]
    return found


@pytest.mark.parametrize(
    "source",
    [
        "import reports",
        "import reports.summary as summary",
        "from reports import emails",
        "from reports.models import ShareLink",
        "ShareLink = apps.get_model('reports', 'ShareLink')",
        "link = models.ForeignKey('reports.ShareLink', on_delete=models.CASCADE)",
        "module = importlib.import_module('reports.summary')",
    ],
)
def test_the_scan_catches_each_way_of_reaching_reports(source):
    assert reaches_reports(source)


@pytest.mark.parametrize(
    "source",
    [
        "from diary import reports_helper",
        '"""Red flags: symptoms the patient reports directly."""',
        "label = 'weekly reports.'",
        "template = 'reports/summary.html'",
    ],
)
def test_the_scan_leaves_ordinary_words_alone(source):
    assert not reaches_reports(source)


def test_no_diary_module_imports_or_loads_reports():
    modules = sorted(DIARY.rglob("*.py"))
    assert len(modules) > 30  # the scan really walked the package
    offences = {
        str(path.relative_to(DIARY.parent)): hits
        for path in modules
        if (hits := reaches_reports(path.read_text(encoding="utf-8")))
    }
    assert offences == {}


def _imported(source: str) -> list[str]:
    modules = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.append(node.module)
    return modules


def test_the_web_forms_sit_below_the_api():
    # The forms check by diary.validation; importing the API would put the web under DRF.
    offences = {
        str(path.relative_to(DIARY.parent)): module
        for path in sorted((DIARY / "forms").rglob("*.py"))
        for module in _imported(path.read_text(encoding="utf-8"))
        if module.split(".")[:2] == ["diary", "api"] or module.startswith("rest_framework")
    }
    assert offences == {}
