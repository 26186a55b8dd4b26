"""The dose planner: a validated consult + the knowledge base + today -> a Plan.

Pure and deterministic: no I/O, no clock. Every number comes from the knowledge base or the clinic
settings and every line says which entries and sources it came from. Safety rules, in the order they
are applied: contraindications stop the plan; each zone starts from its default dose times the
modifiers (``zone_dose``); a zone never exceeds its caution threshold without a ``cap`` warning;
paired zones stay symmetric unless a measured asymmetry says otherwise (``asymmetry``); every dose
per point is one the clinic's syringe can measure (``syringe``); zone-combination rules warn
(``combinations``); the session maximum refuses a plan outright.
"""

from __future__ import annotations

import math
from datetime import date
from fractions import Fraction

from assistant.core.asymmetry import apply_asymmetry
from assistant.core.combinations import combination_warnings
from assistant.core.conditions import evaluate
from assistant.core.consult import Consult
from assistant.core.dilution import UnknownSyringe, clinic_dilution, clinic_scale
from assistant.core.dilution_change import dilution_changed
from assistant.core.knowledge import KnowledgeBase, UnknownZone
from assistant.core.knowledge_model import Zone
from assistant.core.plan import (
    AppliedModifier,
    Deferred,
    Dilution,
    EarlierDoses,
    Plan,
    PlanLine,
    PlanWarning,
    Reason,
    RecordedTreatments,
    Versions,
)
from assistant.core.plan_lines import plan_lines
from assistant.core.problems import AnswerProblem, InvalidAnswers
from assistant.core.recorded_timing import contradiction, zone_timing
from assistant.core.session_maximum import session_maximum
from assistant.core.syringe import decimal, exact
from assistant.core.timing import band_reason, follow_up
from assistant.core.touch_up_asymmetry import touch_up_asymmetry
from assistant.core.zone_dose import ZoneDose, full_dose, onto_marks, touch_up
from assistant.settings import ClinicSettings

__all__ = ["UnknownSyringe", "make_plan"]


