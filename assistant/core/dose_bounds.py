"""A dose typed as an answer (a measured asymmetry's extra units): its bounds and its step.

The question must accept exactly what the planner can draw, so its step is not the script's: it is
the clinic's syringe at the clinic's dilution (``syringe.SyringeScale.step``), and its most is the
knowledge base's. A step is kept to what a person can type: at 3 mL per 100 U half a mark is 1/6 U,
which no decimal writes, so the question steps by the smallest multiple of it that a decimal writes
exactly (0.5 U, three steps of the syringe). Every answer it takes is then on the marks, and the
words say the real step. Pure: the flow is given these bounds (``Flow(..., bounds=...)``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from assistant.core.script import DecimalQuestion, IntegerQuestion, Question
from assistant.core.text import number


@dataclass(frozen=True)
class DoseBounds:
    """What a dose question accepts: ``least`` to ``most`` in steps of ``step`` (units), and why."""

    least: Fraction
    most: Fraction
    step: Fraction
    why: str
    """One sentence naming the syringe and the dilution the step comes from, and where the most does."""


def decimal_step(step: Fraction) -> Fraction:
    """The smallest multiple of ``step`` that a decimal number writes exactly (1/6 -> 1/2, 2/3 -> 2)."""
    rest = step.denominator
    for prime in (2, 5):
        while rest % prime == 0:
            rest //= prime
    return step * rest


def dose_bounds(step: Fraction, most: Fraction, syringe: str, most_from: str) -> DoseBounds:
    """The bounds of a dose question: at least one typed step, at most ``most`` brought down onto them.

    ``syringe`` describes the syringe at the clinic's dilution, ``most_from`` where ``most`` comes from.
    """
    typed = decimal_step(step)
    top = math.floor(most / typed) * typed
    why = (
        f"The clinic's syringe measures it in steps of {number(float(typed))} U ({syringe}); "
        f"at most {number(float(most))} U ({most_from})."
    )
    return DoseBounds(least=typed, most=Fraction(top), step=typed, why=why)


def bounded(question: Question, bounds: DoseBounds) -> Question:
    """``question`` asking within ``bounds`` (a number question; any other is returned as it is)."""
    if isinstance(question, IntegerQuestion):
        whole = bounds.step * bounds.step.denominator  # the smallest whole number of steps
        least = math.ceil(bounds.least / whole) * whole
        return question.model_copy(
            update={"min": int(least), "max": int(math.floor(bounds.most / whole) * whole), "step": int(whole)}
        )
    if isinstance(question, DecimalQuestion):
        return question.model_copy(
            update={"min": float(bounds.least), "max": float(bounds.most), "step": float(bounds.step)}
        )
    return question
