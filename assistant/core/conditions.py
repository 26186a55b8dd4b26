"""The small condition language of scripts and knowledge files.

Trainers write infix expressions over answer ids (``age >= 18 and selected(zones, 'forehead')``).
They are parsed once and checked statically when a script loads (syntax, names, functions, codes),
and evaluated by simpleeval, never by ``eval``. A comparison with an unanswered question is simply
false, so ``show_if: sex == 'female'`` hides the question until sex is known.
"""

from __future__ import annotations

import ast
import difflib
import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from simpleeval import DEFAULT_OPERATORS, SimpleEval

NEVER = "never"


def _selected(answer: object, *codes: str) -> bool:
    """True when a multiple-choice answer holds any of the codes (or a single answer is one of them)."""
    if answer is None:
        return False
    chosen = set(answer) if isinstance(answer, list | tuple | set | frozenset) else {answer}
    return any(code in chosen for code in codes)


def _count(answer: object) -> int:
    if answer is None:
        return 0
    return len(answer) if isinstance(answer, list | tuple | set | frozenset) else 1


def _days_between(first: object, second: object) -> int | None:
    """Days from ``first`` to ``second``; None when either is not a date (unanswered, ``never``)."""
    if isinstance(first, date) and isinstance(second, date):
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

_ALLOWED_NODES: tuple[type[ast.AST], ...] = (
    ast.Expression,
    ast.BoolOp,
    ast.And,
    ast.Or,
    ast.UnaryOp,
    ast.Not,
    ast.USub,
    ast.Compare,
    ast.Eq,
    ast.NotEq,
    ast.Lt,
    ast.LtE,
    ast.Gt,
    ast.GtE,
    ast.In,
    ast.NotIn,
    ast.BinOp,
    ast.Add,
    ast.Sub,
    ast.Mult,
    ast.Div,
    ast.Name,
    ast.Load,
    ast.Constant,
    ast.Call,
    ast.List,
    ast.Tuple,
)


def _none_safe(op: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    """A comparison or arithmetic that is false (or None) instead of an error when an operand is
    missing or of another kind (a date compared with ``never``)."""

    def safe(left: Any, right: Any) -> Any:
        if left is None or right is None:
            return None if op in (operator.add, operator.sub, operator.mul, operator.truediv) else False
        try:
            return op(left, right)
        except (TypeError, ZeroDivisionError):
            return False

    return safe


_OPERATORS = dict(DEFAULT_OPERATORS)
for _node, _op in (
    (ast.Lt, operator.lt),
    (ast.LtE, operator.le),
    (ast.Gt, operator.gt),
    (ast.GtE, operator.ge),
    (ast.Add, operator.add),
    (ast.Sub, operator.sub),
    (ast.Mult, operator.mul),
    (ast.Div, operator.truediv),
):
    _OPERATORS[_node] = _none_safe(_op)
_OPERATORS[ast.In] = lambda a, b: b is not None and a in b
_OPERATORS[ast.NotIn] = lambda a, b: b is None or a not in b


@dataclass(frozen=True)
class ExpressionProblem:
    """Something wrong with an expression, in words a trainer understands."""

    code: str
    message: str


@lru_cache(maxsize=1024)
def parse(expression: str) -> ast.Expression:
    """Parse once; the same expression is evaluated many times during a consult."""
    return ast.parse(expression.strip(), mode="eval")


def referenced_names(expression: str) -> set[str]:
    """Answer ids an expression reads (function names excluded)."""
    tree = parse(expression)
    calls = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    return {
        node.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and id(node) not in calls and node.id not in _CONSTANTS
    }


def compared_codes(expression: str) -> list[tuple[str, str]]:
    """(answer id, literal) pairs the expression compares, so a lint can flag a code that does not
    exist: ``sex == 'femal'`` or ``selected(zones, 'forehed')``."""
    pairs: list[tuple[str, str]] = []
    for node in ast.walk(parse(expression)):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            names = [o.id for o in operands if isinstance(o, ast.Name) and o.id not in _CONSTANTS]
            literals = [o.value for o in operands if isinstance(o, ast.Constant) and isinstance(o.value, str)]
            pairs += [(n, lit) for n in names for lit in literals]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "selected"
            and node.args
            and isinstance(node.args[0], ast.Name)
        ):
            subject = node.args[0].id
            pairs += [
                (subject, a.value) for a in node.args[1:] if isinstance(a, ast.Constant) and isinstance(a.value, str)
            ]
    return pairs


def _suggest(word: str, candidates: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(candidates), n=1)
    return f" Did you mean '{close[0]}'?" if close else ""


def check_expression(expression: str, known: Iterable[str], later: Iterable[str] = ()) -> list[ExpressionProblem]:
    """Every problem in an expression, found without evaluating it.

    ``known`` are the names it may read (earlier answers); ``later`` are ids that exist but are
    asked later, which gets its own message because the fix is different (move the question).
    """
    known_set, later_set = set(known), set(later)
    try:
        tree = parse(expression)
    except SyntaxError as error:
        where = f" (at character {error.offset})" if error.offset else ""
        return [ExpressionProblem("expression-syntax", f"cannot read the condition '{expression}'{where}.")]
    problems: list[ExpressionProblem] = []
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED_NODES):
            problems.append(
                ExpressionProblem(
                    "expression-syntax",
                    f"'{ast.unparse(node)}' is not allowed in a condition; use answers, comparisons, "
                    "and/or/not and the functions " + ", ".join(sorted(FUNCTION_ARITY)) + ".",
                )
            )
        elif isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTION_ARITY:
                name = ast.unparse(node.func)
                problems.append(
                    ExpressionProblem(
                        "unknown-function",
                        f"unknown function '{name}'.{_suggest(name, FUNCTION_ARITY)}",
                    )
                )
                continue
            low, high = FUNCTION_ARITY[node.func.id]
            count = len(node.args)
            if count < low or (high is not None and count > high) or node.keywords:
                expected = str(low) if low == high else f"at least {low}"
                problems.append(
                    ExpressionProblem(
                        "expression-syntax",
                        f"{node.func.id}() takes {expected} argument(s), got {count}.",
                    )
                )
    for name in sorted(referenced_names(expression)):
        if name in known_set:
            continue
        if name in later_set:
            problems.append(
                ExpressionProblem(
                    "later-question",
                    f"the condition reads '{name}', which is asked later; a condition can only use "
                    "answers given before it.",
                )
            )
        else:
            problems.append(
                ExpressionProblem(
                    "unknown-question",
                    f"the condition reads '{name}', which is not a question id.{_suggest(name, known_set | later_set)}",
                )
            )
    return problems


def evaluate(expression: str, answers: Mapping[str, object], today: date, **extra: object) -> bool:
    """Evaluate a checked expression; unanswered ids read as None, which makes comparisons false."""
    names: dict[str, object] = dict(_CONSTANTS)
    names.update(answers)
    names.update(extra)
    functions: dict[str, Callable[..., Any]] = {
        "selected": _selected,
        "count": _count,
        "days_between": _days_between,
        "today": lambda: today,
        "answered": _answered,
    }
    evaluator = SimpleEval(operators=_OPERATORS, functions=functions, names=_Names(names))
    return bool(evaluator.eval(expression, previously_parsed=parse(expression).body))


class _Names(dict):
    """Names the evaluator reads: a missing answer is None rather than an error."""

    def __missing__(self, key: str) -> None:
        return None
