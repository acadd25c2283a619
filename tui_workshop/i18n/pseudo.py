"""The pseudo-locale ``qps-ploc``: every translated text accented, bracketed and longer.

``pseudo("Next page {n}")`` gives ``⟦Ñéẋţ þåĝé {n} ·······⟧``: placeholders
stay intact, ASCII letters become accented look-alikes, and padding makes
the text about 30 % longer. A screen rendered in this locale shows English
that did not go through the catalogues as plain ASCII words, and layouts
that cannot take longer words break visibly.
"""

from __future__ import annotations

import gettext
import re

PSEUDO = "qps-ploc"
OPEN, CLOSE, PAD = "⟦", "⟧", "·"

_PLAIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ACCENTED = "åƀçđéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÅƁÇĐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ"
_TABLE = str.maketrans(_PLAIN, _ACCENTED)
# Placeholders ({name}, and argparse's %(name)s and %s), Rich markup tags and key names
# like F5 are kept as they are.
_KEEP = re.compile(
    r"\{[^{}]*\}|%\(\w+\)[a-z]|%[a-z](?![a-z])|\[/?[a-z@$#][^\[\]]*\]|\bF\d{1,2}\b"
)


def accent(text: str) -> str:
    """ASCII letters outside placeholders replaced by accented look-alikes."""
    out, last = [], 0
    for match in _KEEP.finditer(text):
        out.append(text[last : match.start()].translate(_TABLE))
        out.append(match.group())
        last = match.end()
    out.append(text[last:].translate(_TABLE))
    return "".join(out)


def pseudo(text: str) -> str:
    """``text`` in the pseudo-locale; empty texts stay empty, each line is wrapped."""
    if not text.strip():
        return text
    result = []
    for line in text.split("\n"):
        if not line.strip():
            result.append(line)
            continue
        letters = sum(ch.isalpha() for ch in line)
        pad = PAD * max(1, round(0.3 * letters)) if letters else ""
        result.append(f"{OPEN}{accent(line)}{(' ' + pad) if pad else ''}{CLOSE}")
    return "\n".join(result)


def is_pseudo_word_free(text: str, allowed: frozenset[str] = frozenset()) -> list[str]:
    """English-looking words (runs of 3+ plain ASCII letters) in ``text`` not in ``allowed``."""
    return [w for w in re.findall(r"[A-Za-z]{3,}", text) if w not in allowed]


class PseudoTranslations(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return pseudo(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo(msgid1 if n == 1 else msgid2)
