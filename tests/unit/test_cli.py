"""The command line (``tui-workshop`` / ``python -m tui_workshop``)."""

from __future__ import annotations

import argparse
import inspect
import os
import re
import subprocess
import sys
import types
from pathlib import Path
from typing import ClassVar

import pytest

from tui_workshop import __main__ as cli
from tui_workshop import __version__, i18n
from tui_workshop.experiments import REGISTRY, Experiment
from tui_workshop.experiments.schema import Bool, Choice, Float, Int

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
OK = FIXTURES / "lessons_ok" / "en"
BAD = FIXTURES / "lessons_bad" / "en"
ROOT = Path(__file__).resolve().parents[2]


class FixtureExperiment(Experiment):
    name = "fixture"
    SCHEMA: ClassVar = {
        "lr": Float(0.1, 0.0001, 100.0, label="learning rate"),
        "layers": Int(1, 0, 8, label="layers"),
        "dataset": Choice("circle", ("circle", "xor"), label="data set"),
        "noisy": Bool(False, label="noisy"),
        "w1": Float(0.5, -5.0, 5.0, label="w1"),
    }


@pytest.fixture(autouse=True)
def fixture_experiment(monkeypatch, tmp_path):
    monkeypatch.setitem(REGISTRY, "fixture", FixtureExperiment)
    monkeypatch.setenv("TUI_WORKSHOP_STATE_DIR", str(tmp_path / "state"))
    # the CLI follows LC_ALL / LC_MESSAGES / LANG: these tests read its English
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    yield
    i18n.set_language("en")


@pytest.fixture
def fake_app(monkeypatch):
    """A stand-in for tui_workshop.ui.app that records how it was called."""
    calls = []
    module = types.ModuleType("tui_workshop.ui.app")

    def run_app(course, store, start_lesson=None):
        calls.append((course, store, start_lesson))
        return 7

    module.run_app = run_app
    monkeypatch.setitem(sys.modules, "tui_workshop.ui.app", module)
    return calls


