"""A safe arithmetic evaluator for exercise answers (never ``eval``).

Students may type numbers or small expressions: ``0.5*1.2 + 0.1``,
``sigmoid(0.3)``, ``1/(1+e^-2)``, ``[1, 2, 3]``, ``1 2; 3 4``.

Accepted:
- numbers (``3``, ``0.5``, ``1e-3``), ``+ - * / **``, ``^`` as power,
  unary minus, parentheses;
- ``·``, ``×`` and ``÷`` for multiply/divide, ``−`` (Unicode minus) for minus;
- functions exp, log (natural), ln, log10, sqrt, sin (also ``sen``), cos,
  tan (also ``tg``), tanh, abs, sigmoid, max, min, floor, ceil; constants e and pi;
- the prompts' own notation: superscript powers (``2²``, ``tanh(2)²``,
  ``tanh²(2)`` for ``tanh(2)²``, ``e⁻¹``), percentages (``95%`` is 0.95), and a
  vector in parentheses (``(1, 0.5, 0.25)``).

Decimal comma. In English a comma is read as a decimal separator in a
*scalar* answer only when it cannot mean anything else: the text has no
``.``, no brackets, no function call, and every comma sits between two
digits (``0,5`` or ``2,5*3``). In a language whose decimal mark is the comma
(pt-BR; ``decimal_comma=None`` asks :func:`tui_workshop.i18n.decimal_mark`),
a comma between two digits is a decimal mark everywhere it can be one
(``1/(1+exp(-0,58))``; ``1,2,3`` stays three values) and ``;`` separates the
arguments of a function (``max(0,5; 1)``). In every language, a bracketed
vector or matrix with ``;`` between its values is read the Brazilian way:
``[0,2; -0,1]``, ``[[3; 1]; [2; 2]]``.

Vectors and matrices (:func:`evaluate_array`): ``[1, 2, 3]``,
``[[1, 2], [3, 4]]``, or without brackets ``1 2 3`` / ``1, 2, 3`` (one row)
and ``1 2; 3 4`` (rows separated by ``;`` or new lines).

Limits guard against abuse: at most :data:`MAX_LENGTH` characters, nesting
depth :data:`MAX_DEPTH`, exponents up to :data:`MAX_EXPONENT` in size, and
every result must be a finite number.
"""

from __future__ import annotations

import ast
import math
import re
import warnings
from collections.abc import Callable

from tui_workshop.i18n.message import Num, Text, msg, msg_n

MAX_LENGTH = 400
MAX_DEPTH = 40
MAX_EXPONENT = 1000.0
MAX_ELEMENTS = 400


class ExprError(ValueError):
    """An answer that cannot be read; ``message`` (a message key) is shown to the student."""

    def __init__(self, message: Text) -> None:
        self.message = message
        super().__init__(str(message))


def _quote(value: object, limit: int = 24) -> str:
    """``value`` quoted for a message, control characters escaped, cut at ``limit``."""
    text = repr(str(value))
    return text if len(text) <= limit else text[: limit - 2] + "…" + text[0]


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def _log(x: float) -> float:
    return math.log(x)


FUNCTIONS: dict[str, tuple[Callable[..., float], int | None]] = {
    # name: (function, number of arguments or None for one or more)
    "exp": (math.exp, 1),
    "log": (_log, 1),
    "ln": (_log, 1),
    "log10": (math.log10, 1),
    "sqrt": (math.sqrt, 1),
    "sin": (math.sin, 1),
    "cos": (math.cos, 1),
    "tan": (math.tan, 1),
    "sen": (math.sin, 1),  # the Portuguese names
    "tg": (math.tan, 1),
    "tanh": (math.tanh, 1),
    "abs": (abs, 1),
    "sigmoid": (_sigmoid, 1),
    "max": (max, None),
    "min": (min, None),
    "floor": (math.floor, 1),
    "ceil": (math.ceil, 1),
}
CONSTANTS = {"e": math.e, "pi": math.pi, "π": math.pi}

