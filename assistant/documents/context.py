"""What the document templates are given: plain values built from a plan, the knowledge and the clinic.

Two contexts, one per document:

- ``patient_context``: for the patient explanation. Plain words only: zone names and texts from the
  knowledge base in the patient's language (``LocalText.get``), dates spelled out, money written by
  ``assistant.documents.money`` (Babel, by currency, in the patient's locale), and the timing figures
  (onset, peak, duration) read from the knowledge base. No dose, no unit, no volume is put in it, so
  no template can print one.
- ``summary_context`` (in ``assistant.documents.summary``): for the practitioner's dose summary.

Every value is a str, number, bool, None, or a dict or list of those (the plan and clinic models in the
summary aside), so a template has nothing to call.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any, Literal

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_decimal

from assistant.core.knowledge import KnowledgeBase, UnknownZone
from assistant.core.lifecycle.injected import plan_as_given
from assistant.core.lifecycle.record import Given
from assistant.core.plan import Deferred, Plan, PlanLine
from assistant.core.text import fill
from assistant.core.timing import band_for
from assistant.documents.face_diagram import patient_diagram
from assistant.documents.money import cost_text
from assistant.settings import ClinicSettings

Paper = Literal["a4", "letter"]
PAPERS: tuple[str, ...] = ("a4", "letter")

#: Babel locales per patient language: (dates, money). English dates are written the way the clinic's
#: papers write them, "8 December 2026" (en_GB); money in en_US reads "$520.00" rather than "US$520.00".
LOCALES: dict[str, tuple[str, str]] = {
    "en": ("en_GB", "en_US"),
    "ko": ("ko_KR", "ko_KR"),
}

NOT_RECORDED = "not recorded"


def locales_for(language: str) -> tuple[str, str]:
    """The (dates, money) Babel locales for a patient language; an unknown one falls back to English."""
    if language in LOCALES:
        return LOCALES[language]
    try:
        Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        return LOCALES["en"]
    return (language, language)


def patient_language(language: str | None, answers: Mapping[str, object] | None = None) -> str:
    """The language asked for, else the consult's ``patient_language`` answer, else English."""
    if language:
        return language
    answered = (answers or {}).get("patient_language")
    return answered if isinstance(answered, str) and answered else "en"


def long_date(value: date, language: str = "en") -> str:
    """A date spelled out for the patient: "8 December 2026" (en), "2026년 12월 8일" (ko)."""
    return format_date(value, format="long", locale=locales_for(language)[0])


def _long_date_or_none(value: date | None, language: str = "en") -> str | None:
    """A follow-up date spelled out, or None when the plan has none (no touch-up window after touch-ups)."""
    return long_date(value, language) if value is not None else None


def _count(value: float, language: str) -> str:
    """A day or month count as the patient's locale writes it (3, 14)."""
    return format_decimal(value, locale=locales_for(language)[0])


def _check_paper(paper: str) -> str:
    if paper not in PAPERS:
        raise ValueError(f"paper must be one of {', '.join(PAPERS)}, not '{paper}'")
    return paper