def test_list(capsys):
    assert cli.main(["--lessons", str(OK), "--list"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["1", "first", "10", "min", "A", "first", "lesson"]
    assert out[1].split()[:3] == ["2", "second", "15"]
    assert out[2].split()[:2] == ["10", "extra"] and out[2].endswith("(optional)")
    assert out[3] == "3 lessons; core 25 min, optional 5 min"


def test_list_shows_the_parts_the_break_and_the_discussion(capsys):
    assert cli.main(["--list"]) == 0  # the shipped course
    out = capsys.readouterr().out.splitlines()
    headings = [line for line in out if line.startswith("Part ")]
    assert [h.split(" (")[0] for h in headings] == [
        "Part 1: Theory with applied examples", "Part 2: Guided practice",
        "Part 3: Exercises and limits",
    ]
    break_line = next(i for i, line in enumerate(out) if line.split()[:2] == ["--", "break"])
    assert out[break_line + 1].startswith("Part 3")  # the break comes between parts 2 and 3
    assert out[-3].split()[:3] == ["--", "discussion", "15"]
    assert out[-1].startswith("plan: core lessons, break and discussion")
    assert out[-1].endswith("of 2 h 30 min")
    assert all(len(line) <= 100 for line in out)


def test_list_reports_lesson_errors(capsys):
    assert cli.main(["--lessons", str(BAD), "--list"]) == 1
    err = capsys.readouterr().err
    assert "01-no-front.md:1: missing front matter" in err
    assert "tui-workshop check" in err


def test_check_ok(capsys):
    assert cli.main(["check", str(OK)]) == 0
    out = capsys.readouterr().out
    assert out.strip() == f"{OK}: 3 lesson file(s), no problems"


def test_check_bad_prints_file_line_message(capsys):
    assert cli.main(["check", str(BAD)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert f"{BAD / '03-bad-toml.md'}:7: invalid TOML: Unclosed array (at end of document)" in lines
    assert f"{BAD / '06-exercises.md'}:41: duplicate exercise id 'e' (also at line 35)" in lines
    problems = [line for line in lines if ".md:" in line]
    assert lines[-1] == f"{BAD}: {len(problems)} problem(s) in 11 lesson file(s)"


def test_check_a_folder_of_languages(capsys):
    assert cli.main(["check", str(OK.parent)]) == 0
    out = capsys.readouterr().out.splitlines()
    pt = str(OK.parent / "pt-BR")
    assert [line.split(":")[0] for line in out] == [str(OK), pt, pt]
    assert out[-1] == f"{pt}: the same structure as {OK}"


def test_check_reports_structural_differences_with_file_and_line(capsys, tmp_path):
    import shutil

    shutil.copytree(OK.parent, tmp_path / "lessons")
    pt_folder = tmp_path / "lessons" / "pt-BR"
    first = pt_folder / "01-first.md"
    text = first.read_text(encoding="utf-8")
    first.write_text(text.replace("answer = 0.7", "answer = 0.8", 1), encoding="utf-8")
    (pt_folder / "10-extra.md").unlink()
    assert cli.main(["check", str(tmp_path / "lessons")]) == 1
    out = capsys.readouterr().out.splitlines()
    en_first = tmp_path / "lessons" / "en" / "01-first.md"
    (answer,) = [line for line in out if "here but" in line]
    assert answer.startswith(f"{first}:3"), answer  # the exercise's line, not line 1
    assert f"exercise z: answer is 0.8 here but 0.7 in {en_first}:3" in answer
    assert f"{pt_folder}: 10-extra.md is missing (it is in {en_first.parent})" in out
    assert out[-1] == f"{pt_folder}: 2 difference(s) in structure from {en_first.parent}"


def test_check_missing_folder(capsys, tmp_path):
    assert cli.main(["check", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err
    assert err == f"tui-workshop: error: no lessons folder at {tmp_path / 'nope'}\n"


def test_missing_lessons_folder(capsys, tmp_path):
    assert cli.main(["--lessons", str(tmp_path / "nope")]) == 2
    assert capsys.readouterr().err.startswith("tui-workshop: error: no lessons folder")


def test_unknown_lesson(capsys, fake_app):
    assert cli.main(["--lessons", str(OK), "--lesson", "nope"]) == 2
    err = capsys.readouterr().err
    assert err == "tui-workshop: error: no lesson with id 'nope' (see 'tui-workshop --list')\n"
    assert fake_app == []


def test_unknown_language(capsys):
    assert cli.main(["--lang", "xx", "--list"]) == 2
    assert "no lessons for language 'xx'" in capsys.readouterr().err


def test_run_passes_course_store_and_lesson(fake_app, tmp_path):
    assert cli.main(["--lessons", str(OK), "--lesson", "second"]) == 7
    ((course, store, start),) = fake_app
    assert course.ids() == ("first", "second", "extra")
    assert start == "second"
    assert store.path == tmp_path / "state" / "progress.json"


def test_run_without_lesson_starts_at_saved_position(fake_app):
    assert cli.main(["--lessons", str(OK)]) == 7
    assert fake_app[0][2] is None


def test_run_with_broken_lessons_does_not_start(capsys, fake_app):
    assert cli.main(["--lessons", str(BAD)]) == 1
    assert fake_app == []


def test_missing_interface_is_a_clear_error(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "tui_workshop.ui.app", None)  # import fails
    assert cli.main(["--lessons", str(OK)]) == 1
    assert "the interface could not be loaded" in capsys.readouterr().err


def test_help_has_description_and_examples(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "mathematics behind" in out and "examples:" in out and "tui-workshop check" in out


def test_version_in_process(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--version"])
    assert capsys.readouterr().out.strip() == f"tui-workshop {__version__}"


def test_default_language_from_environment(monkeypatch):
    import tui_workshop.course.loader as loader

    monkeypatch.setattr(loader, "available_languages", lambda: ["en", "pt-BR"])
    assert cli.default_language({"LANG": "pt_BR.UTF-8"}) == "pt-BR"
    assert cli.default_language({"LANG": "pt_PT.UTF-8"}) == "pt-BR"  # any pt* is pt-BR
    assert cli.default_language({"LANG": "pt"}) == "pt-BR"
    assert cli.default_language({"LANG": "de_DE.UTF-8"}) == "en"
    assert cli.default_language({"LC_ALL": "en_US", "LANG": "pt_BR"}) == "en"
    assert cli.default_language({"LC_MESSAGES": "pt_BR.UTF-8", "LANG": "en_US"}) == "pt-BR"
    assert cli.default_language({"LC_ALL": "C", "LANG": "pt_BR"}) == "en"
    assert cli.default_language({}) == "en"
    monkeypatch.setattr(loader, "available_languages", lambda: ["en", "pt"])
    assert cli.default_language({"LANG": "pt_BR.UTF-8"}) == "pt"
    monkeypatch.setattr(loader, "available_languages", lambda: ["en"])
    assert cli.default_language({"LANG": "pt_BR.UTF-8"}) == "en"  # no Portuguese lessons


def test_default_language_uses_the_one_resolver(monkeypatch):
    import tui_workshop.course.loader as loader

    monkeypatch.setattr(loader, "available_languages", lambda: ["en", "pt-BR"])
    for env in ({"LANG": "pt_BR.UTF-8"}, {"LANG": "en_GB"}, {"LC_ALL": "POSIX"}, {}):
        assert cli.default_language(env) == i18n.language_from_env(env)


def test_lang_option_accepts_spellings_and_refuses_unknown(capsys):
    assert cli.main(["--lang", "pt_br", "--lessons", str(OK.parent / "pt-BR"), "--list"]) in (0, 1)
    capsys.readouterr()
    assert cli.main(["--lang", "klingon", "--list"]) == 2
    assert "klingon" in capsys.readouterr().err


def test_help_follows_the_environment_and_lang(monkeypatch, capsys):
    monkeypatch.setenv("LANG", "pt_BR.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    try:
        with pytest.raises(SystemExit):
            cli.main(["--help"])
        out = capsys.readouterr().out
        assert "uso: tui-workshop" in out and "matemática por trás" in out
        assert "opções:" in out and "mostra esta ajuda e sai" in out
        with pytest.raises(SystemExit):
            cli.main(["--lang", "en", "--help"])
        assert "usage: tui-workshop" in capsys.readouterr().out
    finally:
        i18n.set_language("en")


# ---- argparse's own words in pt-BR -------------------------------------------------

PLACEHOLDER = re.compile(r"%\(\w+\)[a-z]|%[a-z]")
# The English words of argparse's texts and of our metavars (LANG is also the
# environment variable, named as it is): none may show in pt-BR.
ARGPARSE_ENGLISH = frozenset(
    word.lower()
    for text in (*cli.ARGPARSE_TEXTS, "COMMAND ACTION DIR")
    for word in re.findall(r"[A-Za-z]{2,}", PLACEHOLDER.sub(" ", text))
) - {"h", "help"}  # "-h, --help" is the option's name


def argparse_english(text: str) -> set[str]:
    text = re.sub(r"-[-\w]+", " ", text)  # option names: --help, --lesson
    return {w for w in re.findall(r"\w+", text) if w.lower() in ARGPARSE_ENGLISH}


def portuguese_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tui_workshop", *args],
        capture_output=True, text=True, cwd=ROOT, timeout=60, check=False, env=env,
    )


def test_the_english_word_list_catches_argparse():
    assert argparse_english("usage: x\nx: error: unrecognized arguments: --bogus") == {
        "usage", "error", "unrecognized", "arguments"
    }


def test_bad_arguments_in_portuguese_subprocess():
    result = portuguese_cli("--lang", "pt-BR", "--bogus")
    assert result.returncode == 2
    assert "tui-workshop: erro: argumentos não reconhecidos: --bogus" in result.stderr
    assert result.stderr.startswith("uso: tui-workshop")
    assert not argparse_english(result.stderr), result.stderr


def test_portuguese_from_lang_without_a_flag_subprocess():
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES")}
    result = portuguese_cli("--bogus", env={**env, "LANG": "pt_BR.UTF-8"})
    assert result.returncode == 2
    assert "erro: argumentos não reconhecidos: --bogus" in result.stderr, result.stderr
    assert not argparse_english(result.stderr), result.stderr
    english = portuguese_cli("--bogus", env={**env, "LANG": "en_US.UTF-8"})
    assert "error: unrecognized arguments: --bogus" in english.stderr


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--lesson"], "argumento --lesson: falta um valor"),
        (["frob"], "argumento COMANDO: opção inválida: 'frob' (escolha entre 'check'"),
        (["class"], "faltam os argumentos obrigatórios: AÇÃO"),
        (["class", "init"], "faltam os argumentos obrigatórios: PASTA"),
        (["--les", "x"], "opção ambígua: --les pode ser --lesson, --lessons"),
        (["--list=3"], "argumento --list: esta opção não aceita valor: '3'"),
        (["check", "a", "b"], "argumentos não reconhecidos: b"),
    ],
)
def test_argparse_errors_in_portuguese(capsys, argv, expected):
    with pytest.raises(SystemExit) as stop:
        cli.main(["--lang", "pt-BR", *argv])
    err = capsys.readouterr().err
    assert stop.value.code == 2
    assert expected in err and "erro:" in err, err
    assert not argparse_english(err), err


@pytest.mark.parametrize("argv", [[], ["check"], ["class"], ["class", "init"], ["notes"]])
def test_help_in_portuguese_has_no_english_word_of_argparse(capsys, argv):
    with pytest.raises(SystemExit) as stop:
        cli.main(["--lang", "pt-BR", *argv, "--help"])
    out = capsys.readouterr().out
    assert stop.value.code == 0
    assert out.startswith("uso: tui-workshop") and "mostra esta ajuda e sai" in out
    assert "opções:" in out
    assert not argparse_english(out), out


def test_argparse_texts_are_argparse_msgids_and_keep_their_placeholders():
    """Each text is one argparse looks up on this Python, and its pt-BR translation
    keeps its %-placeholders (argparse formats it with them)."""
    source = inspect.getsource(argparse)
    i18n.set_language("pt-BR")
    for text in cli.ARGPARSE_TEXTS:
        assert text.replace("\n", "\\n") in source, text
        translated = i18n.translate(text)
        assert translated != text, text
        assert sorted(PLACEHOLDER.findall(translated)) == sorted(PLACEHOLDER.findall(text))


def test_list_of_the_packaged_portuguese_lessons(capsys):
    """--lang pt-BR --list: the titles of lessons/pt-BR, in the order and with the ids of
    lessons/en, and the summary lines in Portuguese."""
    from tui_workshop.course.loader import find_lessons_dir, load_course

    assert cli.main(["--lang", "pt-BR", "--list"]) == 0
    out = capsys.readouterr().out
    portuguese = load_course(find_lessons_dir("pt-BR"), lang="pt-BR")
    english = load_course(find_lessons_dir("en"), lang="en")
    for pt, en in zip(portuguese.lessons, english.lessons, strict=True):
        assert pt.id == en.id and pt.title != en.title
        assert pt.id in out and pt.title in out and en.title not in out
    assert "Um neurônio é um produto escalar" in out
    assert "Parte 1:" in out and "aulas; núcleo" in out


def test_python_m_version_subprocess():
    result = subprocess.run(
        [sys.executable, "-m", "tui_workshop", "--version"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.strip() == f"tui-workshop {__version__}"


def test_list_and_check_do_not_import_textual():
    script = (
        "import sys\n"
        "from tui_workshop.experiments import REGISTRY, Experiment\n"
        "from tui_workshop.experiments.schema import Bool, Choice, Float, Int\n"
        "class F(Experiment):\n"
        "    name = 'fixture'\n"
        "    SCHEMA = {'lr': Float(0.1, 0.0001, 100.0, label='lr'),\n"
        "              'layers': Int(1, 0, 8, label='layers'),\n"
        "              'dataset': Choice('circle', ('circle', 'xor'), label='data set'),\n"
        "              'noisy': Bool(False, label='noisy')}\n"
        "REGISTRY['fixture'] = F\n"
        "from tui_workshop.__main__ import main\n"
        f"assert main(['--lessons', {str(OK)!r}, '--list']) == 0\n"
        f"assert main(['check', {str(OK)!r}]) == 0\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich', 'plotext')]\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("key", ["second", "2", "02", "02-second"])
def test_lesson_by_id_number_or_file_stem(fake_app, key):
    assert cli.main(["--lessons", str(OK), "--lesson", key]) == 7
    assert fake_app[0][2] == "second"


def test_real_course_lesson_3_by_number_id_and_stem(fake_app):
    for key in ("3", "neuron", "03-neuron"):
        fake_app.clear()
        assert cli.main(["--lang", "en", "--lesson", key]) == 7
        assert fake_app[0][2] == "neuron", key


def test_durations_over_an_hour():
    assert cli._minutes(145) == "2 h 25 min"
    assert cli._minutes(65) == "1 h 05 min"
    assert cli._minutes(45) == "45 min"


@pytest.fixture
def portuguese_lessons(monkeypatch):
    """The packaged course as if it had lessons/pt-BR: the fixture's pt-BR folder."""
    import tui_workshop.course.loader as loader

    folders = {"en": OK, "pt-BR": OK.parent / "pt-BR"}
    monkeypatch.setattr(loader, "available_languages", lambda: sorted(folders))

    def find(lang: str = "en") -> Path:
        if lang not in folders:
            raise FileNotFoundError(lang)
        return folders[lang]

    monkeypatch.setattr(loader, "find_lessons_dir", find)
    return folders


def test_lang_environment_starts_in_portuguese(monkeypatch, fake_app, portuguese_lessons):
    monkeypatch.delenv("LC_ALL")
    monkeypatch.setenv("LANG", "pt_BR.UTF-8")
    assert cli.main([]) == 7
    ((course, _store, _start),) = fake_app
    assert course.lang == "pt-BR" and course.root == portuguese_lessons["pt-BR"]
    assert i18n.get_language() == "pt-BR"
    assert i18n._("Next") == "Próx."  # the interface in Portuguese too


def test_lang_option_overrides_the_environment(monkeypatch, fake_app, portuguese_lessons):
    monkeypatch.delenv("LC_ALL")
    monkeypatch.setenv("LANG", "pt_BR.UTF-8")
    assert cli.main(["--lang", "en"]) == 7
    assert fake_app[-1][0].lang == "en" and i18n.get_language() == "en"
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert cli.main(["--lang", "pt-BR"]) == 7
    assert fake_app[-1][0].lang == "pt-BR" and i18n.get_language() == "pt-BR"


def test_list_in_portuguese(monkeypatch, capsys, portuguese_lessons):
    assert cli.main(["--lang", "pt-BR", "--list"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "3 aulas; núcleo 25 min, opcionais 5 min"
    assert out[2].endswith("(opcional)")


def test_check_validates_both_languages_by_default(capsys, portuguese_lessons):
    assert cli.main(["check"]) == 0
    out = capsys.readouterr().out.splitlines()
    en, pt = portuguese_lessons["en"], portuguese_lessons["pt-BR"]
    assert out == [
        f"{en}: 3 lesson file(s), no problems",
        f"{pt}: 3 lesson file(s), no problems",
        f"{pt}: the same structure as {en}",
    ]