_REPLACEMENTS = {
    "·": "*",
    "×": "*",
    "⋅": "*",
    "÷": "/",
    "−": "-",
    "–": "-",
    "^": "**",
    "π": "pi",
}
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
_SUPERSCRIPT_RUN = "[⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺]+"
# "tanh²(" : a function raised to a power, written before its argument
_FUNCTION_POWER = re.compile(rf"([A-Za-z_]\w*)({_SUPERSCRIPT_RUN})\s*\(")
_POWER = re.compile(_SUPERSCRIPT_RUN)
# "95%", "12.5 %": a percentage is a number divided by 100
_PERCENT = re.compile(r"((?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*%(?!\s*[\w.(])")
_DECIMAL_COMMA = re.compile(r"(?<=\d),(?=\d)")
# A comma between two digits that can be a decimal mark: not in "1,2,3" (three values).
_DECIMAL_COMMA_NUMBER = re.compile(r"(?<![\d.])(?<!\d,)(\d+),(\d+)(?!\d|,\d)")
_CALL = re.compile(r"[A-Za-z_]\w*\s*\(")


def _normalise(text: str) -> str:
    if len(text) > MAX_LENGTH:
        raise ExprError(msg("too long (at most {n} characters)", n=MAX_LENGTH))
    text = text.strip()
    for old, new in _REPLACEMENTS.items():
        text = text.replace(old, new)
    if not text:
        raise ExprError(msg("empty answer"))
    _check_balance(text)
    text = _superscripts(text)
    return _PERCENT.sub(r"(\1/100)", text)


def _superscripts(text: str) -> str:
    """Superscript powers as ``**``: "x²" -> "x**(2)", "tanh²(2)" -> "(tanh(2))**(2)"."""
    while match := _FUNCTION_POWER.search(text):
        close = _matching(text, match.end() - 1)
        power = match.group(2).translate(_SUPERSCRIPTS)
        call = match.group(1) + text[match.end() - 1 : close + 1]
        text = f"{text[: match.start()]}({call})**({power}){text[close + 1 :]}"
    return _POWER.sub(lambda m: f"**({m.group(0).translate(_SUPERSCRIPTS)})", text)


def _matching(text: str, start: int) -> int:
    """The index of the bracket closing the one at ``start`` (balance already checked)."""
    depth = 0
    for index in range(start, len(text)):
        if text[index] in "([":
            depth += 1
        elif text[index] in ")]":
            depth -= 1
            if depth == 0:
                return index
    return len(text) - 1


def _check_balance(text: str) -> None:
    pairs = {")": "(", "]": "["}
    stack: list[str] = []
    for char in text:
        if char in "([":
            stack.append(char)
        elif char in ")]" and (not stack or stack.pop() != pairs[char]):
            raise ExprError(
                msg("unbalanced parentheses") if char == ")" else msg("unbalanced brackets")
            )
    if stack:
        raise ExprError(
            msg("unbalanced parentheses") if stack[-1] == "(" else msg("unbalanced brackets")
        )


def _comma_is_decimal(text: str) -> bool:
    if "," not in text or "." in text or "[" in text or _CALL.search(text):
        return False
    return text.count(",") == len(_DECIMAL_COMMA.findall(text))


def _parse(text: str) -> ast.expr:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. SyntaxWarning for "1if"
            tree = ast.parse(text, mode="eval")
    except SyntaxError:
        raise ExprError(msg("not a valid expression")) from None
    except (ValueError, RecursionError, MemoryError):
        raise ExprError(msg("not a valid expression")) from None
    return tree.body


