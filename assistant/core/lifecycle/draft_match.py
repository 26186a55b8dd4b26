"""An unfinished consult of the patient just typed: offered before a second one is started for her.

Why: a consult left unfinished (the patient stepped out, the app was closed) is kept as a draft and
offered at the next start; once that offer is passed, typing the same patient again started a second
consult beside the first, and two half-answered consults of one person waited in the drafts list.
Once her identifiers are typed, the drafts that name the same person are offered instead.

A person is named by two identifiers (the product's rule): a draft is hers when at least two of her
name, date of birth and clinic number are given on both sides and agree. Names and numbers agree as
the register's suggestions compare them (case, width and inner spaces folded): this only offers, it
never links. Pure: the drafts and their identifiers come in, the drafts of the patient go out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from assistant.core.derived import source_of
from assistant.core.lifecycle.ids import normalise_name
from assistant.core.lifecycle.listing import Draft
from assistant.core.lifecycle.record_model import jsonable_answers
from assistant.core.lifecycle.register_entry import Identifiers, exact_name, folded_number
from assistant.core.script import Script


def same_person(one: Identifiers, other: Identifiers) -> bool:
    """At least two identifiers given on both sides, and every one given on both sides agrees."""
    pairs = [
        (normalise_name(one.name), normalise_name(other.name)),
        (one.date_of_birth, other.date_of_birth),
        (folded_number(one.clinic_number), folded_number(other.clinic_number)),
    ]
    given = [(a, b) for a, b in pairs if a is not None and b is not None]
    return len(given) >= 2 and all(a == b for a, b in given)


def drafts_of(
    identifiers: Identifiers, drafts: Iterable[tuple[Draft, Identifiers | None]], leave_out: str | None
) -> list[Draft]:
    """The drafts (with the identifiers their answers give) of the same person as ``identifiers``,
    newest answered first; ``leave_out`` (the consult on screen's own draft) is never among them."""
    found = [
        draft
        for draft, theirs in drafts
        if draft.draft_id != leave_out and theirs is not None and same_person(identifiers, theirs)
    ]
    return sorted(found, key=lambda draft: draft.updated_at, reverse=True)


def nothing_but_hers(answers: Mapping[str, object], draft: Draft, script: Script) -> bool:
    """Every answer of the consult on screen is already in ``draft``, as a draft keeps answers (the
    name may be spaced or cased differently; a question skipped or left empty, or one the script
    derives from another, such as the age, holds nothing of its own): leaving it loses nothing."""
    derived = {question.id for question in script.questions if source_of(question) is not None}
    for question, value in jsonable_answers(dict(answers)).items():
        if value in (None, "", []) or question in derived:
            continue
        kept = draft.answers.get(question)
        if question == "patient_name" and isinstance(value, str) and isinstance(kept, str):
            value, kept = exact_name(value).casefold(), exact_name(kept).casefold()
        if kept != value:
            return False
    return True
