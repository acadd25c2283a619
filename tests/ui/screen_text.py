"""The text on screen, read from the public ``App.export_screenshot()`` SVG.

Each ``<text>`` element of the SVG is a run of cells of one style, placed at
``x`` (cells of :data:`CELL_WIDTH` pixels) on the line named by its clip path.
"""

from __future__ import annotations

import html
import re

CELL_WIDTH = 12.2
_TEXT = re.compile(
    r'<text class="[^"]*" x="([\d.]+)" y="[\d.]+" textLength="[\d.]+" '
    r'clip-path="url\(#[\w-]+-line-(\d+)\)">([^<]*)</text>'
)
# Runs of three or more plain ASCII letters: English outside the catalogues.
WORD = re.compile(r"[A-Za-z]{3,}")


def screen_lines(app) -> list[str]:
    """The rows of the current screen (modal screens over what they cover), as text."""
    width, height = app.size
    rows = [[" "] * width for _ in range(height)]
    for x, line, content in _TEXT.findall(app.export_screenshot()):
        row = int(line)
        if row >= height:
            continue
        column = round(float(x) / CELL_WIDTH)
        for offset, char in enumerate(html.unescape(content).replace("\xa0", " ")):
            if 0 <= column + offset < width:
                rows[row][column + offset] = char
    return ["".join(row) for row in rows]


def english_words(lines: list[str], allowed: frozenset[str]) -> list[tuple[str, int, int]]:
    """(word, column, row) of each plain ASCII word of ``lines`` not in ``allowed``."""
    found = []
    for row, text in enumerate(lines):
        for match in WORD.finditer(text):
            if match.group() not in allowed:
                found.append((match.group(), match.start(), row))
    return found
