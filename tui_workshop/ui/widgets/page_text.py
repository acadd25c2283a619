"""The lesson page: Markdown whose indented blocks are formulas, not code.

Textual highlights code blocks with a guessed lexer, which paints arrows and
× signs in formulas as syntax errors. Formulas are shown as plain text.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Markdown
from textual.widgets.markdown import MarkdownFence


class FormulaBlock(MarkdownFence):
    """An indented or fenced block shown as written, without highlighting."""

    @classmethod
    def highlight(
        cls, code: str, language: str, ansi: bool = False, dark: bool = False
    ) -> Content:
        return Content(code.rstrip("\n"))


class PageText(Markdown):
    # Not ClassVar: textual declares Markdown.BLOCKS as an instance attribute.
    BLOCKS = {**Markdown.BLOCKS, "fence": FormulaBlock, "code_block": FormulaBlock}  # noqa: RUF012