class _Planner:
    def __init__(
        self,
        consult: Consult,
        kb: KnowledgeBase,
        clinic: ClinicSettings,
        earlier: EarlierDoses | None = None,
        recorded: RecordedTreatments | None = None,
    ) -> None:
        self.consult = consult
        self.earlier = earlier
        self.recorded = recorded
        self.touched_since: list[date] = []
        """The treatments today's touch-ups follow (their next full treatment counts from the latest)."""
        self.kb = kb
        self.clinic = clinic
        self.today = consult.today
        dilution = clinic_dilution(kb.product, clinic)
        self.saline_ml, self.vial_units = dilution.saline_ml, dilution.vial_units
        self.scale = clinic_scale(kb, clinic)
        kb_max = kb.safety.session_max_units.value
        self.session_max = min(kb_max, clinic.session_max_units) if clinic.session_max_units else kb_max
        self.warnings: list[PlanWarning] = []

    def warn(self, code: str, message: str, zone: str | None = None, severity: str = "warning") -> None:
        self.warnings.append(PlanWarning(code=code, message=message, zone=zone, severity=severity))  # type: ignore[arg-type]

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

    # --- the whole plan ----------------------------------------------------------------------------
    def plan(self) -> Plan:
        consult, kb = self.consult, self.kb
        common = {
            "today": self.today,
            "patient_name": consult.patient_name,
            "dilution": Dilution(
                saline_ml=float(self.saline_ml),
                vial_units=float(self.vial_units),
                units_per_0_1_ml=float(decimal(self.vial_units / self.saline_ml / 10)),
            ),
            "syringe": self.scale.use(),
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
            return Plan(
                status="contraindicated",
                reasons=tuple(reasons),
                warnings=tuple(self.warnings),
                follow_up=follow_up(kb.timing, self.today),  # nothing injected: no touch-up window
                **common,
            )
        if consult.stopped_early or not consult.zones or consult.age is None:
            raise InvalidAnswers(
                [
                    AnswerProblem(
                        "zones", "the consult stopped before the treatment questions and nothing contraindicates it."
                    )
                ]
            )
        zones = self.zones_or_problems()
        disagreement = contradiction(consult, zones, self.recorded)
        if disagreement is not None:
            self.warnings.append(disagreement)
        last_dilution = self.recorded.last_dilution if self.recorded is not None else None
        changed = dilution_changed(last_dilution, self.saline_ml, self.vial_units)
        if changed is not None:
            self.warnings.append(changed)
        modifiers = self.modifiers()
        lines: list[PlanLine] = []
        deferred: list[Deferred] = []
        for zone in zones:
            dose = self.zone_dose(zone, modifiers, deferred)
            if dose is not None:
                lines += plan_lines(dose, self.scale, self.kb.product.reconstitution.sources, self.warnings)
                self.warnings += dose.warnings
        for asymmetry in consult.asymmetries:
            if not any(line.zone == asymmetry.zone for line in lines):
                self.warn(
                    "asymmetry_not_applied",
                    f"the measured asymmetry in {asymmetry.zone} was not applied: the zone gets no dose "
                    "today. Re-measure at the next treatment.",
                    zone=asymmetry.zone,
                    severity="info",
                )
        planned = tuple(dict.fromkeys(line.zone for line in lines))
        self.warnings += combination_warnings(
            kb.zone_combinations(), consult.answers, self.today, planned, tuple(d.zone for d in deferred)
        )
        total = sum((line.points * (line.steps_per_point or 0) for line in lines), start=0) * self.scale.step
        prior = max(self.touched_since, default=consult.prior_treatment_date)
        common["follow_up"] = follow_up(kb.timing, self.today, {line.kind for line in lines}, prior)
        refusal = self.over_maximum(total)
        if refusal is not None:
            common["follow_up"] = follow_up(kb.timing, self.today)  # refused: nothing is injected
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
            cost=float(total * exact(price)) if price is not None else None,
            warnings=tuple(self.warnings),
            modifiers=tuple(modifiers),
            **common,
        )

    def over_maximum(self, total: Fraction) -> Reason | None:
        """The session maximum counts today's plan and what was given in its window before."""
        reason, warning = session_maximum(self.kb.safety.session_max_units, self.session_max, self.earlier, total)
        if warning is not None:
            self.warnings.append(warning)
        return reason

    def zones_or_problems(self) -> list[Zone]:
        problems, zones = [], []
        for zone_id in self.consult.zones:
            try:
                zones.append(self.kb.zone(zone_id))
            except UnknownZone:
                problems.append(AnswerProblem("zones", f"'{zone_id}' is not a zone of knowledge base {self.kb.id}."))
        seen: set[str] = set()
        for asymmetry in self.consult.asymmetries:
            where = asymmetry.answer_id("zone")
            if asymmetry.zone not in self.consult.zones:
                problems.append(AnswerProblem(where, f"'{asymmetry.zone}' is not among today's zones."))
            elif asymmetry.zone in seen:
                problems.append(AnswerProblem(where, f"'{asymmetry.zone}' has more than one asymmetry entry."))
            elif not self.kb.zone(asymmetry.zone).takes_asymmetry:
                problems.append(
                    AnswerProblem(where, f"'{asymmetry.zone}' is a central zone that cannot be planned in halves.")
                )
            seen.add(asymmetry.zone)
        if problems:
            raise InvalidAnswers(problems)
        return zones

    def zone_dose(self, zone: Zone, modifiers: list[AppliedModifier], deferred: list[Deferred]) -> ZoneDose | None:
        consult = self.consult
        when = zone_timing(self.kb.timing, zone, consult, self.recorded)
        band, days = when.band, when.days
        if when.deferred is not None:
            deferred.append(when.deferred)
            return None
        if band is not None and band.action == "touch_up":
            assert when.prior is not None
            self.touched_since.append(when.prior)
            dose = touch_up(zone, self.kb.timing.touch_up, band, days)
            onto_marks(dose, self.scale)
            if (asymmetry := consult.asymmetry_for(zone.id)) is not None:
                found = self.recorded.residual(zone.id) if self.recorded is not None else None
                touch_up_asymmetry(dose, asymmetry, self.kb.timing.touch_up, self.scale, found)
            return dose
        dose = full_dose(zone, modifiers)
        if band is not None:
            dose.why += f"; {band_reason(band, days)}"
        asymmetry = consult.asymmetry_for(zone.id)
        if asymmetry is not None:
            apply_asymmetry(dose, asymmetry, self.kb.safety.symmetry, self.scale, modifiers)
        else:
            onto_marks(dose, self.scale)
        return dose


def make_plan(
    consult: Consult,
    kb: KnowledgeBase,
    clinic: ClinicSettings | None = None,
    today: date | None = None,
    earlier: EarlierDoses | None = None,
    recorded: RecordedTreatments | None = None,
) -> Plan:
    """Plan a consult. ``today`` defaults to the consult's own date (it never reads the clock);
    ``earlier`` is what the patient was given in the window before it (see ``EarlierDoses``);
    ``recorded``: the doses the record holds as given, whose dates win over the typed last treatment
    for timing (see ``assistant.core.recorded_timing``)."""
    if today is not None and today != consult.today:
        consult = consult.model_copy(update={"today": today})
    return _Planner(consult, kb, clinic or ClinicSettings(), earlier, recorded).plan()
