"""Colours and markers: colour-blind safe (Okabe-Ito), legible in 16 colours and NO_COLOR.

Roles (``Series.role`` in experiments): 0 is blue (class 0), 1 orange (class 1),
then further Okabe-Ito colours. Every role also has its own marker, so a plot
still reads without colour. Heatmaps use a diverging blue ↔ pale ↔ orange scale
(or a sequential dark-blue → yellow one); in 16-colour terminals the scale maps
to ANSI colours, and with NO_COLOR to the shading characters ``' ░▒▓█'``.
"""

from __future__ import annotations

import os
from typing import Any

# Okabe-Ito, ordered by role.
BLUE = "#0072B2"
ORANGE = "#E69F00"
GREEN = "#009E73"
PURPLE = "#CC79A7"
SKY = "#56B4E9"
VERMILLION = "#D55E00"
YELLOW = "#F0E442"

ROLE_COLORS: tuple[str, ...] = (BLUE, ORANGE, GREEN, PURPLE, SKY, VERMILLION, YELLOW)
# Nearest ANSI colour of each role, used in 16-colour terminals.
ROLE_ANSI: tuple[str, ...] = (
    "blue",
    "yellow",
    "green",
    "magenta",
    "bright_blue",
    "red",
    "bright_yellow",
)
# One marker per role for points (heatmaps and scatter plots).
ROLE_MARKERS: tuple[str, ...] = ("●", "✕", "▲", "■", "◆", "+", "*")
# Line markers for plotext when colours are off (plotext takes single characters).
LINE_MARKERS: tuple[str, ...] = ("•", "x", "+", "o", "*", "#", "=")

# Heat scales: hex for 256/truecolor terminals, ANSI names for 16 colours.
DIVERGING_HEX: tuple[str, ...] = (
    "#0072B2",
    "#3A8FC6",
    "#7FB7DD",
    "#C0DAEC",
    "#EEEEEE",
    "#F4D9A3",
    "#F0BE5A",
    "#E69F00",
    "#B97F00",
)
DIVERGING_ANSI: tuple[str, ...] = ("blue", "bright_blue", "bright_white", "bright_yellow", "yellow")
SEQUENTIAL_HEX: tuple[str, ...] = (
    "#0B2D4F",
    "#124E80",
    "#0072B2",
    "#3A9AD6",
    "#7CC3D8",
    "#B8DC9A",
    "#F0E442",
)
SEQUENTIAL_ANSI: tuple[str, ...] = ("black", "blue", "bright_blue", "cyan", "bright_yellow")
# Approximate RGB of the ANSI names above, to pick a legible marker colour.
ANSI_HEX: dict[str, str] = {
    "black": "#000000",
    "blue": "#0037DA",
    "bright_blue": "#3B78FF",
    "cyan": "#3A96DD",
    "bright_white": "#F2F2F2",
    "bright_yellow": "#F9F1A5",
    "yellow": "#C19C00",
    "green": "#13A10E",
    "magenta": "#881798",
    "red": "#C50F1F",
    "white": "#CCCCCC",
}
# NO_COLOR: value shown by shading, lowest to highest.
SHADES = " ░▒▓█"

# Frame.level -> (colour, prefix mark); the mark keeps the level visible in NO_COLOR.
LEVEL_STYLES: dict[str, tuple[str, str]] = {
    "info": ("", ""),
    "warning": (f"bold {ORANGE}", "⚠ "),
    "error": (f"bold {VERMILLION}", "✖ "),
}


def no_color(app: Any = None) -> bool:
    """True when colours are off: NO_COLOR in the environment or the app says so."""
    if app is not None and getattr(app, "no_color", False):
        return True
    return bool(os.environ.get("NO_COLOR"))


def dumb_terminal(environ: Any = None) -> bool:
    """TERM=dumb: a terminal that takes no colour (an unset TERM says nothing)."""
    term = (os.environ if environ is None else environ).get("TERM", "")
    return term.strip().lower() == "dumb"


def use_plain_colors(app: Any) -> bool:
    """Under NO_COLOR or TERM=dumb, draw with the terminal's default colours only.

    Textual's NO_COLOR filter (``Monochrome``) turns every colour into a grey,
    which reaches the terminal as 256-colour greys 232-255; and with TERM=dumb
    Rich finds no colour system, which Textual's strips take as truecolor. Both
    get Textual's ``NoColor`` filter instead: default foreground and background
    (SGR 39/49), with bold, dim, reverse and underline kept, so meaning is
    carried by attributes, markers and shading. Sets ``app.no_color``, which
    the widgets (heatmaps, plots, feedback lines) and the ``App:nocolor`` CSS
    pseudo-class follow. Call it from the App's ``__init__``; returns whether
    colours are off.
    """
    from textual.filter import Monochrome, NoColor

    if dumb_terminal():
        app.no_color = True
    if not getattr(app, "no_color", False):
        return False
    filters = [f for f in app._filters if not isinstance(f, (Monochrome, NoColor))]
    filters.append(NoColor())
    app._filters[:] = filters
    return True


def few_colors(app: Any = None) -> bool:
    """True for a 16-colour (or Windows legacy) terminal."""
    system = getattr(getattr(app, "console", None), "color_system", None)
    return system in ("standard", "windows")


def role_color(role: int, ansi: bool = False) -> str:
    colors = ROLE_ANSI if ansi else ROLE_COLORS
    return colors[role % len(colors)]


def role_marker(role: int) -> str:
    return ROLE_MARKERS[role % len(ROLE_MARKERS)]


def line_marker(role: int) -> str:
    return LINE_MARKERS[role % len(LINE_MARKERS)]


def role_rgb(role: int) -> tuple[int, int, int]:
    return hex_to_rgb(role_color(role))


def heat_scale(diverging: bool = True, ansi: bool = False) -> tuple[str, ...]:
    """The colours of a heat scale, low to high."""
    if diverging:
        return DIVERGING_ANSI if ansi else DIVERGING_HEX
    return SEQUENTIAL_ANSI if ansi else SEQUENTIAL_HEX


def hex_to_rgb(color: str) -> tuple[int, int, int]:
    color = ANSI_HEX.get(color, color).lstrip("#")
    return int(color[0:2], 16), int(color[2:4], 16), int(color[4:6], 16)


def luminance(color: str) -> float:
    """Relative luminance (WCAG) of a hex or known ANSI colour."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = hex_to_rgb(color)
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio between two colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def marker_color(role: int, background: str, ansi: bool = False, minimum: float = 2.2) -> str:
    """The role's colour if it stands out on ``background``, else black or white."""
    color = role_color(role, ansi)
    if contrast(color, background) >= minimum:
        return color
    return "black" if luminance(background) > 0.35 else ("bright_white" if ansi else "#FFFFFF")
