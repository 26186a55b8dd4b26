"""A Jinja2 sandbox that also bounds work: a trainer's template cannot hang a print or fill memory.

Jinja's own sandbox keeps a template away from Python internals and caps ``range()``; it does not
stop ``{{ 9**(9**9) }}`` (one huge integer, computed for minutes), ``{{ 'x' * 10**10 }}``, nested loops
that run 10^10 times, or a ``center(10**9)``. Here:

- ``**``, ``*`` and ``%`` are intercepted: a result that would be huge is refused before it is computed;
- a filter or a call given a number above ``LARGEST_ARGUMENT`` (a width, a count) is refused;
- a format string asking for a field wider than ``LARGEST_ARGUMENT`` is refused;
- a render runs at most ``STEP_BUDGET`` template lines (``bounded_steps``), so a loop cannot hang it.

Every refusal is a ``TemplateTooCostly``, which ``render`` turns into a sentence naming the template.
Values printed by a template are shown with control and direction characters escaped
(``shown_value``), so an old record cannot drive the terminal or reorder a printed name.
"""

from __future__ import annotations

import contextlib
import functools
import re
import sys
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any

from jinja2.sandbox import SandboxedEnvironment, SecurityError
from markupsafe import Markup

from assistant.core.text_safety import printable

LARGEST_ARGUMENT = 100_000
LARGEST_SEQUENCE = 1_000_000
LARGEST_INTEGER_BITS = 100_000
STEP_BUDGET = 2_000_000
"""Template lines one render may run: the shipped documents run a few thousand."""

_FORMAT_WIDTH = re.compile(r"%[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?|\{[^{}]*?:[^{}]*?(\d+)[^{}]*\}")


class TemplateTooCostly(SecurityError):
    """A template asked for more work or memory than any document needs."""


def _too_costly(what: str) -> TemplateTooCostly:
    return TemplateTooCostly(f"{what}; a document never needs that much")


def _check_format(text: str) -> None:
    for match in _FORMAT_WIDTH.finditer(text):
        for number in match.groups():
            if number == "*" or (number and int(number) > LARGEST_ARGUMENT):
                raise _too_costly(f"the format '{match.group()[:20]}' asks for a field that wide")


def _check_arguments(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > LARGEST_ARGUMENT:
            raise _too_costly(f"the template passes the number {value if value < 10**20 else 'that large'}")


def _bounded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """The filter, refusing huge numeric arguments (the filtered value itself is not one of them)."""
    skip = 2 if getattr(function, "jinja_pass_arg", None) is not None else 1

    @functools.wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        _check_arguments(args[skip:], kwargs)
        if name == "format" and len(args) >= skip and isinstance(args[skip - 1], str):
            _check_format(args[skip - 1])
        return function(*args, **kwargs)

    return bounded


class BoundedSandbox(SandboxedEnvironment):
    """``SandboxedEnvironment`` with the bounds of the module docstring."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, finalize=shown_value, **kwargs)
        self.filters = {name: _bounded_filter(name, f) for name, f in self.filters.items()}

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            _check_power(left, right)
        elif operator == "*":
            _check_product(left, right)
        elif operator == "%" and isinstance(left, str):
            _check_format(left)
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _check_arguments(args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """``'{:>999999999}'.format(1)``: the format string is checked when ``format`` is reached."""
        wrapped = super().wrap_str_format(value)
        if wrapped is not None:
            _check_format(value.__self__)
        return wrapped


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_power(base: Any, exponent: Any) -> None:
    growing = _is_int(base) and _is_int(exponent) and exponent > 0 and abs(base) > 1
    if growing and abs(base).bit_length() * exponent > LARGEST_INTEGER_BITS:
        raise _too_costly("the template computes a power with more digits than a page holds")


def _check_product(left: Any, right: Any) -> None:
    for sequence, times in ((left, right), (right, left)):
        if isinstance(sequence, str | list | tuple) and _is_int(times) and len(sequence) * times > LARGEST_SEQUENCE:
            raise _too_costly("the template repeats a text or list that many times")
    if _is_int(left) and _is_int(right) and left.bit_length() + right.bit_length() > LARGEST_INTEGER_BITS:
        raise _too_costly("the template multiplies numbers with more digits than a page holds")


def shown_value(value: Any) -> Any:
    """What ``{{ value }}`` prints: text with control and direction characters as inert escapes.
    Line breaks stay (the text documents wrap their paragraphs); a stored name is made one line
    before it reaches a template (``services.paperwork.render_record``)."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return printable(value)
    return value


@contextlib.contextmanager
def bounded_steps(env: SandboxedEnvironment, budget: int = STEP_BUDGET) -> Iterator[None]:
    """Count the template lines run in this thread while rendering; past ``budget`` the render
    stops with ``TemplateTooCostly``. Only frames of ``env``'s templates are counted."""
    left = budget

    def in_template(frame: FrameType, event: str, arg: object) -> Any:
        nonlocal left
        if event == "line":
            left -= 1
            if left < 0:
                raise _too_costly(f"the template ran more than {budget:,} steps (a loop that does not end?)")
        return in_template

    def on_call(frame: FrameType, event: str, arg: object) -> Any:
        return in_template if frame.f_globals.get("environment") is env else None

    previous = sys.gettrace()
    sys.settrace(on_call)
    try:
        yield
    finally:
        sys.settrace(previous)
