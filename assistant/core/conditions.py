"""The small condition language of scripts and knowledge files.

Trainers write infix expressions over answer ids (``age >= 18 and selected(zones, 'forehead')``).
They are parsed once and checked statically when a script loads (syntax, names, functions, codes),
and evaluated by simpleeval, never by ``eval``. A comparison with an unanswered question is simply
false, so ``show_if: sex == 'female'`` hides the question until sex is known.
"""

from __future__ import annotations

import ast
import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from assistant.core.condition_eval import _CONSTANTS, FUNCTION_ARITY, MAX_LENGTH, NEVER, evaluate, parse
from assistant.core.text import counted

__all__ = [
    "FUNCTION_ARITY",
    "MAX_LENGTH",
    "NEVER",
    "ExpressionProblem",
    "check_expression",
    "compared_codes",
    "evaluate",
    "parse",
    "referenced_names",
]

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


MAX_NODES = 400
MAX_DEPTH = 30
"""Parts of a condition, and how deeply they nest (``a + b + c`` nests one level per ``+``)."""

_OPERATOR_WORDS: dict[type[ast.AST], str] = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.Pow: "**",
    ast.Mod: "%",
    ast.FloorDiv: "//",
    ast.MatMult: "@",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitOr: "|",
    ast.BitXor: "^",
    ast.BitAnd: "&",
    ast.Invert: "~",
    ast.UAdd: "unary +",
    ast.Is: "is",
    ast.IsNot: "is not",
}

_CONSTANT_TYPES = (str, int, float, bool, type(None))


@dataclass(frozen=True)
class ExpressionProblem:
    """Something wrong with an expression, in words a trainer understands."""

    code: str
    message: str


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
            listed = [i for o in operands if isinstance(o, ast.List | ast.Tuple) for i in o.elts]
            literals = [
                o.value for o in [*operands, *listed] if isinstance(o, ast.Constant) and isinstance(o.value, str)
            ]
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


def _shown(node: ast.AST) -> str:
    """How a part of a condition reads, for a message (an operator by its symbol)."""
    if type(node) in _OPERATOR_WORDS:
        return _OPERATOR_WORDS[type(node)]
    try:
        text = ast.unparse(node)
    except (RecursionError, ValueError):
        text = ""
    text = text or type(node).__name__
    return text if len(text) <= 60 else text[:57] + "..."


def _size_problem(tree: ast.Expression) -> ExpressionProblem | None:
    """A condition too large or too deeply nested to evaluate, found without recursing."""
    count, stack = 0, [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_NODES or depth > MAX_DEPTH:
            what = (
                f"has more than {MAX_NODES} parts" if count > MAX_NODES else f"nests more than {MAX_DEPTH} levels deep"
            )
            return ExpressionProblem("expression-too-long", f"the condition {what}; write it more simply.")
        stack += [(child, depth + 1) for child in ast.iter_child_nodes(node)]
    return None


def _text_operand(node: ast.BinOp) -> bool:
    """Arithmetic whose operand is written as text or a list: never a number."""
    return any(
        isinstance(side, ast.List | ast.Tuple) or (isinstance(side, ast.Constant) and isinstance(side.value, str))
        for side in (node.left, node.right)
    )


def _is_selected(node: ast.Call) -> bool:
    return isinstance(node.func, ast.Name) and node.func.id == "selected"


def _list_codes(node: ast.Call) -> bool:
    return any(isinstance(arg, ast.List | ast.Tuple) for arg in node.args[1:])


def check_expression(expression: str, known: Iterable[str], later: Iterable[str] = ()) -> list[ExpressionProblem]:
    """Every problem in an expression, found without evaluating it.

    ``known`` are the names it may read (earlier answers); ``later`` are ids that exist but are
    asked later, which gets its own message because the fix is different (move the question).
    """
    known_set, later_set = set(known), set(later)
    try:
        tree = parse(expression)
    except SyntaxError as error:
        shown = expression if len(expression) <= 80 else expression[:77] + "..."
        where = f" (at character {error.offset})" if error.offset else ""
        why = f": {error.msg}" if error.msg and error.msg != "invalid syntax" and not error.offset else ""
        return [ExpressionProblem("expression-syntax", f"cannot read the condition '{shown}'{where}{why}.")]
    size = _size_problem(tree)
    if size is not None:
        return [size]
    problems: list[ExpressionProblem] = []
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED_NODES):
            problems.append(
                ExpressionProblem(
                    "expression-syntax",
                    f"'{_shown(node)}' is not allowed in a condition; use answers, comparisons, "
                    "and/or/not and the functions " + ", ".join(sorted(FUNCTION_ARITY)) + ".",
                )
            )
        elif isinstance(node, ast.Constant) and not isinstance(node.value, _CONSTANT_TYPES):
            problems.append(
                ExpressionProblem(
                    "expression-syntax",
                    f"the value {node.value!r} is not allowed in a condition; use text in quotes, numbers, "
                    "True/False or never.",
                )
            )
        elif isinstance(node, ast.BinOp) and _text_operand(node):
            problems.append(
                ExpressionProblem(
                    "expression-syntax",
                    f"'{_shown(node.op)}' works on numbers only, not on text or lists (in {_shown(node)}).",
                )
            )
        elif isinstance(node, ast.Call) and _is_selected(node) and _list_codes(node):
            problems.append(
                ExpressionProblem(
                    "expression-syntax",
                    "selected() takes the codes one by one, not as a list: selected(zones, 'forehead', 'glabella').",
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
                expected = counted(low, "argument") if low == high else f"at least {counted(low, 'argument')}"
                problems.append(
                    ExpressionProblem(
                        "expression-syntax",
                        f"{node.func.id}() takes {expected}, got {count}.",
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
