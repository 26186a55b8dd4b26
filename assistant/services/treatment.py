"""From a plan to a signed treatment record: record what was given, sign, co-sign, amend.

Each use case reads the record as it stands, checks the actor's PIN and role, lets the core's rules
(``assistant.core.lifecycle.rules``) make the next version, and saves it with its audit entry. If
another workstation changed the consult in the meantime the store refuses (``VersionConflict``) and
the actor is told who did what, and when ("already signed by ... at ...").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from assistant.core.knowledge import KnowledgeBase
from assistant.core.lifecycle import rules
from assistant.core.lifecycle.audit import AuditEvent
from assistant.core.lifecycle.changes import describe_answer_changes, describe_given_changes
from assistant.core.lifecycle.dose_limits import dose_breaches
from assistant.core.lifecycle.given import (
    GivenEntry,
    InvalidGiven,
    compare_with_plan,
    given_problems,
    given_step,
    lines_from_plan,
)
from assistant.core.lifecycle.override import Override, decide
from assistant.core.lifecycle.record import ConsultRecord, GivenLine, jsonable_answers
from assistant.core.lifecycle.staff import NotPermitted, StaffAccount
from assistant.core.plan import EarlierDoses, Plan, RecordedTreatments
from assistant.core.script import Script
from assistant.files.consent_forms import ConsentForms
from assistant.records.errors import VersionConflict
from assistant.records.repository import require
from assistant.services.amend_answers import renaming
from assistant.services.consent_check import require_consent
from assistant.services.desk import Desk
from assistant.services.earlier import earlier_given, recorded_treatments
from assistant.services.staff import authenticate
from assistant.services.vials import draw_lines, vials_to_draw_from
from assistant.settings import ClinicSettings


def keep(
    desk: Desk,
    record: ConsultRecord,
    actor: str | None,
    draws: Sequence[tuple[str, float]] = (),
    detail: str | None = None,
) -> ConsultRecord:
    """Save a new version with its audit entry (and its vial draws); a lost race becomes the words
    of the winner."""
    at = record.revision.at if record.revision else desk.clock()
    event = AuditEvent.for_version(record, actor, at, detail)
    try:
        return desk.repository.save(record, event, draws)
    except VersionConflict as conflict:
        current = conflict.current
        if isinstance(current, ConsultRecord):
            if current.locked:
                raise rules.AlreadyDone(rules.already_signed(current)) from None
            if current.revision is not None:
                when = current.revision.at.astimezone().strftime("%Y-%m-%d %H:%M")
                raise rules.AlreadyDone(
                    f"Consult {record.consult_id} was changed meanwhile ({current.revision.change}, by "
                    f"{current.revision.by or 'someone'} at {when}); nothing was written. Look at it again."
                ) from None
        raise


def measurable(
    record: ConsultRecord, kb: KnowledgeBase, lines: tuple[GivenLine, ...], day: dt.date
) -> tuple[GivenLine, ...]:
    """``lines`` as they are kept, once the core's given-line check (``given_problems``: a dose the
    syringe measures, no lot expired before ``day``, the day of giving) finds nothing; else refused."""
    problems = given_problems(lines, given_step(record.plan, kb.syringe()), day)
    if problems:
        raise InvalidGiven(problems)
    return lines


def given_lines(
    record: ConsultRecord, kb: KnowledgeBase, entries: list[GivenEntry] | None, lot: str | None, expiry: dt.date | None
) -> tuple[GivenLine, ...]:
    lot = lot or record.lot_number
    expiry = expiry or record.lot_expiry
    if entries is None:
        return lines_from_plan(record.plan, lot, expiry)
    paired = {zone.id: zone.paired for zone in kb.knowledge.zones}
    lines, problems = compare_with_plan(record.plan, entries, paired=paired, lot=lot, expiry=expiry)
    if problems:
        raise InvalidGiven(problems)
    return lines


def giving_day(moment: dt.datetime) -> dt.date:
    """The clinic's calendar day of a moment (the session maximum's window ends on it)."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).astimezone().date()


