"""Build hook: compile every gettext catalogue (.po) to .mo with Babel.

A wheel gets the .mo files (compiled in a temporary folder, not in the
source tree) and no .po/.pot; an editable install writes each .mo next to
its .po, where the running app looks for it (*.mo is git-ignored).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

LOCALES = Path("tui_workshop") / "i18n" / "locales"


def compile_catalogue(po: Path, mo: Path) -> None:
    """``po`` compiled to ``mo`` (fuzzy entries left out, as msgfmt does)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as stream:
        catalog = read_po(stream)
    mo.parent.mkdir(parents=True, exist_ok=True)
    with mo.open("wb") as stream:
        write_mo(stream, catalog)


class CustomBuildHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        root = Path(self.root)
        catalogues = sorted((root / LOCALES).glob("*/LC_MESSAGES/*.po"))
        if version == "editable":
            for po in catalogues:
                compile_catalogue(po, po.with_suffix(".mo"))
            return
        self._compiled = Path(tempfile.mkdtemp(prefix="tui-workshop-mo-"))
        for po in catalogues:
            relative = po.relative_to(root).with_suffix(".mo")
            compile_catalogue(po, self._compiled / relative)
            build_data["force_include"][str(self._compiled / relative)] = relative.as_posix()

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        compiled = getattr(self, "_compiled", None)
        if compiled is not None:
            shutil.rmtree(compiled, ignore_errors=True)
