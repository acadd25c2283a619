"""The engine, experiments and course layers never import the TUI libraries."""

import subprocess
import sys

CODE = """
import sys
import tui_workshop.nn, tui_workshop.experiments, tui_workshop.course
from tui_workshop.nn import activations, losses, mlp, optim, train
bad = sorted(m for m in ("textual", "rich", "plotext") if m in sys.modules)
print(",".join(bad))
"""


def test_core_layers_do_not_import_textual_rich_or_plotext():
    result = subprocess.run(
        [sys.executable, "-c", CODE], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == ""


def test_blas_defaults_to_one_thread_and_can_be_overridden():
    code = "import os, tui_workshop; print(os.environ['OPENBLAS_NUM_THREADS'])"
    env_default = {k: v for k, v in __import__("os").environ.items() if "NUM_THREADS" not in k}
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