def earlier_for_giving(desk: Desk, record: ConsultRecord, kb: KnowledgeBase, day: dt.date) -> EarlierDoses:
    """The patient's other doses given in the session maximum's window before ``day``."""
    return earlier_given(desk.repository, record, day, kb.safety.session_max_units.window_days)


def recorded_for_giving(desk: Desk, record: ConsultRecord, day: dt.date) -> RecordedTreatments:
    """The patient's doses recorded as given in her other consults, on or before ``day``: the zones
    they make wait may not be given now without a medical director's reason (``dose_limits``)."""
    return recorded_treatments(desk.repository, record.patient_key, day, exclude=record.consult_id)


def _override(
    desk: Desk,
    record: ConsultRecord,
    lines: tuple[GivenLine, ...],
    kb: KnowledgeBase,
    clinic: ClinicSettings | None,
    account: StaffAccount,
    at: dt.datetime,
    reason: str | None,
    days: Sequence[dt.date],
) -> Override | None:
    """The limits of planning, checked on the lines being recorded: each zone's, and the session
    maximum over the window before each of ``days`` (the day of giving first). ``OverLimit`` past
    one without a medical director's reason; the override to keep when there is one."""
    clinic = clinic or ClinicSettings()
    counts = [earlier_for_giving(desk, record, kb, day) for day in days]
    earlier = max(counts, key=lambda count: count.units)
    recorded = recorded_for_giving(desk, record, days[0])
    breaches = dose_breaches(lines, kb, clinic, earlier, record.plan, recorded, days[0])
    return decide(breaches, account.name, account.role, at, reason)


def _detail(override: Override | None, warning: str | None = None) -> str | None:
    words = [override.words()] if override is not None else []
    if warning is not None:
        words.append(f"recorded without consent (clinic setting consent_missing = warn): {warning}")
    return "; ".join(words) or None


def _consent(
    desk: Desk,
    record: ConsultRecord,
    clinic: ClinicSettings | None,
    now: dt.datetime,
    forms: ConsentForms | None,
    notes: list[str] | None,
) -> str | None:
    """The consent rule every path that records doses keeps (``consent_check``): refused, or the
    warning (added to ``notes`` for the caller to show, and kept in the audit entry)."""
    warning = require_consent(desk, record, clinic, now, forms)
    if warning is not None and notes is not None:
        notes.append(warning)
    return warning


def give(
    desk: Desk,
    consult_id: str,
    by: str,
    pin: str,
    kb: KnowledgeBase,
    entries: list[GivenEntry] | None = None,
    *,
    lot: str | None = None,
    expiry: dt.date | None = None,
    vial_ids: list[str] | None = None,
    clinic: ClinicSettings | None = None,
    override_reason: str | None = None,
    forms: ConsentForms | None = None,
    notes: list[str] | None = None,
) -> ConsultRecord:
    """Record the doses injected: the plan when ``entries`` is None, else those lines; drawn from
    the vials named (in that order), or from the one open vial when none is named.

    The lines keep the limits planning keeps (``clinic``: the clinic's settings, None the shipped
    ones), counted with the patient's other doses given in the window before today: past one,
    ``OverLimit`` and nothing is recorded, unless ``by`` is a medical director giving
    ``override_reason``, which is kept on the record and in the audit trail. Refused before the
    patient's consent to ``forms`` (None: the shipped forms) is recorded (``consent_check``)."""
    record = require(desk.repository, consult_id)
    if record.locked:
        raise rules.AlreadyDone(rules.already_signed(record))
    account = authenticate(desk, by, pin, "give")
    now = desk.clock()
    lines = measurable(record, kb, given_lines(record, kb, entries, lot, expiry), giving_day(now))
    rules.give(record, lines, account, now)  # may it be given at all? said before any limit is counted
    warning = _consent(desk, record, clinic, now, forms, notes)
    override = _override(desk, record, lines, kb, clinic, account, now, override_reason, [giving_day(now)])
    named_by = "The lines given name" if lot else "The consult names"
    per_ml = record.plan.dilution.units_per_ml
    vials = vials_to_draw_from(desk.repository, vial_ids, lot or record.lot_number, named_by, per_ml)
    lines, draws = draw_lines(lines, vials, now, per_ml) if vials else (lines, [])
    given = rules.give(record, lines, account, now, override)
    return keep(desk, given, account.name, draws, _detail(override, warning))