class _Evaluator:
    def __init__(self, allow_lists: bool) -> None:
        self.allow_lists = allow_lists

    def value(self, node: ast.expr, depth: int = 0) -> float | list:
        if depth > MAX_DEPTH:
            raise ExprError(msg("expression nested too deeply"))
        if isinstance(node, ast.Constant):
            value = node.value
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ExprError(msg("not a number: {value}", value=_quote(value)))
            try:
                return self._finite(float(value))
            except OverflowError:
                raise ExprError(msg("number too large")) from None
        if isinstance(node, ast.Name):
            if node.id in CONSTANTS:
                return CONSTANTS[node.id]
            if node.id in FUNCTIONS:
                raise ExprError(msg("{name} is a function: write {name}(...)", name=node.id))
            raise ExprError(msg("unknown name {name}", name=_quote(node.id)))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            operand = self.scalar(node.operand, depth + 1)
            return -operand if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.BinOp):
            return self._binop(node, depth)
        if isinstance(node, ast.Call):
            return self._call(node, depth)
        if isinstance(node, (ast.List, ast.Tuple)) and self.allow_lists:
            if len(node.elts) > MAX_ELEMENTS:
                raise ExprError(msg("too many values (at most {n})", n=MAX_ELEMENTS))
            return [self.value(item, depth + 1) for item in node.elts]
        if isinstance(node, (ast.List, ast.Tuple)):
            raise ExprError(msg("expected a single number, not a list"))
        raise ExprError(msg("not a valid expression"))

    def scalar(self, node: ast.expr, depth: int) -> float:
        value = self.value(node, depth)
        if isinstance(value, list):
            raise ExprError(msg("expected a single number, not a list"))
        return value

    def _binop(self, node: ast.BinOp, depth: int) -> float:
        left = self.scalar(node.left, depth + 1)
        right = self.scalar(node.right, depth + 1)
        op = node.op
        try:
            if isinstance(op, ast.Add):
                result = left + right
            elif isinstance(op, ast.Sub):
                result = left - right
            elif isinstance(op, ast.Mult):
                result = left * right
            elif isinstance(op, ast.Div):
                if right == 0:
                    raise ExprError(msg("division by zero"))
                result = left / right
            elif isinstance(op, ast.Pow):
                if abs(right) > MAX_EXPONENT:
                    raise ExprError(msg("exponent too large (at most {n})", n=_fmt(MAX_EXPONENT)))
                if left == 0 and right < 0:
                    raise ExprError(msg("division by zero"))
                result = left**right
                if isinstance(result, complex):
                    raise ExprError(msg("a negative number to a fractional power"))
            else:
                raise ExprError(msg("not a valid expression (only + - * / and ^)"))
        except OverflowError:
            raise ExprError(msg("number too large")) from None
        return self._finite(result)

    def _call(self, node: ast.Call, depth: int) -> float:
        if not isinstance(node.func, ast.Name):
            raise ExprError(msg("not a valid expression"))
        name = node.func.id
        if name not in FUNCTIONS:
            raise ExprError(msg("unknown function {name}", name=_quote(name)))
        if node.keywords:
            raise ExprError(msg("{name}() takes plain values only", name=name))
        function, arity = FUNCTIONS[name]
        args = [self.scalar(arg, depth + 1) for arg in node.args]
        if arity is None and not args:
            raise ExprError(msg("{name}() needs at least one value", name=name))
        if arity is not None and len(args) != arity:
            raise ExprError(
                msg_n(
                    "{name}() takes {n} value, got {count}",
                    "{name}() takes {n} values, got {count}",
                    arity,
                    name=name,
                    count=len(args),
                )
            )
        try:
            # max(x) of one value is x (Python's max wants an iterable then)
            result = args[0] if arity is None and len(args) == 1 else function(*args)
        except (ValueError, ZeroDivisionError):
            raise ExprError(
                msg("{name}() is not defined for {value}", name=name, value=_fmt(args[0]))
            ) from None
        except OverflowError:
            raise ExprError(msg("number too large")) from None
        return self._finite(float(result))

    @staticmethod
    def _finite(value: float) -> float:
        if not math.isfinite(value):
            raise ExprError(msg("the result is not a finite number"))
        return value


def _fmt(value: float) -> Num:
    return Num(value, digits=0, exact=True, max_digits=6)


def _uses_decimal_comma(decimal_comma: bool | None) -> bool:
    if decimal_comma is not None:
        return decimal_comma
    from tui_workshop.i18n import decimal_mark  # the current language's convention

    return decimal_mark() == ","


def _decimal_commas(text: str) -> str:
    """``0,58`` -> ``0.58`` wherever a comma between digits can be a decimal mark."""
    return _DECIMAL_COMMA_NUMBER.sub(r"\1.\2", text)


