"""The dose planner: a validated consult + the knowledge base + today -> a Plan.

Pure and deterministic: no I/O, no clock. Every number comes from the knowledge base and every line
says which entries and sources it came from. Safety rules, in the order they are applied:
contraindications stop the plan; each zone starts from its default dose times the modifiers; a zone
never exceeds its caution threshold without a ``cap`` warning; paired zones stay symmetric unless a
measured asymmetry says otherwise; the session maximum refuses a plan outright.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from assistant.core.conditions import evaluate
from assistant.core.consult import Consult
from assistant.core.knowledge import KnowledgeBase, UnknownZone
from assistant.core.knowledge_model import TimingBand, Zone
from assistant.core.plan import (
    AppliedModifier,
    Deferred,
    Dilution,
    EarlierDoses,
    Plan,
    PlanLine,
    PlanWarning,
    Reason,
    Side,
    Versions,
)
from assistant.core.problems import AnswerProblem, InvalidAnswers
from assistant.core.text import fill, number
from assistant.core.timing import band_for, band_reason, follow_up, not_before
from assistant.settings import ClinicSettings

HALF = Decimal("0.5")


def round_half(value: Decimal) -> Decimal:
    """Nearest 0.5 U, halves rounded up (Python's round() would round 20.25 down to 20.0)."""
    return (value / HALF).quantize(Decimal(1), rounding=ROUND_HALF_UP) * HALF


def spread(units: Decimal, points: int) -> list[tuple[int, Decimal]]:
    """Split a side's units over its points in 0.5 U steps: (points, units per point) pairs.

    When the units do not divide evenly, some points carry 0.5 U more, giving a second line; so
    every line is exactly points x units per point and the side's total is kept.
    """
    halves = int(units / HALF)
    base, extra = divmod(halves, points)
    parts = [(points - extra, base * HALF), (extra, (base + 1) * HALF)]
    return [(count, per_point) for count, per_point in parts if count > 0 and per_point > 0]


@dataclass
class _ZoneDose:
    """A zone's units per side before they are spread over points."""

    zone: Zone
    kind: str
    sides: dict[str, Decimal]
    points: int
    sources: list[str]
    knowledge: list[str]
    unverified: bool
    why: str


class _Planner:
    def __init__(
        self, consult: Consult, kb: KnowledgeBase, clinic: ClinicSettings, earlier: EarlierDoses | None = None
    ) -> None:
        self.consult = consult
        self.earlier = earlier
        self.kb = kb
        self.clinic = clinic
        self.today = consult.today
        label = kb.product.reconstitution
        self.saline_ml = Decimal(str(clinic.saline_ml or label.saline_ml))
        self.vial_units = Decimal(str(clinic.vial_units or label.vial_units))
        kb_max = kb.safety.session_max_units.value
        self.session_max = min(kb_max, clinic.session_max_units) if clinic.session_max_units else kb_max
        self.warnings: list[PlanWarning] = []

    def warn(self, code: str, message: str, zone: str | None = None, severity: str = "warning") -> None:
        self.warnings.append(PlanWarning(code=code, message=message, zone=zone, severity=severity))

    # --- screening ---------------------------------------------------------------------------------
    def screen(self) -> list[Reason]:
        reasons = []
        for rule in self.kb.contraindications():
            if not evaluate(rule.when, self.consult.answers, self.today):
                continue
            if rule.effect == "contraindicated":
                reasons.append(
                    Reason(
                        code=rule.id,
                        message=rule.message,
                        source=", ".join(rule.sources),
                        sources=rule.sources,
                        patient_message=rule.patient_message.en if rule.patient_message else None,
                    )
                )
            else:
                self.warn("caution", f"{rule.message} [{', '.join(rule.sources)}]", severity="danger")
        return reasons

    # --- modifiers ---------------------------------------------------------------------------------
    def modifiers(self) -> list[AppliedModifier]:
        applied = []
        for modifier in self.kb.modifiers():
            rule = next((r for r in modifier.rules if evaluate(r.when, self.consult.answers, self.today)), None)
            if rule is None or rule.factor == 1:
                continue
            value = self.consult.answers.get(modifier.question)
            shown = self.consult.shown.get(modifier.question) or (
                str(value) if not isinstance(value, bool) else ("yes" if value else "no")
            )
            shown = shown.lower() if shown[:1].isupper() and shown[1:2].islower() else shown  # "Thick" -> "thick"
            applied.append(
                AppliedModifier(
                    name=modifier.name,
                    label=modifier.label,
                    factor=rule.factor,
                    reason=f"{modifier.label.lower()} ({shown}): {rule.reason}",
                    sources=rule.sources,
                    unverified=rule.unverified,
                    answer=shown,
                )
            )
        return applied

    # --- one zone ----------------------------------------------------------------------------------
    def sides_of(self, zone: Zone) -> tuple[Side, ...]:
        return ("left", "right") if zone.paired else ("center",)

    def full_dose(self, zone: Zone, modifiers: list[AppliedModifier]) -> _ZoneDose:
        factor = math.prod((Decimal(str(m.factor)) for m in modifiers), start=Decimal(1))
        default = Decimal(str(zone.default_units.value))
        units = round_half(default * factor)
        cap = Decimal(str(zone.caution_above.value))
        sources = [*zone.default_units.sources, *zone.points.sources]
        knowledge = [f"zones/{zone.id}/default_units", f"zones/{zone.id}/points"]
        per = " per side" if zone.paired else ""
        why = f"default {number(float(default))} U{per}"
        if modifiers:
            why += " x " + " x ".join(f"{m.factor:g} ({m.label.lower()}: {m.answer})" for m in modifiers)
            why += f" = {number(float(default * factor))}, rounded to {number(float(units))} U"
            sources += [s for m in modifiers for s in m.sources]
            knowledge += [f"modifiers/{m.name}" for m in modifiers]
        if units > cap:
            self.warn(
                "cap",
                f"{zone.label}: {number(float(units))} U{per} would exceed the caution threshold of "
                f"{number(float(cap))} U{per}; clamped to {number(float(cap))} U{per}. "
                f"[{', '.join(zone.caution_above.sources)}]",
                zone=zone.id,
            )
            why += f"; clamped to the caution threshold {number(float(cap))} U"
            units = cap
            sources += zone.caution_above.sources
            knowledge.append(f"zones/{zone.id}/caution_above")
        minimum = Decimal(str(zone.typical_units.min))
        if units < minimum:
            self.warn(
                "below_typical",
                f"{zone.label}: {number(float(units))} U{per} is below the typical "
                f"{number(zone.typical_units.min)}-{number(zone.typical_units.max)} U{per}; "
                f"{zone.typical_units.note or 'check the modifiers.'} [{', '.join(zone.typical_units.sources)}]",
                zone=zone.id,
                severity="info",
            )
        unverified = zone.default_units.unverified or any(m.unverified for m in modifiers)
        return _ZoneDose(
            zone=zone,
            kind="full",
            sides={side: units for side in self.sides_of(zone)},
            points=zone.points.default,
            sources=sources,
            knowledge=knowledge,
            unverified=unverified,
            why=why,
        )

    def touch_up(self, zone: Zone, band: TimingBand, days: int) -> _ZoneDose:
        rule = self.kb.timing.touch_up
        if band.warning is not None:
            self.warn(band.warning.code, f"{zone.label}: {fill(band.warning.message, days=days)}", zone=zone.id)
        units = Decimal(str(rule.units_per_side))
        return _ZoneDose(
            zone=zone,
            kind="touch_up",
            sides={side: units for side in self.sides_of(zone)},
            points=rule.points_per_side,
            sources=[*rule.sources, *band.sources],
            knowledge=["timing/touch_up", f"timing/bands/{band.from_day}-{band.to_day or ''}"],
            unverified=rule.unverified,
            why=f"touch-up: {band_reason(band, days)}; no modifiers",
        )

    def apply_asymmetry(self, dose: _ZoneDose) -> None:
        """Add the measured extra units to the stronger side, keeping the difference exact.

        If the stronger side would pass the caution threshold it is set to it and the weaker side is
        lowered by as much; if that takes the weaker side below the zone's typical minimum the
        answers cannot be planned and ``extra_units`` is named.
        """
        asymmetry = self.consult.asymmetry
        assert asymmetry is not None
        zone = dose.zone
        extra = Decimal(str(asymmetry.extra_units))
        weaker_side = "left" if asymmetry.stronger_side == "right" else "right"
        base = dose.sides["left"]
        stronger, weaker = base + extra, base
        cap = Decimal(str(zone.caution_above.value))
        if stronger > cap:
            lowered = stronger - cap
            stronger, weaker = cap, base - lowered
            minimum = Decimal(str(zone.typical_units.min))
            if weaker < minimum:
                raise InvalidAnswers(
                    [
                        AnswerProblem(
                            "extra_units",
                            f"{number(float(extra))} U extra in {zone.label} cannot be planned: the stronger side "
                            f"is capped at {number(float(cap))} U, which would take the weaker side to "
                            f"{number(float(weaker))} U, below the typical minimum of {number(float(minimum))} U "
                            "per side. Re-measure, or plan this zone with a smaller difference.",
                        )
                    ]
                )
            self.warn(
                "cap",
                f"{zone.label}: the stronger ({asymmetry.stronger_side}) side would reach "
                f"{number(float(base + extra))} U, above the caution threshold of {number(float(cap))} U per "
                f"side; set to {number(float(cap))} U and the {weaker_side} side lowered by "
                f"{number(float(lowered))} U to {number(float(weaker))} U to keep the measured difference. "
                f"[{', '.join(zone.caution_above.sources)}]",
                zone=zone.id,
            )
            dose.knowledge.append(f"zones/{zone.id}/caution_above")
            dose.sources += zone.caution_above.sources
        units = {asymmetry.stronger_side: stronger, weaker_side: weaker}
        dose.sides = {side: units[side] for side in self.sides_of(zone)}  # always left, then right
        dose.why += f"; measured asymmetry: +{number(float(extra))} U on the stronger ({asymmetry.stronger_side}) side"
        if stronger != base + extra:
            dose.why += (
                f", capped at {number(float(stronger))} U with the {weaker_side} side lowered to "
                f"{number(float(weaker))} U to keep the difference"
            )
        dose.knowledge.append("safety/symmetry")
        symmetry = self.kb.safety.symmetry
        if extra > Decimal(str(symmetry.warn_gap_above_units)):
            message = fill(symmetry.message, zone=zone.label, gap=number(float(extra)))
            self.warn("asymmetry", f"{message} [{', '.join(symmetry.sources)}]", zone=zone.id)

    def lines(self, dose: _ZoneDose) -> list[PlanLine]:
        rows = []
        for side, units in dose.sides.items():
            parts = spread(units, dose.points)
            why = dose.why
            if len(parts) > 1:
                doses = " and ".join(f"{count} x {number(float(per_point))} U" for count, per_point in reversed(parts))
                why += (
                    f"; {number(float(units))} U over {dose.points} points in {number(float(HALF))} U steps: {doses} "
                    "(which points take which dose is the practitioner's choice)"
                )
            for points, per_point in parts:
                ml = (per_point * self.saline_ml / self.vial_units).quantize(Decimal("0.001"), ROUND_HALF_UP)
                rows.append(
                    PlanLine(
                        zone=dose.zone.id,
                        zone_label=dose.zone.label,
                        side=side,  # type: ignore[arg-type]
                        kind=dose.kind,  # type: ignore[arg-type]
                        points=points,
                        units_per_point=float(per_point),
                        units=float(per_point * points),
                        ml_per_point=float(ml),
                        off_label=not dose.zone.on_label,
                        sources=tuple(dict.fromkeys([*dose.sources, *self.kb.product.reconstitution.sources])),
                        knowledge=tuple(dict.fromkeys([*dose.knowledge, "product/reconstitution"])),
                        unverified=dose.unverified,
                        why=why,
                    )
                )
        return rows

    # --- the whole plan ----------------------------------------------------------------------------
    def plan(self) -> Plan:
        consult, kb = self.consult, self.kb
        common = {
            "today": self.today,
            "patient_name": consult.patient_name,
            "follow_up": follow_up(kb.timing, self.today),
            "dilution": Dilution(
                saline_ml=float(self.saline_ml),
                vial_units=float(self.vial_units),
                units_per_0_1_ml=float((self.vial_units / self.saline_ml / 10).quantize(Decimal("0.001"))),
            ),
            "session_max_units": self.session_max,
            "earlier_units": self.earlier.units if self.earlier else None,
            "earlier_window_days": self.earlier.window_days if self.earlier else None,
            "currency": self.clinic.currency if self.clinic.price_per_unit is not None else None,
            "versions": Versions(
                script_id=consult.script_id,
                script_version=consult.script_version,
                knowledge_id=kb.id,
                knowledge_version=kb.version,
            ),
        }
        reasons = self.screen()
        if reasons:
            return Plan(status="contraindicated", reasons=tuple(reasons), warnings=tuple(self.warnings), **common)
        if consult.stopped_early or not consult.zones or consult.age is None:
            raise InvalidAnswers(
                [
                    AnswerProblem(
                        "zones", "the consult stopped before the treatment questions and nothing contraindicates it."
                    )
                ]
            )
        zones = self.zones_or_problems()
        modifiers = self.modifiers()
        lines: list[PlanLine] = []
        deferred: list[Deferred] = []
        for zone in zones:
            dose = self.zone_dose(zone, modifiers, deferred)
            if dose is not None:
                lines += self.lines(dose)
        if consult.asymmetry and not any(line.zone == consult.asymmetry.zone and line.kind == "full" for line in lines):
            self.warn(
                "asymmetry_not_applied",
                f"the measured asymmetry in {consult.asymmetry.zone} was not applied: the zone gets no full "
                "dose today. Re-measure at the next full treatment.",
                zone=consult.asymmetry.zone,
                severity="info",
            )
        total = sum((Decimal(str(line.units)) for line in lines), start=Decimal(0))
        refusal = self.over_maximum(total)
        if refusal is not None:
            return Plan(
                status="refused",
                reasons=(refusal,),
                deferred=tuple(deferred),
                warnings=tuple(self.warnings),
                modifiers=tuple(modifiers),
                **common,
            )
        vials = math.ceil(total / self.vial_units) if total else 0
        price = self.clinic.price_per_unit
        return Plan(
            status="planned",
            lines=tuple(lines),
            deferred=tuple(deferred),
            total_units=float(total),
            vials=vials,
            cost=float(total * Decimal(str(price))) if price is not None else None,
            warnings=tuple(self.warnings),
            modifiers=tuple(modifiers),
            **common,
        )

    def over_maximum(self, total: Decimal) -> Reason | None:
        """The session maximum counts today's plan and what was given in its window before."""
        cap = self.kb.safety.session_max_units
        sources = cap.sources
        earlier = Decimal(str(self.earlier.units)) if self.earlier else Decimal(0)
        window = self.earlier.window_days if self.earlier else cap.window_days
        if earlier > 0:
            self.warn(
                "earlier_doses",
                f"{number(float(earlier))} U given in the last {window} days; they count towards the session "
                f"maximum of {number(self.session_max)} U over {window} days. [{', '.join(sources)}]",
                severity="info",
            )
        if total + earlier <= Decimal(str(self.session_max)):
            return None
        if earlier > 0:
            message = (
                f"the plan totals {number(float(total))} U and {number(float(earlier))} U were given in the last "
                f"{window} days: {number(float(total + earlier))} U, above the maximum of "
                f"{number(self.session_max)} U over {window} days; no dose is planned. Treat fewer zones today, "
                "or wait until the earlier doses are out of the window."
            )
            code = "cumulative_max"
        else:
            message = (
                f"the plan totals {number(float(total))} U, above the session maximum of "
                f"{number(self.session_max)} U; no dose is planned. Treat fewer zones today."
            )
            code = "session_max"
        return Reason(code=code, message=message, source=", ".join(sources), sources=sources)

    def zones_or_problems(self) -> list[Zone]:
        problems, zones = [], []
        for zone_id in self.consult.zones:
            try:
                zones.append(self.kb.zone(zone_id))
            except UnknownZone:
                problems.append(AnswerProblem("zones", f"'{zone_id}' is not a zone of knowledge base {self.kb.id}."))
        asymmetry = self.consult.asymmetry
        if asymmetry is not None:
            if asymmetry.zone not in self.consult.zones:
                problems.append(AnswerProblem("asymmetry_zone", f"'{asymmetry.zone}' is not among today's zones."))
            elif asymmetry.zone not in self.kb.paired_zone_ids():
                problems.append(AnswerProblem("asymmetry_zone", f"'{asymmetry.zone}' is not a paired zone."))
        if problems:
            raise InvalidAnswers(problems)
        return zones

    def zone_dose(self, zone: Zone, modifiers: list[AppliedModifier], deferred: list[Deferred]) -> _ZoneDose | None:
        consult = self.consult
        prior = consult.prior_treatment_date
        band = None
        days = 0
        if prior is not None and zone.id in consult.prior_zones:
            days = (self.today - prior).days
            band = band_for(self.kb.timing, days)
            if band is None:
                raise InvalidAnswers(
                    [
                        AnswerProblem(
                            "prior_treatment_date", f"no timing rule covers {days} days since the last treatment."
                        )
                    ]
                )
        if band is not None and band.action == "defer":
            day = not_before(band, prior)  # type: ignore[arg-type]
            assert day is not None
            deferred.append(
                Deferred(
                    zone=zone.id,
                    zone_label=zone.label,
                    reason=band_reason(band, days),
                    not_before=day,
                    patient_reason=fill(band.patient_reason.en, days=days) if band.patient_reason else None,
                    sources=band.sources,
                )
            )
            return None
        if band is not None and band.action == "touch_up":
            return self.touch_up(zone, band, days)
        dose = self.full_dose(zone, modifiers)
        if band is not None:
            dose.why += f"; {band_reason(band, days)}"
        if consult.asymmetry is not None and consult.asymmetry.zone == zone.id:
            self.apply_asymmetry(dose)
        return dose


def make_plan(
    consult: Consult,
    kb: KnowledgeBase,
    clinic: ClinicSettings | None = None,
    today: date | None = None,
    earlier: EarlierDoses | None = None,
) -> Plan:
    """Plan a consult. ``today`` defaults to the consult's own date (it never reads the clock);
    ``earlier`` is what the patient was given in the window before it (see ``EarlierDoses``)."""
    if today is not None and today != consult.today:
        consult = consult.model_copy(update={"today": today})
    return _Planner(consult, kb, clinic or ClinicSettings(), earlier).plan()
