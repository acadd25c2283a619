"""The classroom's command line: class init, instructor, --class (no interface started)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tui_workshop import __main__ as cli
from tui_workshop.course import classroom as cr


@pytest.fixture(autouse=True)
def no_site_class(monkeypatch, tmp_path: Path) -> None:
    """Neither the environment nor a real config file names a class."""
    monkeypatch.delenv(cr.CLASS_ENV, raising=False)
    monkeypatch.setattr(cr, "SITE_CONFIG", tmp_path / "no-site.toml")
    monkeypatch.setattr(cr, "user_config_file", lambda: tmp_path / "no-user.toml")


def test_class_init_prints_the_students_line(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "class"
    assert cli.main(["class", "init", str(folder)]) == 0
    out = capsys.readouterr().out
    assert f"tui-workshop --class {folder}" in out
    assert f"tui-workshop instructor --class {folder}" in out
    assert stat.S_IMODE(os.stat(folder / "students").st_mode) == 0o1777


def test_class_init_refuses_a_used_folder(tmp_path: Path, capsys) -> None:
    (tmp_path / "notes.txt").write_text("x")
    assert cli.main(["class", "init", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "not empty" in err and len(err.strip().splitlines()) == 1


def test_instructor_needs_a_class_folder(tmp_path: Path, capsys) -> None:
    assert cli.main(["instructor"]) == 2
    assert "no class folder" in capsys.readouterr().err
    assert cli.main(["instructor", "--class", str(tmp_path)]) == 2
    assert "is not a class folder" in capsys.readouterr().err


def test_class_option_and_environment(tmp_path: Path, monkeypatch) -> None:
    info = cr.init_class(tmp_path / "class")
    args = cli.build_parser().parse_args(["--class", str(info.folder)])
    assert cli._class_info(args).folder == info.folder
    monkeypatch.setenv(cr.CLASS_ENV, str(info.folder))
    assert cli._class_info(cli.build_parser().parse_args([])).folder == info.folder
    monkeypatch.setenv(cr.CLASS_ENV, str(tmp_path / "missing"))
    with pytest.raises(cli.UsageError):
        cli._class_info(cli.build_parser().parse_args([]))
    monkeypatch.delenv(cr.CLASS_ENV)
    assert cli._class_info(cli.build_parser().parse_args([])) is None
