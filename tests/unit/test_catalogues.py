"""The gettext catalogues: up to date with the code, placeholders kept, plurals whole,
refreshed by one command, compiled into the wheel and by an editable install."""

from __future__ import annotations

import gettext
import os
import shutil
import string
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from tui_workshop.i18n import DEFAULT_LANGUAGE, LANGUAGES, extract

ROOT = Path(__file__).resolve().parents[2]
REFRESH = "run: python -m tui_workshop.i18n.extract"
MO = "tui_workshop/i18n/locales/pt_BR/LC_MESSAGES/tui_workshop.mo"


def ids(catalog) -> set:
    return {m.id for m in catalog if m.id}


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.fixture(scope="module")
def template():
    return extract.extract_template()


@pytest.fixture(scope="module")
def pot():
    return extract.read(extract.TEMPLATE)


def catalogues():
    return [(locale, extract.read(extract.po_path(locale), locale)) for locale in extract.locales()]


# ---- in step with the code ------------------------------------------------------------


def test_every_marked_text_is_in_the_template(template, pot):
    missing, stale = ids(template) - ids(pot), ids(pot) - ids(template)
    assert (sorted(map(str, missing))[:20], sorted(map(str, stale))[:20]) == ([], []), REFRESH


def test_every_catalogue_has_exactly_the_template_texts(pot):
    for locale, catalog in catalogues():
        assert ids(catalog) == ids(pot), f"{locale}: {REFRESH}"


def test_refreshing_would_change_nothing():
    assert extract.refresh(write=False) == [], REFRESH


def test_marked_texts_are_literal_strings():
    """``msg(variable)`` or ``_(f"...")`` escapes extraction: the text is never translated."""
    assert extract.unextractable(extract.marked_files()) == []


def test_every_language_has_a_catalogue_with_its_plural_rule():
    for lang in LANGUAGES:
        if lang != DEFAULT_LANGUAGE:
            assert extract.po_path(lang.replace("-", "_")).is_file(), REFRESH
    pt = extract.read(extract.po_path("pt_BR"), "pt_BR")
    assert pt.plural_forms == "nplurals=2; plural=(n > 1);"
    assert not pt.fuzzy  # a fuzzy header would be left out of the .mo, plurals with it


# ---- translations that cannot break the interface --------------------------------------


def test_translations_keep_the_placeholders_of_their_msgid():
    problems = []
    for locale, catalog in catalogues():
        for message in catalog:
            if not message.id:
                continue
            if isinstance(message.id, tuple | list):
                allowed = fields(message.id[0]) | fields(message.id[1]) | {"n"}
                needed = fields(message.id[1]) - {"n"}  # "one step" may leave out {n}
                forms = [s for s in message.string if s]
            else:
                allowed = needed = fields(message.id)
                forms = [message.string] if message.string else []
            for form in forms:
                try:
                    got = fields(form)
                except ValueError as exc:  # an unbalanced brace
                    problems.append(f"{locale}: {message.id!r}: {exc}")
                    continue
                if not needed <= got <= allowed:
                    problems.append(f"{locale}: {form!r} for {message.id!r}")
    assert problems == []


def test_plural_entries_have_both_forms(pot):
    for message in pot:
        if isinstance(message.id, tuple | list):
            assert len(message.id) == 2 and all(message.id), message.id
    for locale, catalog in catalogues():
        for message in catalog:
            if isinstance(message.id, tuple | list):
                assert len(message.string) == catalog.num_plurals, (locale, message.id)
                filled = [bool(s) for s in message.string]
                assert all(filled) or not any(filled), (locale, message.id)


# ---- the refresh command -----------------------------------------------------------------