def evaluate(text: str, decimal_comma: bool | None = None) -> float:
    """The value of a scalar expression; :class:`ExprError` when it cannot be read.

    ``decimal_comma``: read commas between digits as decimal marks (pt-BR);
    None follows the current language.
    """
    text = _normalise(text)
    if _uses_decimal_comma(decimal_comma):
        text = _decimal_commas(text).replace(";", ",")
    elif _comma_is_decimal(text):
        text = text.replace(",", ".")
    node = _parse(text)
    if isinstance(node, ast.Tuple):
        raise ExprError(msg("expected a single number; use '.' for decimals"))
    return _Evaluator(allow_lists=False).scalar(node, 0)


def _split_top(text: str, separators: str) -> list[str]:
    """Split at separators outside parentheses/brackets."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        if depth == 0 and char in separators:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _row(text: str, evaluator: _Evaluator) -> list[float]:
    text = text.strip()
    if not text:
        raise ExprError(msg("an empty row"))
    if len(_split_top(text, ",")) > 1:
        pieces = _split_top(text, ",")
    else:
        pieces = [p for p in _split_top(text, " \t") if p]
        # "1 - 2" is one expression, "1 -2" two values (as in MATLAB/NumPy)
        if len(pieces) > 1 and any(_is_operator_piece(p) for p in pieces):
            pieces = [text]
    values = []
    for piece in pieces:
        if not piece.strip():
            raise ExprError(msg("an empty value between commas"))
        values.append(evaluator.scalar(_parse(piece.strip()), 0))
    return values


def _is_operator_piece(piece: str) -> bool:
    return piece[0] in "*/" or piece[-1] in "+-*/" or piece in ("+", "-")


def evaluate_array(text: str, decimal_comma: bool | None = None) -> list:
    """Numbers of a vector (a flat list) or matrix (a list of equal-length rows).

    A single number gives a one-element list. ``decimal_comma`` as for
    :func:`evaluate`; ``[0,2; -0,1]`` (``;`` between values) is read in any
    language.
    """
    text = _normalise(text)
    evaluator = _Evaluator(allow_lists=True)
    if text.startswith("(") and _matching(text, 0) == len(text) - 1:
        inner = text[1:-1]
        if len(_split_top(inner, ",")) > 1:  # "(1, 0.5, 0.25)": a vector as the prompt writes it
            text = f"[{inner}]"
    comma = _uses_decimal_comma(decimal_comma)
    if text.startswith("[") and ";" in text:
        # the Brazilian form: ";" separates values, "," is the decimal mark
        text = _decimal_commas(text).replace(";", ",")
    elif text.startswith("[") and comma and ", " in text:
        # "[0,2, 1,0]": commas followed by a space separate, the others are decimals
        text = _decimal_commas(text)
    elif comma and not text.startswith("["):
        text = _decimal_commas(text)
    if text.startswith("["):
        value = evaluator.value(_parse(text), 0)
        if not isinstance(value, list):
            # e.g. "[1, 2] * 2"
            raise ExprError(msg("expected a list of numbers like [1, 2, 3]"))
        return _check_rectangular(value)
    rows = [r for r in re.split(r"[;\n]", text) if r.strip()]
    if not rows:
        raise ExprError(msg("empty answer"))
    matrix = [_row(r, evaluator) for r in rows]
    if len(matrix) == 1:
        return matrix[0]
    return _check_rectangular(matrix)


def _check_rectangular(value: list) -> list:
    if all(not isinstance(v, list) for v in value):
        return value
    if not all(isinstance(v, list) for v in value):
        raise ExprError(msg("mixes numbers and rows"))
    widths = {len(row) for row in value}
    if len(widths) != 1:
        raise ExprError(msg("rows have different lengths"))
    for row in value:
        if any(isinstance(v, list) for v in row):
            raise ExprError(msg("only vectors and matrices are accepted"))
    total = sum(len(r) for r in value)
    if total > MAX_ELEMENTS:
        raise ExprError(msg("too many values (at most {n})", n=MAX_ELEMENTS))
    return value


def shape(value: list) -> tuple[int, ...]:
    """(n,) for a vector, (rows, cols) for a matrix."""
    if value and isinstance(value[0], list):
        return (len(value), len(value[0]))
    return (len(value),)
