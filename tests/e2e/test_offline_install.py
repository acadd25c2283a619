"""Offline install: a wheelhouse built once, installed with --no-index into a fresh venv.

The wheelhouse is built with ``pip wheel`` from this checkout, through the
package index pip already reaches here (as a connected machine would). The
install then runs with every pip configuration file and variable cleared
(``PIP_CONFIG_FILE=/dev/null``) and ``--no-index --find-links WHEELHOUSE``: only
the wheelhouse can provide packages, as in a lab without internet.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

ROOT = Path(__file__).resolve().parents[2]


def run(command: list[str], env: dict[str, str] | None = None, timeout: float = 900) -> str:
    result = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def offline_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env.update(PIP_CONFIG_FILE=os.devnull, HOME=str(tmp_path / "home"), PYTHONPATH="")
    env.pop("VIRTUAL_ENV", None)
    return env


def test_wheelhouse_installs_without_an_index(tmp_path: Path) -> None:
    wheelhouse = tmp_path / "wheelhouse"
    run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--wheel-dir", str(wheelhouse), str(ROOT)]
    )
    names = {path.name.split("-")[0].lower() for path in wheelhouse.glob("*.whl")}
    assert {"tui_workshop", "textual", "numpy", "rich", "plotext", "platformdirs"} <= names

    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", str(venv)])
    python = venv / "bin" / "python"
    env = offline_env(tmp_path)
    run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-index",
            "--find-links",
            str(wheelhouse),
            "tui-workshop",
        ],
        env=env,
    )
    listing = run([str(venv / "bin" / "tui-workshop"), "--list"], env=env, timeout=120)
    assert "playground" in listing and "19 lessons" in listing
