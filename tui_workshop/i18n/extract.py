"""Refresh the gettext catalogues from the code: one command for translators and the lead.

    python -m tui_workshop.i18n.extract          # rewrite the .pot and merge it into every .po
    python -m tui_workshop.i18n.extract --check  # exit 1 (and say why) if they are out of date

Texts are marked with ``_``, ``msg``, ``msg_n`` and ``ngettext`` (see
:mod:`tui_workshop.i18n.message`). The template is ``locales/tui_workshop.pot``;
each language of :data:`tui_workshop.i18n.LANGUAGES` but English has
``locales/<ll_CC>/LC_MESSAGES/tui_workshop.po``, created when missing. Files are
only rewritten when their messages change, so a run on unchanged code leaves
no diff. Needs Babel (a build and test dependency, never imported by the app).
"""

from __future__ import annotations

import argparse
import ast
import io
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui_workshop import __version__
from tui_workshop.i18n import DEFAULT_LANGUAGE, DOMAIN, LANGUAGES, LOCALES

if TYPE_CHECKING:  # Babel is imported only when the command runs
    from babel.messages.catalog import Catalog, Message

PACKAGE = Path(__file__).resolve().parents[1]
ROOT = PACKAGE.parent
TEMPLATE = LOCALES / f"{DOMAIN}.pot"
# Marker functions and the positions of their text arguments (msgid, plural).
KEYWORDS: dict[str, tuple[int, ...]] = {
    "_": (1,),
    "N_": (1,),
    "msg": (1,),
    "msg_n": (1, 2),
    "ngettext": (1, 2),
}
# Gettext plural rules where CLDR's (Babel's default) differ from common usage.
PLURAL_FORMS = {"pt_BR": "nplurals=2; plural=(n > 1);"}
LANGUAGE_TEAMS = {"pt_BR": "Portuguese (Brazil)"}
PROJECT = "tui-workshop"
WIDTH = 76
REFRESH = "python -m tui_workshop.i18n.extract"
TEMPLATE_HEADER = f"""\
# Texts of {PROJECT} to translate, extracted from the code.
# Regenerate, never edit: {REFRESH}
#"""
CATALOGUE_HEADER = f"""\
# {{team}} translation of {PROJECT}: fill in the msgstr lines.
# New texts: {REFRESH}
#"""
_DATE_LINE = re.compile(rb'^"(POT-Creation-Date|PO-Revision-Date|Generated-By): .*"$', re.M)


def po_path(locale: str) -> Path:
    return LOCALES / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def locales() -> list[str]:
    """The catalogue locales (``pt_BR``): those of LANGUAGES and any already present."""
    wanted = {lang.replace("-", "_") for lang in LANGUAGES if lang != DEFAULT_LANGUAGE}
    present = {p.parents[1].name for p in LOCALES.glob(f"*/LC_MESSAGES/{DOMAIN}.po")}
    return sorted(wanted | present)


def _babel_keywords() -> dict[str, Any]:
    return {name: (None if spec == (1,) else spec) for name, spec in KEYWORDS.items()}