def test_merge_keeps_translations_marks_changed_texts_fuzzy_and_drops_empty_obsolete():
    old = Catalog(locale="pt_BR")
    old.add("Next page", "Próxima página")
    old.add("Train the network for {epochs} epochs", "Treine a rede por {epochs} épocas")
    old.add("Gone and untranslated", "")
    old.add("Gone but translated", "Sumiu")
    template = Catalog()
    template.add("Next page")
    template.add("Train the network for {epochs} epoch")  # reworded in the code
    template.add(("{n} step", "{n} steps"))

    merged = extract.merge(template, "pt_BR", old)

    assert merged["Next page"].string == "Próxima página"
    reworded = merged["Train the network for {epochs} epoch"]
    assert reworded.fuzzy and reworded.string == "Treine a rede por {epochs} épocas"
    assert merged[("{n} step", "{n} steps")].string in (("", ""), "")
    assert set(merged.obsolete) == {"Gone but translated"}
    assert merged.plural_forms == "nplurals=2; plural=(n > 1);"
    text = extract.serialise(merged).decode()
    assert 'msgstr[0] ""\nmsgstr[1] ""' in text


@pytest.fixture
def scratch_locales(tmp_path, monkeypatch) -> Path:
    """The refresh command working on a copy of the catalogues."""
    copy = tmp_path / "locales"
    shutil.copytree(extract.LOCALES, copy, ignore=shutil.ignore_patterns("*.mo"))
    monkeypatch.setattr(extract, "LOCALES", copy)
    monkeypatch.setattr(extract, "TEMPLATE", copy / extract.TEMPLATE.name)
    monkeypatch.setattr(extract, "ROOT", tmp_path)  # paths printed relative to it
    return copy


def test_refresh_creates_missing_catalogues_and_then_writes_nothing(scratch_locales, capsys):
    shutil.rmtree(scratch_locales / "pt_BR")
    extract.TEMPLATE.unlink()
    assert extract.main([]) == 0
    assert extract.po_path("pt_BR").is_file() and extract.TEMPLATE.is_file()
    before = {p: p.read_bytes() for p in scratch_locales.rglob("*.po*")}
    assert extract.main(["--check"]) == 0
    assert extract.main([]) == 0
    assert "up to date" in capsys.readouterr().out
    assert {p: p.read_bytes() for p in scratch_locales.rglob("*.po*")} == before


def test_check_fails_when_a_catalogue_is_stale(scratch_locales, capsys):
    pot = extract.TEMPLATE
    pot.write_text(pot.read_text(encoding="utf-8") + '\nmsgid "Old text"\nmsgstr ""\n')
    before = pot.read_bytes()
    assert extract.main(["--check"]) == 1
    out, err = capsys.readouterr()
    assert "tui_workshop.pot: out of date" in out and "python -m tui_workshop.i18n.extract" in err
    assert pot.read_bytes() == before  # --check writes nothing


# ---- builds ----------------------------------------------------------------------------


def pip(*args: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pip", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]


def test_wheel_carries_compiled_catalogues_and_does_not_need_babel(tmp_path):
    pip("wheel", "--no-deps", "--quiet", "-w", str(tmp_path), str(ROOT))
    (wheel,) = tmp_path.glob("tui_workshop-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        assert MO in names
        assert not [n for n in names if n.endswith((".po", ".pot"))]
        translations = gettext.GNUTranslations(archive.open(MO))
        metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA")))
    assert translations.plural(0) == 0 and translations.plural(2) == 1
    requires = [line for line in metadata.decode().splitlines() if line.startswith("Requires-Dist")]
    babel = [line for line in requires if "babel" in line.lower()]
    assert babel and all("extra ==" in line for line in babel)  # test extra only


def test_editable_install_compiles_next_to_each_po(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "hatch_build.py", "README.md"):
        shutil.copy(ROOT / name, source / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.mo")
    for folder in ("tui_workshop", "lessons"):
        shutil.copytree(ROOT / folder, source / folder, ignore=ignore)
    # --ignore-installed: without it pip uninstalls the running environment's tui-workshop.
    prefix, editable = str(tmp_path / "prefix"), str(source)
    pip("install", "--no-deps", "--quiet", "--ignore-installed", "--prefix", prefix, "-e", editable)
    mo = source / MO
    assert mo.is_file()
    with mo.open("rb") as stream:
        assert gettext.GNUTranslations(stream).info()["language"] == "pt_BR"
