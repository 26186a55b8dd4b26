"""When a zone was last treated, and so which timing band applies to it today: from the record and
from the typed "last treatment".

The typed answers (``prior_treatment_date``, ``prior_zones``) are what the patient remembers or
the practitioner types; the record (``RecordedTreatments``) is what was given here. For timing the
record wins: a mistyped or "never" answer cannot bring back a full dose a few days after one. A
touch-up belongs to the cycle of the full dose before it: once a zone is touched up, it waits for
its next full treatment (that full dose + the retreatment interval) whatever date is typed, so no
zone gets a second touch-up in one cycle, and not before the touch-up's own peak. A typed date
later than anything recorded for the zone may be a treatment elsewhere: then the stricter of the
two applies. A typed answer that disagrees
with the record is a warning naming both dates. Pure: the caller reads the store.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from assistant.core.consult import Consult
from assistant.core.knowledge_model import Timing, TimingBand, Zone
from assistant.core.plan import Deferred, PlanWarning, RecordedDose, RecordedTreatments
from assistant.core.problems import AnswerProblem, InvalidAnswers
from assistant.core.text import counted, fill
from assistant.core.timing import band_for, band_reason, not_before

CONTRADICTION = "prior_treatment_record"
"""The warning code of a typed last treatment that the record contradicts."""


@dataclass(frozen=True)
class ZoneTiming:
    """What a zone's last treatment allows today: ``band`` counted ``days`` from ``prior`` (no band:
    never treated, a full dose), or ``deferred`` when the zone waits."""

    band: TimingBand | None = None
    days: int = 0
    prior: date | None = None
    deferred: Deferred | None = None

    def rank(self) -> tuple[int, date]:
        """Stricter is larger: a deferral (the later, the stricter), then a touch-up, then a full dose."""
        if self.deferred is not None:
            return 2, self.deferred.not_before
        return (1 if self.band is not None and self.band.action == "touch_up" else 0), date.min


def counted_from(timing: Timing, zone: Zone, today: date, prior: date) -> ZoneTiming:
    """The band of ``today - prior`` days, deferring the zone when the band says so."""
    days = (today - prior).days
    band = band_for(timing, days)
    if band is None:
        problem = f"no timing rule covers {counted(days, 'day')} since the last treatment."
        raise InvalidAnswers([AnswerProblem("prior_treatment_date", problem)])
    if band.action != "defer":
        return ZoneTiming(band, days, prior)
    day = not_before(band, prior)
    assert day is not None  # a defer band has not_before_day (the knowledge model checks it)
    waits = Deferred(
        zone=zone.id,
        zone_label=zone.label,
        reason=band_reason(band, days),
        not_before=day,
        patient_reason=fill(band.patient_reason.en, days=days) if band.patient_reason else None,
        sources=band.sources,
    )
    return ZoneTiming(band, days, prior, waits)


def typed_timing(timing: Timing, zone: Zone, consult: Consult) -> ZoneTiming:
    """The zone's timing from the typed answers alone."""
    prior = consult.prior_treatment_date
    if prior is None or zone.id not in consult.prior_zones:
        return ZoneTiming()
    return counted_from(timing, zone, consult.today, prior)


def record_timing(timing: Timing, zone: Zone, today: date, doses: Sequence[RecordedDose]) -> ZoneTiming | None:
    """The zone's timing from its recorded doses (oldest first, none after ``today``); None when
    the record holds none."""
    if not doses:
        return None
    retreat = int(timing.retreatment_interval_days.value)
    fulls = [d for d in doses if d.kind == "full"]
    full = fulls[-1].given_on if fulls else None
    touch_ups = [d.given_on for d in doses if d.kind == "touch_up" and (full is None or d.given_on >= full)]
    if not touch_ups:
        assert full is not None
        return counted_from(timing, zone, today, full)
    touched = touch_ups[-1]
    in_cycle = full is not None and (touched - full).days < retreat
    anchor = full if in_cycle and full is not None else touched
    counted = counted_from(timing, zone, today, anchor)
    next_full = anchor + timedelta(days=retreat)
    if today >= next_full:
        return _after_the_peak(timing, zone, today, touched, counted)
    after = f"after its full treatment of {anchor.isoformat()}" if in_cycle else "(no full dose of it is recorded)"
    sources = tuple(dict.fromkeys((*timing.touch_up.sources, *timing.retreatment_interval_days.sources)))
    waits = Deferred(
        zone=zone.id,
        zone_label=zone.label,
        reason=(
            f"touched up on {touched.isoformat()} {after}: no second touch-up in the same cycle; the next "
            f"full treatment from {next_full.isoformat()}, retreatment no more often than every {retreat} days"
        ),
        not_before=next_full,
        patient_reason=counted.deferred.patient_reason if counted.deferred is not None else None,
        sources=sources,
    )
    return ZoneTiming(counted.band, counted.days, anchor, waits)


def _after_the_peak(timing: Timing, zone: Zone, today: date, touched: date, counted: ZoneTiming) -> ZoneTiming:
    """``counted`` once the cycle is over, unless the touch-up has not reached its peak: a touch-up
    given late in the cycle (day 77 of 90) would otherwise let a full dose follow it 13 days later,
    an adjustment before the peak that risks overcorrection. Then the touch-up's own early band
    defers the zone (from day 18 after it)."""
    if (today - touched).days >= int(timing.peak_day.value):
        return counted
    early = counted_from(timing, zone, today, touched)
    return early if early.deferred is not None else counted


def zone_timing(timing: Timing, zone: Zone, consult: Consult, recorded: RecordedTreatments | None) -> ZoneTiming:
    """The record's timing of the zone when it holds a dose of it (the stricter of the two when the
    typed date is later than the record's last dose), else the typed answer's."""
    typed = typed_timing(timing, zone, consult)
    doses = recorded.of_zone(zone.id, consult.today) if recorded is not None else []
    from_record = record_timing(timing, zone, consult.today, doses)
    if from_record is None:
        return typed
    if typed.prior is not None and typed.prior > doses[-1].given_on:
        return max((from_record, typed), key=ZoneTiming.rank)
    return from_record


def contradiction(consult: Consult, zones: Sequence[Zone], recorded: RecordedTreatments | None) -> PlanWarning | None:
    """A warning naming the typed last treatment and the record's dates, for today's zones whose last
    recorded dose the typed answers do not give (None when they agree or the record holds none)."""
    if recorded is None:
        return None
    typed = consult.prior_treatment_date
    differing: dict[date, list[str]] = {}
    for zone in zones:
        doses = recorded.of_zone(zone.id, consult.today)
        if not doses:
            continue
        last = doses[-1].given_on
        if typed is None or typed != last or zone.id not in consult.prior_zones:
            differing.setdefault(last, []).append(zone.label.split(" (")[0])
    if not differing:
        return None
    labels = {zone.id: zone.label.split(" (")[0] for zone in zones}  # the zones by name, not by id
    prior = ", ".join(labels.get(z, z.replace("_", " ")) for z in consult.prior_zones) or "no zones"
    said = f"{typed.isoformat()} ({prior})" if typed is not None else "never"
    held = "; ".join(f"{', '.join(labels)} given on {day.isoformat()}" for day, labels in sorted(differing.items()))
    later = typed is not None and all(typed > day for day in differing)
    rule = (
        "if the patient was treated elsewhere since, the stricter of the two counts"
        if later
        else "the record counts for timing"
    )
    return PlanWarning(
        code=CONTRADICTION,
        message=f"the last treatment was typed as {said}, but the record holds {held}: {rule}.",
    )
