"""Timing rules: which band a prior treatment falls in, and the follow-up dates of a plan."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

from assistant.core.knowledge_model import Timing, TimingBand, TouchUp
from assistant.core.plan import FollowUp
from assistant.core.text import counted, fill, number


def band_for(timing: Timing, days: int) -> TimingBand | None:
    """The band covering ``days`` since the prior treatment (None only for a broken knowledge base,
    which ``check`` reports)."""
    return next(
        (b for b in timing.bands if b.from_day <= days and (b.to_day is None or days <= b.to_day)),
        None,
    )


def follow_up(
    timing: Timing, today: date, kinds: Collection[str] = (), prior_treatment: date | None = None
) -> FollowUp:
    """The review date, and what comes after today's doses (``kinds``: "full", "touch_up").

    Full doses get the touch-up window; touch-ups get the date of the next full treatment (the prior
    treatment + the retreatment interval). A plan made only of touch-ups gets no second window, and
    one that injects nothing (no ``kinds``: contraindicated, refused, every zone deferred) none at all.
    """
    rule = timing.follow_up
    window = "full" in kinds
    next_full = None
    if "touch_up" in kinds and prior_treatment is not None:
        next_full = prior_treatment + timedelta(days=int(timing.retreatment_interval_days.value))
    return FollowUp(
        review_date=today + timedelta(days=rule.review_after_days),
        touch_up_from=today + timedelta(days=rule.touch_up_from_day) if window else None,
        touch_up_to=today + timedelta(days=rule.touch_up_to_day) if window else None,
        next_full_treatment=next_full,
    )


def describe_days_since(timing: Timing, prior: date, today: date) -> str:
    """One sentence for the practitioner about what a prior treatment date means today."""
    days = (today - prior).days
    band = band_for(timing, days)
    if band is None:
        return f"Last treatment {counted(days, 'day')} ago."
    peak = int(timing.peak_day.value)
    ago = counted(days, "day")
    amount = band_amount(band, timing.touch_up)
    return f"Last treatment {ago} ago (Botulax peaks at about day {peak}): {fill(band.reason, days=days)}{amount}."


def band_reason(band: TimingBand, days: int) -> str:
    """A band's reason for one zone, saying how long ago it was treated."""
    return f"treated {counted(days, 'day')} ago: {fill(band.reason, days=days)}"


def not_before(band: TimingBand, prior: date) -> date | None:
    return prior + timedelta(days=band.not_before_day) if band.not_before_day is not None else None


def per_zone(paired: bool | None) -> str:
    """How a touch-up's units apply to a zone: per side of a paired zone, for the whole of a central
    one (the planner gives it one side's units, ``timing.touch_up``), both when no zone is named.
    "Per side" for a glabella would read as twice the dose."""
    if paired is None:
        return "per side of a paired zone, for the whole of a central one"
    return "per side" if paired else "for the zone"


def touch_up_words(rule: TouchUp, paired: bool | None = None) -> str:
    """The touch-up's range in a zone's words ("2-3 U per side", "2-3 U for the zone"); the units
    themselves are ``lifecycle.residuals.touch_up_units``."""
    return f"{number(rule.min_units)}-{number(rule.max_units)} U {per_zone(paired)}"


def band_amount(band: TimingBand, rule: TouchUp, paired: bool | None = None) -> str:
    """What a band's reason is followed by: how much a touch-up band allows ("; a small touch-up of
    2-3 U per side"), nothing for any other band. The knowledge base's bands say when, ``touch_up``
    how much."""
    return f"; a small touch-up of {touch_up_words(rule, paired)}" if band.action == "touch_up" else ""
