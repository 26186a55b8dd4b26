"""Evaluating the conditions of scripts and knowledge files: total, bounded, never ``eval``.

simpleeval walks the parsed expression with the operators below. Every operator and function is
total over what a consult can hold: an unanswered question (None), a text, a date, ``never``. A
comparison across kinds is false, arithmetic works on numbers only (anything else gives None, so
the comparison it feeds is false) and text is never repeated, so whatever ``check`` accepts
evaluates to True or False, quickly (see ``conditions.check_expression`` for what it accepts).
"""

from __future__ import annotations

import ast
import operator
import threading
from collections.abc import Callable, Mapping
from datetime import date
from functools import lru_cache
from typing import Any

from simpleeval import DEFAULT_OPERATORS, SimpleEval

NEVER = "never"


def _selected(answer: object, *codes: str) -> bool:
    """True when a multiple-choice answer holds any of the codes (or a single answer is one of them)."""
    if answer is None:
        return False
    chosen = list(answer) if isinstance(answer, list | tuple | set | frozenset) else [answer]
    return any(code in chosen for code in codes)


def _count(answer: object) -> int:
    if answer is None:
        return 0
    return len(answer) if isinstance(answer, list | tuple | set | frozenset) else 1


def _days_between(first: object, second: object) -> int | None:
    """Days from ``first`` to ``second``; None when either is not a date (unanswered, ``never``)."""
    if isinstance(first, date) and isinstance(second, date) and type(first) is type(second):
        return (second - first).days
    return None


def _answered(answer: object) -> bool:
    return answer is not None and answer != [] and answer != ()


FUNCTION_ARITY: dict[str, tuple[int, int | None]] = {
    "selected": (2, None),
    "count": (1, 1),
    "days_between": (2, 2),
    "today": (0, 0),
    "answered": (1, 1),
}
"""Functions a condition may call, with their minimum and maximum number of arguments."""

_CONSTANTS = {"True": True, "False": False, "None": None, "true": True, "false": False, "never": NEVER}


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _arithmetic(op: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    """Arithmetic on numbers only: anything else (an unanswered question, a text, a date) gives
    None, which makes the comparison it feeds false. Text is never repeated (``'x' * 10**11``)."""

    def safe(left: Any, right: Any) -> Any:
        if not (_is_number(left) and _is_number(right)):
            return None
        try:
            return op(left, right)
        except (ZeroDivisionError, OverflowError):
            return None

    return safe


def _comparison(op: Callable[[Any, Any], Any], *, when_unknown: bool = False) -> Callable[[Any, Any], Any]:
    """A comparison that is ``when_unknown`` (false) instead of an error when an operand is missing
    or of another kind (a date compared with ``never``)."""

    def safe(left: Any, right: Any) -> Any:
        if left is None or right is None:
            return when_unknown
        try:
            return bool(op(left, right))
        except TypeError:
            return when_unknown

    return safe


def _negative(value: Any) -> Any:
    return -value if _is_number(value) else None


_OPERATORS = dict(DEFAULT_OPERATORS)
_OPERATORS.update(
    {
        ast.Lt: _comparison(operator.lt),
        ast.LtE: _comparison(operator.le),
        ast.Gt: _comparison(operator.gt),
        ast.GtE: _comparison(operator.ge),
        ast.In: _comparison(lambda a, b: a in b),
        ast.NotIn: _comparison(lambda a, b: a not in b, when_unknown=True),
        ast.Add: _arithmetic(operator.add),
        ast.Sub: _arithmetic(operator.sub),
        ast.Mult: _arithmetic(operator.mul),
        ast.Div: _arithmetic(operator.truediv),
        ast.USub: _negative,
    }
)

MAX_LENGTH = 2000
"""Characters in one condition; a longer one is refused by ``check``, not evaluated."""


@lru_cache(maxsize=1024)
def parse(expression: str) -> ast.Expression:
    """Parse once; the same expression is evaluated many times during a consult.

    A SyntaxError for anything that cannot be read, also for what Python's own parser gives up on
    (too long, too deeply nested, a number with thousands of digits).
    """
    if len(expression) > MAX_LENGTH:
        raise SyntaxError(f"the condition is longer than {MAX_LENGTH} characters")
    try:
        return ast.parse(expression.strip(), mode="eval")
    except (ValueError, RecursionError, MemoryError) as error:
        raise SyntaxError(str(error) or type(error).__name__) from None


def evaluate(expression: str, answers: Mapping[str, object], today: date, **extra: object) -> bool:
    """Evaluate a checked expression; unanswered ids read as None, which makes comparisons false.

    A consult evaluates the same few dozen conditions tens of thousands of times (every keystroke
    re-walks the script's ``show_if``s), so neither the expression nor the evaluator is built per
    call: the parse is cached and each thread keeps one evaluator whose names and ``today`` are
    swapped in for this call. Nothing else of the evaluator changes between calls.
    """
    evaluator = _evaluator()
    evaluator.names = _Names(answers, extra)
    evaluator.functions = {**_FUNCTIONS, "today": lambda: today}
    try:
        return bool(evaluator.eval(expression, previously_parsed=parse(expression).body))
    finally:
        evaluator.names = _NO_NAMES  # the answers are not kept alive by the evaluator after the call


_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "selected": _selected,
    "count": _count,
    "days_between": _days_between,
    "answered": _answered,
}
"""The functions of ``FUNCTION_ARITY`` but ``today``, which each call binds to its own date."""


class _Names:
    """Names the evaluator reads, without copying the answers: a call's extra names first, then the
    answers, then the constants; a missing answer is None rather than an error."""

    __slots__ = ("_answers", "_extra")

    def __init__(self, answers: Mapping[str, object], extra: Mapping[str, object]) -> None:
        self._answers = answers
        self._extra = extra

    def __getitem__(self, key: str) -> object:
        if key in self._extra:
            return self._extra[key]
        if key in self._answers:
            return self._answers[key]
        return _CONSTANTS.get(key)


_NO_NAMES = _Names({}, {})


class _PerThread(threading.local):
    """One evaluator per thread: a Textual worker thread and the UI thread never share one."""

    evaluator: _Evaluator | None = None


_local = _PerThread()


def _evaluator() -> _Evaluator:
    if _local.evaluator is None:
        _local.evaluator = _Evaluator(operators=_OPERATORS, functions=dict(_FUNCTIONS), names=_NO_NAMES)
    return _local.evaluator


class _Evaluator(SimpleEval):
    """simpleeval with list and tuple literals (``sex in ['female', 'male']``), which ``check`` allows."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.nodes[ast.List] = self._eval_sequence
        self.nodes[ast.Tuple] = self._eval_sequence

    def _eval_sequence(self, node: ast.List | ast.Tuple) -> tuple[object, ...]:
        return tuple(self._eval(item) for item in node.elts)
