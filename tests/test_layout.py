"""The root app and core name no feature app: not by import, not in a string.

`buildings` (the root: who lives where, who may do what) and `core` (infrastructure) are
below every feature app. A feature app tells them what they need to know through
registrations (buildings.extensions, buildings.notify.register_kinds, core.registry) and
modules found by name (buildings.extensions.feature_modules); see docs/architecture.md.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BELOW_FEATURES = ("buildings", "core")
FEATURE_APPS = ("proposals", "funds", "activities", "gardens", "dashboard", "outbox")
# An app's name as code uses it: the bare label, or followed by "." (a module or a
# permission), ":" (a URL name), "_" (a table) or "/" (a path or a template).
_APPS = "|".join(FEATURE_APPS)
NAMES_APP = re.compile(rf"^(?:{_APPS})$|\b(?:{_APPS})[.:_/]")
# (path, the name or string): why it may stay. Empty means the rule holds without exceptions.
ALLOWED: dict[tuple[str, str], str] = {}
MAX_LINES = 500


def modules():
    for package in BELOW_FEATURES:
        yield from sorted((ROOT / package).rglob("*.py"))


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)


def violations(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if NAMES_APP.search(node.value):
                found.append((node.lineno, "names a feature app", node.value))
            continue
        else:
            continue
        for name in names:
            if name.split(".")[0] in FEATURE_APPS:
                found.append((node.lineno, "imports", name))
    return [
        f"line {line}: {what} {text!r}"
        for line, what, text in sorted(found)
        if (relative(path), text) not in ALLOWED
    ]


@pytest.mark.parametrize("path", list(modules()), ids=relative)
def test_root_and_core_name_no_feature_app(path):
    assert violations(path) == []


def every_module():
    for package in (*BELOW_FEATURES, *FEATURE_APPS, "config", "bench"):
        yield from sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("path", list(every_module()), ids=relative)
def test_no_module_over_500_lines_without_a_reason(path):
    text = path.read_text(encoding="utf-8")
    if "/migrations/" in relative(path) or text.count("\n") <= MAX_LINES:
        return
    docstring = ast.get_docstring(ast.parse(text)) or ""
    assert "Longer than 500 lines" in docstring, (
        f"{relative(path)} has {text.count(chr(10))} lines: split it, or say why not "
        "in its docstring ('Longer than 500 lines because ...')."
    )


ROOT_TEMPLATES = ["base.html", "partials", "buildings", "registration"]
URL_OF_FEATURE = re.compile(rf"""{{% url ['"](?:{_APPS}):""")


def root_templates():
    for name in ROOT_TEMPLATES:
        path = ROOT / "templates" / name
        yield from [path] if path.is_file() else sorted(path.rglob("*.html"))


@pytest.mark.parametrize("path", list(root_templates()), ids=relative)
def test_root_templates_link_to_no_feature_url(path):
    """The root's pages reach feature pages through registered links, not URL names."""
    assert URL_OF_FEATURE.findall(path.read_text(encoding="utf-8")) == []


def test_the_check_catches_a_root_to_feature_import_and_string(tmp_path):
    """The rule fails on what it is meant to catch (and passes prose)."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from proposals.models import Poll\n"
        "import funds.services\n"
        'URL = "dashboard:home"\n'
        'PERMISSION = "proposals.view_ballot"\n'
        'TABLE = "activities_activity"\n'
        'APP = "outbox"\n'
        'TEXT = "Residents raise funds and hold activities together"\n'
    )
    found = violations(sample)
    assert [problem.split(":")[0] for problem in found] == [
        f"line {n}" for n in range(1, 7)
    ]
    assert URL_OF_FEATURE.findall("{% url 'funds:index' building.pk %}")
    assert not URL_OF_FEATURE.findall("{% url 'buildings:todo' building.pk %}")
