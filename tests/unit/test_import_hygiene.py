"""The layers below the UI never import the TUI libraries; the course loads without NumPy.

Every module is imported (packages are walked: lazy loading would hide
modules from a plain package import), each check in a fresh interpreter.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORE_PACKAGES = (
    "tui_workshop.nn",
    "tui_workshop.experiments",
    "tui_workshop.course",
    "tui_workshop.i18n",
)
TUI_LIBRARIES = ("textual", "rich", "plotext", "textual_plotext", "tui_workshop.ui")

WALK = """
import importlib, json, pkgutil, sys

packages, forbidden = json.loads(sys.argv[1]), json.loads(sys.argv[2])

def bad():
    return {m for m in sys.modules if m.split(".")[0] in forbidden or m in forbidden
            or any(m.startswith(f + ".") for f in forbidden)}

imported, culprits, errors = [], {}, {}
def visit(name):
    before = bad()
    try:
        module = importlib.import_module(name)
    except Exception as exc:
        errors[name] = f"{type(exc).__name__}: {exc}"
        return
    imported.append(name)
    new = bad() - before
    if new:
        culprits[name] = sorted(new)[:5]
    for info in pkgutil.iter_modules(getattr(module, "__path__", []), name + "."):
        visit(info.name)

for package in packages:
    visit(package)
print(json.dumps({"imported": imported, "culprits": culprits, "errors": errors}))
"""


def run_python(code: str, *args: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_every_core_module_imports_without_textual_rich_or_plotext():
    report = json.loads(
        run_python(WALK, json.dumps(CORE_PACKAGES), json.dumps(TUI_LIBRARIES)).splitlines()[-1]
    )
    assert report["errors"] == {}
    culprits = [f"{m} imports {', '.join(new)}" for m, new in report["culprits"].items()]
    assert culprits == []
    imported = set(report["imported"])
    # The walk reached the subpackages and leaf modules, not only the packages.
    assert {
        "tui_workshop.nn.mlp",
        "tui_workshop.experiments.specs",
        "tui_workshop.experiments.specs.welcome",
        "tui_workshop.experiments.welcome",
        "tui_workshop.course.loader",
        "tui_workshop.i18n.pseudo",
        "tui_workshop.i18n.extract",
    } <= imported
    package_files = [
        p
        for package in CORE_PACKAGES
        for p in (ROOT / package.replace(".", "/")).rglob("*.py")
        if "__pycache__" not in p.parts
    ]
    assert len(imported) == len(package_files)


LOAD_COURSE = """
import json, sys
from tui_workshop.course.loader import find_lessons_dir, load_course
course = load_course(find_lessons_dir("en"))
heavy = sorted(m for m in ("numpy", "textual", "rich", "plotext") if m in sys.modules)
print(json.dumps({"lessons": len(course.lessons), "heavy": heavy}))
"""


def test_loading_the_shipped_course_imports_neither_numpy_nor_the_tui():
    report = json.loads(run_python(LOAD_COURSE).splitlines()[-1])
    assert report["heavy"] == []
    assert report["lessons"] == len(list((ROOT / "lessons" / "en").glob("[0-9][0-9]-*.md")))


def test_tests_import_the_project_plainly():
    """``pytest.importorskip`` of our own modules would turn a broken import into a skip."""
    pattern = re.compile(r"importorskip\(\s*['\"]tui_workshop")
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "tests").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []


def test_blas_defaults_to_one_thread_and_can_be_overridden():
    code = "import os, tui_workshop; print(os.environ['OPENBLAS_NUM_THREADS'])"
    env_default = {k: v for k, v in os.environ.items() if "NUM_THREADS" not in k}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env_default, check=True
    )
    assert out.stdout.strip() == "1"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**env_default, "OPENBLAS_NUM_THREADS": "4"},
        check=True,
    )
    assert out.stdout.strip() == "4"
