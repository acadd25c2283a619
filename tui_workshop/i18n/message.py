"""Message keys: what the layers below the UI return instead of sentences.

A :class:`Msg` is a gettext message id (the English text, with ``{name}``
placeholders) and its arguments; the UI turns it into words in the current
language with :func:`tui_workshop.i18n.render`. Arguments may be plain
values, :class:`Num` (a number rendered with the language's decimal mark),
other messages, or :class:`Cat` (parts joined by a separator). Everything is
immutable and hashable, so frames holding messages may cross threads and be
cached. Pure Python: no NumPy, no Textual.

Mark texts with :func:`msg` (and :func:`msg_n` for plurals) so that Babel
finds them: ``pybabel extract`` is configured with these names as keywords.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

MINUS = "−"  # U+2212, as lessons print negative numbers


def _frozen(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    return value


@dataclass(frozen=True)
class Msg:
    """A translatable text: ``msgid`` (English) with named arguments.

    ``plural`` and ``n`` make it a plural form chosen with ``ngettext``; ``n``
    is then also available to the text as ``{n}``.
    """

    msgid: str
    args: tuple[tuple[str, Any], ...] = ()
    plural: str | None = None
    n: int | None = None

    @property
    def kwargs(self) -> dict[str, Any]:
        return dict(self.args)

    def with_args(self, **args: Any) -> Msg:
        """The same text with more (or other) arguments: a template declared once with
        :func:`msg` and filled in where it is used."""
        merged = {**dict(self.args), **args}
        return Msg(self.msgid, _frozen(merged), self.plural, self.n)

    def __str__(self) -> str:  # English, for logs and error reprs; the UI uses render()
        return render(self)


@dataclass(frozen=True)
class Num:
    """A number shown the way lessons print it, in the language's convention.

    ``digits`` decimals; ``exact`` adds decimals (up to ``max_digits``) until
    the value is shown exactly (a parameter as typed: 0.10, 0.005);
    ``percent`` multiplies by 100 and adds "%"; ``sign`` adds "+" before a
    positive value.
    """

    value: float
    digits: int = 2
    exact: bool = False
    max_digits: int = 4
    percent: bool = False
    sign: bool = False

    def text(self, decimal: str = ".") -> str:
        return format_number(self, decimal)

    def __str__(self) -> str:
        return self.text()


@dataclass(frozen=True)
class Cat:
    """Parts (texts, messages, numbers) joined by ``sep`` when rendered."""

    parts: tuple[Any, ...]
    sep: str = ""

    def __str__(self) -> str:
        return render(self)


Text = str | Msg | Num | Cat


def msg(msgid: str, /, **args: Any) -> Msg:
    """A message to translate later: ``msg("epoch {epoch}", epoch=3)``."""
    return Msg(msgid, _frozen(args))


def msg_n(singular: str, plural: str, n: int, /, **args: Any) -> Msg:
    """A message with a plural form chosen by ``n``: ``msg_n("{n} step", "{n} steps", k)``."""
    return Msg(singular, _frozen(args), plural=plural, n=int(n))


def lines(*parts: Any) -> Cat:
    """Parts on separate lines (``None`` parts are left out)."""
    return Cat(tuple(p for p in parts if p is not None), "\n")


def join(sep: str, parts: Iterable[Any]) -> Cat:
    return Cat(tuple(parts), sep)


# ---- numbers -----------------------------------------------------------------


def _fixed(value: float, digits: int) -> str:
    small = value != 0.0 and abs(value) < 0.5 * 10.0**-digits
    if small or abs(value) >= 1e6:
        mantissa, exponent = f"{value:.{max(digits - 1, 1)}e}".split("e")
        return f"{mantissa}e{int(exponent)}"
    return f"{round(value, digits) + 0.0:.{digits}f}"


def format_number(number: Num, decimal: str = ".") -> str:
    """The text of ``number``: Unicode minus, no "−0.00", short scientific form for
    values too small or too large; ``nan`` and ``∞`` for non-finite values."""
    value = float(number.value)
    if number.percent:
        value *= 100
    if not math.isfinite(value):
        text = "nan" if math.isnan(value) else ("∞" if value > 0 else MINUS + "∞")
        return text
    digits = number.digits
    if number.exact:
        for d in range(number.digits, number.max_digits + 1):
            digits = d
            if abs(round(value, d) - value) < 1e-12:
                break
    text = _fixed(value, digits)
    if decimal != ".":
        text = text.replace(".", decimal)
    text = text.replace("-", MINUS)
    if number.sign and value > 0:
        text = "+" + text
    if number.percent:
        text += "%"
    return text


# ---- rendering ----------------------------------------------------------------

Translate = Callable[[str], str]
TranslatePlural = Callable[[str, str, int], str]


def _identity(text: str) -> str:
    return text


def _english_plural(singular: str, plural: str, n: int) -> str:
    return singular if n == 1 else plural


def render(
    text: Any,
    gettext: Translate = _identity,
    ngettext: TranslatePlural = _english_plural,
    decimal: str = ".",
) -> str:
    """``text`` (a str, Msg, Num, Cat, number or None) as words in one language."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    if isinstance(text, Num):
        return format_number(text, decimal)
    if isinstance(text, Cat):
        sep = text.sep
        if sep == ", " and decimal == "," and any(isinstance(p, Num | float) for p in text.parts):
            sep = "; "  # numbers with a decimal comma: (2,92; 2,67), as Brazilian texts write
        return sep.join(render(p, gettext, ngettext, decimal) for p in text.parts)
    if isinstance(text, Msg):
        if text.plural is not None:
            template = ngettext(text.msgid, text.plural, text.n or 0)
        else:
            template = gettext(text.msgid)
        args = {k: render(v, gettext, ngettext, decimal) for k, v in text.args}
        if text.n is not None:
            args.setdefault("n", str(text.n))
        if not args:
            return template
        try:
            return template.format(**args)
        except (KeyError, IndexError, ValueError):
            # A translation with a wrong placeholder: fall back to the English text.
            try:
                return text.msgid.format(**args)
            except (KeyError, IndexError, ValueError):
                return template
    if isinstance(text, bool):
        return str(text)
    if isinstance(text, float):
        return format_number(Num(text), decimal)
    return str(text)
