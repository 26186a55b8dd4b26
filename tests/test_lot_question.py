"""The lot question against the vial ledger (``ConsultSession``, ``core.lifecycle.vial_names``): the
expiry typed is checked against the open vial's, and a lot typed after a vial was picked is drawn from,
not that vial. A tryout saw a typed expiry (2028-01-01) printed at the dose summary's top while the
vial of that lot said 2027-06-30, and G highlight a vial picked before another lot was typed."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from assistant.core.lifecycle.vial_names import drawn_from, expiry_disagrees
from assistant.files.resources import Resources
from assistant.services.consult_session import ConsultSession
from assistant.services.lot_answers import LOT_EXPIRY_QUESTION, LOT_QUESTION
from tests.helpers import BEFORE_THE_LOT, TODAY
from tests.test_vial_ledger import vial

JUNE, AUGUST = dt.date(2027, 6, 30), dt.date(2027, 8, 31)
OPEN = [vial("V-A", lot="A-1", expiry=JUNE), vial("V-B", lot="B-2", expiry=AUGUST)]


def at_the_lot_question(resources: Resources) -> ConsultSession:
    session = ConsultSession(resources, TODAY)
    session.resume({"patient_name": "Mina Park", "patient_language": "en", **BEFORE_THE_LOT})
    session.open_vials = list(OPEN)
    assert session.current is not None and session.current.id == LOT_QUESTION
    return session


def test_an_expiry_typed_against_the_picked_vials_is_asked_about(resources: Resources) -> None:
    session = at_the_lot_question(resources)
    assert session.submit(session.pick_vial(OPEN[0])).accepted
    expiry = session.current
    assert expiry is not None and expiry.id == LOT_EXPIRY_QUESTION and session.suggested(expiry) == JUNE
    typed = session.submit("2028-01-01")
    assert typed.needs_confirmation and not typed.accepted, "asked, not taken silently"
    assert "The ledger's open vial of lot A-1 expires on 2027-06-30, not 2028-01-01" in " ".join(typed.verdict.warnings)
    assert LOT_EXPIRY_QUESTION not in session.answers
    assert session.submit("2027-06-30").accepted, "the ledger's date: no question"
    session.edit(LOT_EXPIRY_QUESTION)
    assert session.submit("2028-01-01", confirmed=True).accepted, "confirmed: the carton is read as typed"
    assert session.answers[LOT_EXPIRY_QUESTION] == dt.date(2028, 1, 1)


def test_a_lot_typed_after_a_pick_is_drawn_from_with_its_vials_expiry_suggested(resources: Resources) -> None:
    session = at_the_lot_question(resources)
    assert session.submit(session.pick_vial(OPEN[0])).accepted and session.vial_id == "V-A"
    session.edit(LOT_QUESTION)
    session.typing_lot = True  # "Another lot (type it)"
    assert session.submit("b-2").accepted
    assert session.answers[LOT_QUESTION] == "B-2", "the ledger's spelling, as a pick gives it"
    assert session.vial_id is None, "G no longer highlights the vial picked before"
    expiry = session.current
    assert expiry is not None and session.suggested(expiry) == AUGUST, "the open vial of the lot typed"
    assert session.submit("2027-08-31").accepted


def test_a_lot_no_vial_is_open_of_suggests_nothing_and_asks_nothing(resources: Resources) -> None:
    session = at_the_lot_question(resources)
    session.typing_lot = True
    assert session.submit("C-3").accepted
    expiry = session.current
    assert expiry is not None and session.suggested(expiry) is None
    assert session.submit("2029-01-31").accepted, "no vial of the ledger to disagree with"


@given(typed=st.dates(dt.date(2026, 12, 1), dt.date(2031, 12, 31)), lot=st.sampled_from(["A-1", "a-1", "B-2", "C-3"]))
def test_an_expiry_is_asked_about_exactly_when_it_is_not_the_ledgers(typed: dt.date, lot: str) -> None:
    vials = drawn_from(OPEN, lot, None)
    said = expiry_disagrees(vials, typed)
    assert (said is not None) == (bool(vials) and typed not in {v.expiry for v in vials})
    if said is not None:
        assert vials[0].lot in said and typed.isoformat() in said


def test_back_from_typing_a_lot_is_the_open_vials_again(resources: Resources) -> None:
    """A tryout: Esc after "Another lot" went back to the goals, and the lot question came back as a
    text box, the vials gone until the draft was resumed."""
    session = at_the_lot_question(resources)
    session.typing_lot = True  # "Another lot (type it)"
    lot = session.current
    assert lot is not None and session.vial_choices(lot) == []
    assert session.back() is lot and session.vial_choices(lot) == OPEN, "the pick again"
    before = session.back()
    assert before is not None and before.id == "goals", "a second Esc: the question before"


ZONES = ("glabella", "forehead", "crows_feet", "masseter")
LOTS = ("L-A", "L-B", "l-b", "L-C")


@given(
    st.lists(
        st.tuples(st.sampled_from(ZONES), st.lists(st.sampled_from(LOTS), max_size=2), st.sampled_from([0.0, 2.0])),
        min_size=1,
        max_size=6,
    ),
    st.sampled_from(LOTS),
)
def test_a_lots_zones_are_those_given_from_it_and_no_other(lines: list[tuple[str, list[str], float]], lot: str) -> None:
    """Recall and the adverse-events report name, under a lot, the zones given from it: every zone a
    line drew from the lot (lots compared as the ledger compares them), none that drew from others."""
    from assistant.core.lifecycle.given_lines import Given, GivenLine, VialDraw
    from assistant.core.lifecycle.vials import lot_key

    def drawn(lots: list[str]) -> tuple[VialDraw, ...]:
        return tuple(VialDraw(vial_id=f"V-{n}", lot=name, expiry=JUNE, units=1) for n, name in enumerate(lots))

    given = Given(
        lines=tuple(
            GivenLine(zone=zone, side="center", units=units, points=1 if units else 0, draws=drawn(lots))
            for zone, lots, units in lines
        ),
        by="Ina Choi",
        role="injector",
        at=dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC),
    )
    expected = {z for z, lots, units in lines if units > 0 and any(lot_key(n) == lot_key(lot) for n in lots)}
    assert set(given.zones_of_lot(lot)) == expected
