"""Which unfinished consults are the patient's (``core.lifecycle.draft_match``): two identifiers
agreeing, never one, never a disagreeing one; and when leaving the consult just started loses nothing."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from assistant.core.lifecycle.draft_match import drafts_of, nothing_but_hers, same_person
from assistant.core.lifecycle.listing import Draft
from assistant.core.lifecycle.register_entry import Identifiers
from assistant.files.resources import Resources
from assistant.records import new_record_id

BORN = dt.date(1988, 5, 14)


def her(name: str = "Mina Park", born: dt.date | None = BORN, number: str | None = None) -> Identifiers:
    return Identifiers(name=name, date_of_birth=born, clinic_number=number)


def draft(minutes: int, **answers: object) -> Draft:
    moment = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC) + dt.timedelta(minutes=minutes)
    return Draft(
        draft_id=new_record_id(moment),
        answers={"patient_name": "Mina Park", "date_of_birth": BORN.isoformat(), **answers},
        started_at=moment,
        updated_at=moment,
        script_id="botulax-consult",
        script_version="1.4.1",
    )


def test_name_and_date_of_birth_are_two_identifiers() -> None:
    assert same_person(her(), her(name="MINA  park"))  # compared as the register's suggestions fold names


def test_one_identifier_is_never_enough() -> None:
    assert not same_person(her(born=None), her(born=None))
    assert not same_person(her(born=None, number="P-1"), her(number=None))


def test_a_disagreeing_identifier_is_another_person() -> None:
    assert not same_person(her(number="P-1"), her(number="P-2"))
    assert not same_person(her(born=dt.date(1979, 2, 1)), her())
    assert not same_person(her(name="Mina Kim", number="P-1"), her(number="P-1"))


def test_number_and_date_of_birth_are_two_identifiers_with_the_name_agreeing() -> None:
    assert same_person(her(number="p-1"), her(number="P-1"))
    assert same_person(her(born=None, number="P-1"), her(born=None, number="P-1"))


def test_her_drafts_newest_first_and_never_the_consult_on_screen() -> None:
    older, newer, other = draft(0), draft(30), draft(10, date_of_birth="1979-02-01")
    pairs = [(d, her(born=dt.date.fromisoformat(d.answers["date_of_birth"]))) for d in (older, newer, other)]
    assert drafts_of(her(), pairs, leave_out=None) == [newer, older]
    assert drafts_of(her(), pairs, leave_out=newer.draft_id) == [older]
    assert drafts_of(her(), [(older, None)], leave_out=None) == [], "a draft without a name names nobody"


def test_the_consult_just_started_is_left_only_when_it_holds_nothing_more(resources: Resources) -> None:
    script = resources.script
    kept = draft(0, patient_language="ko", sex="female")
    typed = {"patient_name": "mina  PARK", "date_of_birth": BORN, "patient_id": None, "age": 38}
    assert nothing_but_hers(typed, kept, script), "the age is derived, the empty number holds nothing"
    assert not nothing_but_hers({**typed, "patient_language": "en"}, kept, script), "a language answered otherwise"
    assert not nothing_but_hers({**typed, "patient_id": "P-1"}, kept, script), "a number the draft lacks"


names = st.text(alphabet="abcAB -", min_size=1).filter(lambda s: s.strip())
dates = st.one_of(st.none(), st.dates(dt.date(1920, 1, 1), dt.date(2008, 1, 1)))
numbers = st.one_of(st.none(), st.sampled_from(["P-1", "p-1", "P-2", " P-2 "]))
identifiers = st.builds(her, names, dates, numbers)


@given(identifiers, identifiers)
def test_the_same_person_both_ways(one: Identifiers, other: Identifiers) -> None:
    assert same_person(one, other) == same_person(other, one)


@given(identifiers, identifiers)
def test_never_on_fewer_than_two_identifiers_given_on_both_sides(one: Identifiers, other: Identifiers) -> None:
    both = 1 + (one.date_of_birth is not None and other.date_of_birth is not None)
    both += one.clinic_number is not None and other.clinic_number is not None
    if both < 2:
        assert not same_person(one, other)
    if same_person(one, other) and one.date_of_birth and other.date_of_birth:
        assert one.date_of_birth == other.date_of_birth, "a disagreeing date of birth is another person"