def sign(
    desk: Desk, consult_id: str, by: str, pin: str, meaning: str | None = None, version: int | None = None
) -> ConsultRecord:
    """Sign a given record (or co-sign one waiting for a medical director). ``version``: the version
    the signer was shown; another one now (changed elsewhere meanwhile), nothing is signed."""
    record = require(desk.repository, consult_id)
    if version is not None and record.version != version:
        change = f" ({record.revision.change}, by {record.revision.by or 'someone'})" if record.revision else ""
        raise rules.AlreadyDone(
            f"Consult {consult_id} was changed after it was shown{change}: nothing was signed. Look at it again."
        )
    account = authenticate(desk, by, pin, "sign")
    return keep(desk, rules.sign(record, account, desk.clock(), meaning), account.name)


def amend_answers(
    desk: Desk,
    consult_id: str,
    by: str,
    pin: str,
    reason: str,
    script: Script,
    plan: Plan,
    answers: Mapping[str, Any],
) -> ConsultRecord:
    record = require(desk.repository, consult_id)
    if (problem := renaming(desk.repository, record, jsonable_answers(answers))) is not None:
        raise NotPermitted(f"{problem} Nothing was amended.")  # whatever path planned it (the plan screen's E)
    account = authenticate(desk, by, pin, "amend")
    change = describe_answer_changes(script, record.answers, jsonable_answers(answers))
    amended = rules.amend(record, account, desk.clock(), reason, change, plan=plan, answers=answers)
    return keep(desk, amended, account.name)


def amend_given(
    desk: Desk,
    consult_id: str,
    by: str,
    pin: str,
    reason: str,
    kb: KnowledgeBase,
    entries: list[GivenEntry],
    *,
    lot: str | None = None,
    expiry: dt.date | None = None,
    clinic: ClinicSettings | None = None,
    override_reason: str | None = None,
    forms: ConsentForms | None = None,
    notes: list[str] | None = None,
) -> ConsultRecord:
    """The doses given, corrected (refused, like ``give``, without the patient's consent); the
    corrected lines keep the limits ``give`` checks, counted over
    the window before the day they were given (and before today, while that day is in its window)."""
    record = require(desk.repository, consult_id)
    account = authenticate(desk, by, pin, "amend")
    now = desk.clock()
    today = giving_day(now)
    given_on = giving_day(record.given.at) if record.given else today
    lines = measurable(record, kb, given_lines(record, kb, entries, lot, expiry), given_on)
    warning = _consent(desk, record, clinic, now, forms, notes)
    window = kb.safety.session_max_units.window_days
    days = [given_on] + ([today] if given_on < today < given_on + dt.timedelta(days=window) else [])
    override = _override(desk, record, lines, kb, clinic, account, now, override_reason, days)
    before = record.given.lines if record.given else ()
    change = describe_given_changes(before, lines)
    amended = rules.amend(record, account, now, reason, change, lines=lines, override=override)
    return keep(desk, amended, account.name, detail=_detail(override, warning))


def refuse_unless_unsigned(record: ConsultRecord) -> None:
    """For changes other than ``amend`` (a re-plan, a re-save): a signed record is locked."""
    if record.locked:
        raise NotPermitted(rules.already_signed(record) + " A signed record changes only by amendment (amend).")