def extract_template(root: Path = ROOT) -> Catalog:
    """A Babel ``Catalog`` of every text marked in the package's Python files."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    catalog = Catalog(
        project=PROJECT, version=__version__, header_comment=TEMPLATE_HEADER, fuzzy=False
    )
    package = root / PACKAGE.name
    results = extract_from_dir(
        str(package), method_map=[("**.py", "python")], keywords=_babel_keywords()
    )
    for filename, lineno, message, comments, context in results:
        path = f"{PACKAGE.name}/{Path(filename).as_posix()}"
        catalog.add(message, None, [(path, lineno)], auto_comments=comments, context=context)
    return catalog


def merge(template: Catalog, locale: str, existing: Catalog | None) -> Catalog:
    """``existing`` (or a new catalogue for ``locale``) updated to ``template``'s messages.

    Translations of texts gone from the code are kept as obsolete (``#~``) entries
    so that a translator can reuse them; untranslated ones are dropped.
    """
    from babel.messages.catalog import Catalog

    if existing is None:
        team = LANGUAGE_TEAMS.get(locale, locale)
        existing = Catalog(
            locale=locale,
            domain=DOMAIN,
            project=PROJECT,
            version=__version__,
            header_comment=CATALOGUE_HEADER.format(team=team),
            language_team=team,
            fuzzy=False,
        )
    if locale in PLURAL_FORMS:
        headers = [(k, v) for k, v in existing.mime_headers if k != "Plural-Forms"]
        existing.mime_headers = [*headers, ("Plural-Forms", PLURAL_FORMS[locale])]
    existing.update(template)
    for key in [k for k, m in existing.obsolete.items() if not _translated(m)]:
        del existing.obsolete[key]
    return existing


def _translated(message: Message) -> bool:
    strings = message.string if isinstance(message.string, tuple | list) else [message.string]
    return any(strings)


def serialise(catalog: Catalog) -> bytes:
    from babel.messages.pofile import write_po

    buffer = io.BytesIO()
    # File names without line numbers: editing code does not churn the catalogues.
    write_po(buffer, catalog, width=WIDTH, include_lineno=False)
    return buffer.getvalue()


def read(path: Path, locale: str | None = None) -> Catalog:
    from babel.messages.pofile import read_po

    with path.open("rb") as stream:
        return read_po(stream, locale=locale, domain=DOMAIN)


def _same(old: bytes, new: bytes) -> bool:
    """Equal apart from the dates and the Babel version in the header."""
    return _DATE_LINE.sub(b"", old) == _DATE_LINE.sub(b"", new)


def refresh(root: Path = ROOT, write: bool = True) -> list[Path]:
    """Extract the template and merge it into every catalogue; the files that changed
    (with ``write=False``: that would change, and nothing is written)."""
    template = extract_template(root)
    outputs: list[tuple[Path, bytes]] = [(TEMPLATE, serialise(template))]
    for locale in locales():
        path = po_path(locale)
        existing = read(path, locale) if path.is_file() else None
        outputs.append((path, serialise(merge(template, locale, existing))))
    changed = [p for p, data in outputs if not (p.is_file() and _same(p.read_bytes(), data))]
    if write:
        for path, data in outputs:
            if path in changed:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
    return changed


# ---- texts that escape extraction ---------------------------------------------


def _is_text(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and bool(node.value)


def _called_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def unextractable(files: Iterable[Path], root: Path = ROOT) -> list[str]:
    """``file:line: ...`` for each marker call whose text is not a literal string
    (a variable, an f-string, a call): Babel skips those silently, so the text
    never reaches a catalogue."""
    problems = []
    for path in sorted(files):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = _called_name(node)
            if name == "Msg":
                where = path.relative_to(root).as_posix()
                problems.append(f"{where}:{node.lineno}: Msg() is not extracted: use msg()")
                continue
            if name not in KEYWORDS:
                continue
            positions = KEYWORDS[name]
            args = node.args
            if any(len(args) < pos or not _is_text(args[pos - 1]) for pos in positions):
                where = path.relative_to(root).as_posix()
                problems.append(
                    f"{where}:{node.lineno}: {name}() needs literal text, not "
                    f"{ast.unparse(node)[:60]!r}"
                )
    return problems


def marked_files(root: Path = ROOT) -> list[Path]:
    """The package's Python files, but the i18n machinery (whose markers wrap variables)."""
    package = root / PACKAGE.name
    skip = package / "i18n"
    return [p for p in sorted(package.rglob("*.py")) if skip not in p.parents]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tui_workshop.i18n.extract", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if a catalogue is stale"
    )
    options = parser.parse_args(argv)
    try:
        import babel  # noqa: F401
    except ImportError:
        print("Babel is needed: pip install -e '.[test]'", file=sys.stderr)
        return 2
    for problem in unextractable(marked_files()):
        print(f"warning: {problem}", file=sys.stderr)
    changed = refresh(write=not options.check)
    for path in changed:
        verb = "out of date" if options.check else "updated"
        print(f"{path.relative_to(ROOT).as_posix()}: {verb}")
    if options.check and changed:
        print(f"run: {REFRESH}", file=sys.stderr)
        return 1
    if not changed:
        print("catalogues up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
