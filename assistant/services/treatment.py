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
from assistant.core.lifecycle.given import (
    GivenEntry,
    InvalidGiven,
    compare_with_plan,
    given_problems,
    given_step,
    lines_from_plan,
)
from assistant.core.lifecycle.record import ConsultRecord, GivenLine, jsonable_answers
from assistant.core.lifecycle.staff import NotPermitted
from assistant.core.plan import Plan
from assistant.core.script import Script
from assistant.records.errors import VersionConflict
from assistant.records.repository import require
from assistant.services.desk import Desk
from assistant.services.staff import authenticate
from assistant.services.vials import draw_lines, vials_to_draw_from


def keep(
    desk: Desk, record: ConsultRecord, actor: str | None, draws: Sequence[tuple[str, float]] = ()
) -> ConsultRecord:
    """Save a new version with its audit entry (and its vial draws); a lost race becomes the words
    of the winner."""
    event = AuditEvent.for_version(record, actor, record.revision.at if record.revision else desk.clock())
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


def measurable(
    record: ConsultRecord, kb: KnowledgeBase, lines: tuple[GivenLine, ...], day: dt.date
) -> tuple[GivenLine, ...]:
    """``lines`` as they are kept, once the core's given-line check (``given_problems``: a dose the
    syringe measures, no lot expired before ``day``, the day of giving) finds nothing; else refused."""
    problems = given_problems(lines, given_step(record.plan, kb.syringe()), day)
    if problems:
        raise InvalidGiven(problems)
    return lines


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
) -> ConsultRecord:
    """Record the doses injected: the plan when ``entries`` is None, else those lines; drawn from
    the vials named (in that order), or from the one open vial when none is named."""
    record = require(desk.repository, consult_id)
    if record.locked:
        raise rules.AlreadyDone(rules.already_signed(record))
    account = authenticate(desk, by, pin, "give")
    now = desk.clock()
    lines = given_lines(record, kb, entries, lot, expiry)
    vials = vials_to_draw_from(desk.repository, vial_ids)
    lines, draws = draw_lines(lines, vials, now) if vials else (lines, [])
    lines = measurable(record, kb, lines, now.astimezone().date())
    return keep(desk, rules.give(record, lines, account, now), account.name, draws)


def sign(desk: Desk, consult_id: str, by: str, pin: str, meaning: str | None = None) -> ConsultRecord:
    """Sign a given record (or co-sign one waiting for a medical director)."""
    record = require(desk.repository, consult_id)
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
) -> ConsultRecord:
    record = require(desk.repository, consult_id)
    account = authenticate(desk, by, pin, "amend")
    lines = given_lines(record, kb, entries, lot, expiry)
    given_on = record.given.at if record.given else desk.clock()
    lines = measurable(record, kb, lines, given_on.astimezone().date())
    before = record.given.lines if record.given else ()
    amended = rules.amend(record, account, desk.clock(), reason, describe_given_changes(before, lines), lines=lines)
    return keep(desk, amended, account.name)


def refuse_unless_unsigned(record: ConsultRecord) -> None:
    """For changes other than ``amend`` (a re-plan, a re-save): a signed record is locked."""
    if record.locked:
        raise NotPermitted(rules.already_signed(record) + " A signed record changes only by amendment (amend).")