def _as_date(value: object) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _text_or_none(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


# --- the patient explanation ---------------------------------------------------------------------------


def _sides(lines: list[PlanLine]) -> tuple[str, str | None]:
    """Which sides a zone is treated on, as a code the templates put in words, and the side given more.

    ("both", None), ("both", "left"), ("left", None), ("right", None) or ("center", None).
    """
    by_side = {line.side: sum(x.units for x in lines if x.side == line.side) for line in lines}
    if "center" in by_side:
        return "center", None
    if "left" in by_side and "right" in by_side:
        left, right = by_side["left"], by_side["right"]
        return "both", None if left == right else ("left" if left > right else "right")
    return next(iter(by_side)), None


def _zone_words(kb: KnowledgeBase, zone_id: str, fallback: str, language: str) -> tuple[str, str]:
    try:
        zone = kb.zone(zone_id)
    except UnknownZone:
        return fallback or zone_id, ""
    return zone.patient_name.get(language), zone.patient_text.get(language)


def _deferred_reason(kb: KnowledgeBase, item: Deferred, today: date, prior: date | None, language: str) -> str | None:
    """The patient's reason for a deferred zone, in their language.

    The plan keeps the English text; the band is found again from the prior treatment date (from the
    answers, else worked back from ``not_before``) so the reason can be given in another language.
    """
    timing = kb.timing
    candidates: list[tuple[int, Any]] = []
    if prior is not None:
        days = (today - prior).days
        candidates.append((days, band_for(timing, days)))
    for band in timing.bands:
        if band.action == "defer" and band.not_before_day is not None:
            days = (today - (item.not_before - timedelta(days=band.not_before_day))).days
            candidates.append((days, band))
    for days, band in candidates:
        if (
            band is not None
            and band.action == "defer"
            and band.patient_reason is not None
            and band.from_day <= days
            and (band.to_day is None or days <= band.to_day)
        ):
            return fill(band.patient_reason.get(language), days=days)
    return item.patient_reason


def _reasons(kb: KnowledgeBase, plan: Plan, language: str) -> list[str]:
    """The patient's words for why nothing is given today (contraindications only: a refusal's reason
    is about doses and stays on the practitioner's record)."""
    rules = {rule.id: rule for rule in kb.contraindications()}
    texts = []
    for reason in plan.reasons:
        rule = rules.get(reason.code)
        text = rule.patient_message.get(language) if rule and rule.patient_message else reason.patient_message
        if text and text not in texts:
            texts.append(text)
    return texts


def identity(name: str, answers: Mapping[str, object]) -> dict[str, str | None]:
    """The patient as her papers name her: two identifiers, never the name alone (a namesake's sheet
    or form was told apart only by the consult id). Dates as ISO: the same in every language."""
    born, number = answers.get("date_of_birth"), answers.get("patient_id")
    return {
        "name": name,
        "date_of_birth": born.isoformat() if isinstance(born, date) else (str(born) if born else None),
        "clinic_number": str(number).strip() or None if number else None,
    }


def patient_context(
    plan: Plan,
    kb: KnowledgeBase,
    clinic: ClinicSettings,
    language: str | None = None,
    *,
    answers: Mapping[str, object] | None = None,
    paper: str = "a4",
    given: Given | None = None,
) -> dict[str, Any]:
    """The patient explanation's context. See prompts/templates/patient_explanation.txt.j2 for its keys.

    ``language``: a code such as "en" or "ko"; None takes the answers' ``patient_language``, else "en".
    ``given``: the doses recorded as injected: the zones treated, the follow-up and the cost are then
    those given (``plan_as_given``).
    """
    answers = answers or {}
    plan = plan_as_given(plan, given, kb)
    language = patient_language(language, answers)
    timing = kb.timing
    today = plan.today
    # Doses given before the answers now kept contraindicated them (``plan_as_given``): her sheet is
    # that of the treatment she had, its warnings and aftercare, not "we are not treating you today".
    given_anyway = plan.status == "contraindicated" and given is not None and bool(plan.lines)
    status = "planned" if given_anyway else plan.status
    treated = status == "planned" and bool(plan.lines)

    zones: list[dict[str, Any]] = []
    for zone_id in dict.fromkeys(line.zone for line in plan.lines):
        lines = plan.lines_for(zone_id)
        name, text = _zone_words(kb, zone_id, lines[0].zone_label, language)
        sides, more_on = _sides(lines)
        zones.append(
            {
                "id": zone_id,
                "name": name,
                "text": text,
                "kind": "touch_up" if all(line.kind == "touch_up" for line in lines) else "full",
                "sides": sides,
                "more_on": more_on,
            }
        )

    prior = _as_date(answers.get("prior_treatment_date"))
    deferred = []
    for item in plan.deferred:
        name, _ = _zone_words(kb, item.zone, item.zone_label, language)
        deferred.append(
            {
                "id": item.zone,
                "name": name,
                "reason": _deferred_reason(kb, item, today, prior, language),
                "not_before": long_date(item.not_before, language),
            }
        )

    onset = timing.onset_days.value
    peak = timing.peak_day.value
    aftercare = [{"id": item.id, "text": item.text.get(language), "urgent": item.urgent} for item in kb.aftercare()]
    return {
        "language": language,
        "paper": _check_paper(paper),
        "status": status,
        "treated": treated,
        "given": given is not None,
        "today": long_date(today, language),
        "patient": identity(plan.patient_name, answers),
        "clinic": {"name": clinic.name, "phone": clinic.phone},
        "zones": zones,
        "deferred": deferred,
        "reasons": _reasons(kb, plan, language) if status == "contraindicated" else [],
        "timing": {
            "onset_days": _count(onset, language),
            "onset_date": long_date(today + timedelta(days=round(onset)), language),
            "peak_day": _count(peak, language),
            "peak_date": long_date(today + timedelta(days=round(peak)), language),
            "duration_min": _count(timing.duration_months.min, language),
            "duration_max": _count(timing.duration_months.max, language),
        },
        "follow_up": {
            "review_date": long_date(plan.follow_up.review_date, language),
            "touch_up_from": _long_date_or_none(plan.follow_up.touch_up_from, language),
            "touch_up_to": _long_date_or_none(plan.follow_up.touch_up_to, language),
            "next_full_treatment": _long_date_or_none(plan.follow_up.next_full_treatment, language),
        },
        "aftercare": [item for item in aftercare if not item["urgent"]],
        "urgent": [item for item in aftercare if item["urgent"]],
        "spread_warning": kb.safety.spread_warning.get(language),
        "diagram": patient_diagram(plan, kb),
        "cost": cost_text(plan.cost, plan.currency, language) if treated else None,
    }
