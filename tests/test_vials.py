"""The vial ledger through the services, with the clock set where each rule's edge is."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pytest

from assistant.core.knowledge import KnowledgeBase
from assistant.core.lifecycle.vials import VialRefused
from assistant.files.resources import Resources
from assistant.records import ConsultRepository
from assistant.records.errors import VialConflict
from assistant.services import staff, tracing, treatment, vials
from assistant.services.desk import Desk
from assistant.services.paperwork import render_record
from assistant.services.recording import save_new
from assistant.settings import ClinicSettings
from tests.conftest import MakeRecord
from tests.helpers import consented
from tests.staff_register import light_argon2

OPENED = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
PIN = "258000"


@dataclass
class Clock:
    now: datetime = OPENED

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Clinic:
    desk: Desk
    clock: Clock
    kb: KnowledgeBase
    clinic: ClinicSettings
    make: MakeRecord
    consults: list[str] = field(default_factory=list)

    def open(self, lot: str = "BX2311", expiry: date = date(2027, 5, 31), units: float = 100, **kw: object):
        """A vial made up at the plans' dilution (the label's 2.5 mL per 100 U) unless ``saline_ml`` says."""
        saline = kw.get("saline_ml", 2.5 * units / 100)
        return vials.open_one(
            self.desk, self.kb, self.clinic, lot=lot, expiry=expiry, units=units, saline_ml=saline, at=kw.get("at"),  # type: ignore[arg-type]
            by="Ina Choi", pin=PIN,
        )  # fmt: skip

    def consult(
        self, name: str, day: date, zones: tuple[str, ...] = ("glabella",), lot: str | None = None, **more: object
    ) -> str:
        """A planned consult; ``lot``: the lot it names (None: make_record's, which no vial here has);
        ``more``: other fields of the record (its ``lot_expiry``, say)."""
        record = self.make(name, day=day, zones=zones)
        if lot is not None or more:
            record = record.model_copy(update={**({"lot_number": lot} if lot is not None else {}), **more})
        return save_new(self.desk.repository, record).consult_id

    def give(self, consult_id: str, *vial_ids: str):
        consented(self.desk, consult_id, self.kb, "Ina Choi", PIN)
        return treatment.give(self.desk, consult_id, "Ina Choi", PIN, self.kb, vial_ids=list(vial_ids) or None)


@pytest.fixture
def clinic(repository: ConsultRepository, resources: Resources, make_record: MakeRecord) -> Clinic:
    clock = Clock()
    desk = Desk(repository, clock=clock)
    with light_argon2():  # the ledger is the subject: her PIN is checked at every give, at light cost
        staff.add(desk, "Ina Choi", "injector", PIN)
    return Clinic(desk, clock, resources.kb, resources.clinic, make_record)


def test_a_vial_drawn_by_three_consults_across_two_days_then_closed_with_waste(clinic: Clinic) -> None:
    vial = clinic.open()
    assert (vial.units_left, vial.use_by) == (100, OPENED + timedelta(hours=24))
    assert "the label (letybo-pi)" in vial.use_by_source
    first = clinic.consult("Kim Ji-woo", date(2026, 12, 1), ("glabella", "crows_feet"), lot="BX2311")
    clinic.clock.now = OPENED + timedelta(hours=1)
    given = clinic.give(first)  # the one open vial, without naming it
    assert given.given is not None
    line = given.given.lines[0]
    assert (line.vial_id, line.lot, line.expiry, line.ml) == (vial.vial_id, "BX2311", date(2027, 5, 31), 0.5)
    assert clinic.desk.repository.vial(vial.vial_id).units_left == 60  # type: ignore[union-attr]

    clinic.clock.now = OPENED + timedelta(hours=20)
    second = clinic.consult("Lee Bora", date(2026, 12, 1))
    clinic.give(second, vial.vial_id)
    warned = vials.warnings(
        clinic.desk.repository.vials(open_only=True), clinic.kb, OPENED + timedelta(hours=22, minutes=30)
    )
    assert "within 1 h 30 min" in warned[vial.vial_id]

    clinic.clock.now = OPENED + timedelta(hours=23, minutes=50)  # the next morning, still inside 24 h
    third = clinic.consult("Park Mina", date(2026, 12, 2), lot="bx 2311")  # the lot as typed: the same lot
    clinic.give(third)
    left = clinic.desk.repository.vial(vial.vial_id)
    assert left is not None and left.units_left == 20

    clinic.clock.now = OPENED + timedelta(hours=24)  # the use-by
    late = clinic.consult("Choi Yuna", date(2026, 12, 2), lot="BX2311")
    with pytest.raises(VialRefused, match="past its use-by"):
        clinic.give(late)
    assert clinic.desk.repository.get(late).given is None  # type: ignore[union-attr]
    assert clinic.desk.repository.vial(vial.vial_id).units_left == 20  # type: ignore[union-attr]

    closed = vials.close_one(clinic.desk, vial.vial_id, "Ina Choi", PIN, None, None)
    assert (closed.state, closed.wasted) == ("closed", 20)
    report = tracing.stock(clinic.desk.repository, date(2026, 12, 1), date(2026, 12, 31))
    [row] = report.rows
    assert (row.lot, row.vials_opened, row.units_opened, row.units_given, row.units_wasted) == (
        "BX2311",
        1,
        100,
        80,
        20,
    )
    assert report.left == {}
    with pytest.raises(VialRefused, match="already closed"):
        vials.close_one(clinic.desk, vial.vial_id, "Ina Choi", PIN, None, None)


def test_an_expired_lot_cannot_be_opened_or_drawn_from(clinic: Clinic) -> None:
    with pytest.raises(VialRefused, match="expired on 2026-11-30"):
        clinic.open(expiry=date(2026, 11, 30))
    vial = clinic.open(expiry=date(2026, 12, 1))  # usable through its expiry date
    clinic.clock.now = OPENED.replace(hour=23)
    consult = clinic.consult("Kim Ji-woo", date(2026, 12, 1))
    clinic.clock.now = datetime(2026, 12, 2, 0, 30, tzinfo=UTC)
    with pytest.raises(VialRefused, match="expired on 2026-12-01"):
        clinic.give(consult, vial.vial_id)


def test_more_units_than_the_named_vials_hold_is_refused_and_two_vials_are_drawn_in_order(clinic: Clinic) -> None:
    small = clinic.open(lot="A-1", units=50)
    consult = clinic.consult("Kim Ji-woo", date(2026, 12, 1), ("masseter",))  # 50 U: 25 per side
    assert clinic.desk.repository.get(consult).plan.total_units == 50  # type: ignore[union-attr]
    clinic.give(clinic.consult("Lee Bora", date(2026, 12, 1)), small.vial_id)  # 20 U: 30 left
    with pytest.raises(VialRefused, match="the vial drawn from holds 30 U"):
        clinic.give(consult, small.vial_id)
    assert clinic.desk.repository.vial(small.vial_id).units_left == 30  # type: ignore[union-attr]
    big = clinic.open(lot="B-2")
    with pytest.raises(VialRefused, match="Several vials are open"):
        clinic.give(consult)
    given = clinic.give(consult, small.vial_id, big.vial_id)
    assert given.given is not None
    left, right = given.given.lines
    assert [(d.lot, d.units) for d in left.draws] == [("A-1", 25)]
    assert [(d.lot, d.units) for d in right.draws] == [("A-1", 5), ("B-2", 20)]
    assert given.given.units_by_lot() == {"A-1": 30, "B-2": 20}
    assert clinic.desk.repository.vial(small.vial_id).units_left == 0  # type: ignore[union-attr]
    assert clinic.desk.repository.vial(big.vial_id).units_left == 80  # type: ignore[union-attr]
    a_lot = {(r.consult_id, r.units) for r in tracing.recall(clinic.desk.repository, "a-1")}
    assert a_lot == {(given.consult_id, 30), (clinic.desk.repository.history("Lee Bora")[0].consult_id, 20)}
    assert [(r.consult_id, r.units) for r in tracing.recall(clinic.desk.repository, "B-2")] == [(given.consult_id, 20)]


def test_a_draw_is_checked_again_when_saved(clinic: Clinic) -> None:
    vial = clinic.open(units=50)
    consult = clinic.consult("Kim Ji-woo", date(2026, 12, 1))
    record = clinic.desk.repository.get(consult)
    assert record is not None
    with pytest.raises(VialConflict, match="holds 50 U, not the 60 U"):
        clinic.desk.repository.save(
            record.model_copy(update={"version": 2}), treatment.AuditEvent.for_version(record, None, OPENED),
            [(vial.vial_id, 60)],
        )  # fmt: skip
    assert clinic.desk.repository.get(consult).version == 1  # type: ignore[union-attr]


def test_the_clinics_own_use_by_figure_needs_its_reason(clinic: Clinic) -> None:
    with pytest.raises(ValueError, match="vial_use_within_reason"):
        ClinicSettings(vial_use_within_hours=6)
    clinic.clinic = ClinicSettings(vial_use_within_hours=6, vial_use_within_reason="clinic SOP 4.2: 6 h in the fridge")
    vial = clinic.open()
    assert vial.use_by == OPENED + timedelta(hours=6) and "SOP 4.2" in vial.use_by_source


def test_recall_finds_exactly_the_patients_of_one_lot_among_several(clinic: Clinic) -> None:
    lots = {}
    for lot in ("L-1", "L-2", "L-3"):
        lots[lot] = clinic.open(lot=lot)
    patients = {"L-1": ["Kim A", "Kim B"], "L-2": ["Lee C"], "L-3": ["Park D", "Park E", "Park F"]}
    for lot, names in patients.items():
        for name in names:
            clinic.give(clinic.consult(name, date(2026, 12, 1)), lots[lot].vial_id)
    for lot, names in patients.items():
        rows = tracing.recall(clinic.desk.repository, lot)
        assert sorted(r.patient_name for r in rows) == names
        assert all(r.units == 20 and r.zones == ("glabella",) and r.given_by == "Ina Choi" for r in rows)
    assert tracing.recall(clinic.desk.repository, " l-2 ")[0].patient_name == "Lee C"
    assert tracing.recall(clinic.desk.repository, "NOPE") == []


def test_no_vial_is_drawn_by_default_when_the_consult_names_a_lot_none_open_has(clinic: Clinic) -> None:
    """Every path that gives keeps it: a lot the consult names, no open vial of it, no vial named."""
    vial = clinic.open()  # lot BX2311
    consult = clinic.consult("Kim Ji-woo", date(2026, 12, 1))  # make_record's lot: BTX-2211
    clinic.clock.now = OPENED + timedelta(hours=1)
    with pytest.raises(VialRefused, match="The consult names lot BTX-2211, and the one open vial is"):
        clinic.give(consult)
    clinic.open(lot="C-3")
    with pytest.raises(VialRefused, match=r"Several vials are open .*, none of lot BTX-2211, which the consult names"):
        clinic.give(consult)
    assert clinic.desk.repository.get(consult).given is None  # type: ignore[union-attr]
    consented(clinic.desk, consult, clinic.kb, "Ina Choi", PIN)
    with pytest.raises(VialRefused, match=r"none of lot LOTG-1, which the lines given name"):  # give --given
        treatment.give(clinic.desk, consult, "Ina Choi", PIN, clinic.kb, lot="LOTG-1", expiry=date(2027, 5, 31))
    given = treatment.give(clinic.desk, consult, "Ina Choi", PIN, clinic.kb, vial_ids=[])  # --no-vial
    assert given.given is not None and {(line.lot, line.vial_id) for line in given.given.lines} == {("BTX-2211", None)}
    assert clinic.desk.repository.vial(vial.vial_id).units_left == 100  # type: ignore[union-attr]


def test_the_summary_says_when_doses_came_from_another_lot_than_the_consults(
    clinic: Clinic, resources: Resources
) -> None:
    """Given from a vial named on purpose (--vial, or the form's list) of another lot than the lot
    question's: the summary's lot at its top is the consult's; its "Given" line says the lot given is
    not that one, in the text and the HTML (the PDF's copy), so the paper is not traced to it alone."""
    vial = clinic.open()  # lot BX2311
    consult = clinic.consult("Kim Ji-woo", date(2026, 12, 1))  # make_record's lot: BTX-2211
    clinic.clock.now = OPENED + timedelta(hours=1)
    given = clinic.give(consult, vial.vial_id)
    for fmt in ("text", "html"):
        summary = str(render_record(given, resources, "summary", fmt))
        assert "lot BX2311 (not lot BTX-2211, named at the consult above)" in summary, fmt
    same = clinic.give(clinic.consult("Lee Bora", date(2026, 12, 1), lot="bx 2311"))
    assert "named at the consult above" not in str(render_record(same, resources, "summary", "text"))
    # make_record's expiry is 30 June 2027; the vial of that lot says 31 May 2027 (a tryout: confirmed
    # at the lot question, then printed at the top above doses that carry the vial's date)
    for fmt in ("text", "html"):
        summary = " ".join(str(render_record(same, resources, "summary", fmt)).split())
        said = "(lot bx 2311 expiring 31 May 2027 on the vials drawn from, not 30 June 2027 as the consult above says)"
        assert said in summary, fmt
    agreeing = clinic.consult("Park Ha", date(2026, 12, 1), lot="BX2311", lot_expiry=date(2027, 5, 31))
    assert "on the vials drawn from" not in str(render_record(clinic.give(agreeing), resources, "summary", "text"))
    # a vial run out during the treatment: the consult's lot given first, another after it
    small, other = clinic.open(lot="D-4", units=50), clinic.open(lot="E-5")
    zones = ("glabella", "forehead", "crows_feet")  # 52 U
    both = clinic.give(clinic.consult("Han Yu", date(2026, 12, 1), zones, lot="D-4"), small.vial_id, other.vial_id)
    for fmt in ("text", "html"):
        summary = " ".join(str(render_record(both, resources, "summary", fmt)).split())
        said = "52 U, from lot D-4 (50 U, expiry 31 May 2027) and lot E-5 (2 U, expiry 31 May 2027) (the consult"
        assert said + " above named lot D-4 only)" in summary, fmt


def test_a_vial_drawn_to_0_units_is_no_choice_when_another_is_open(clinic: Clinic) -> None:
    """A tryout's give was refused with "several vials open", naming one that held 0 U."""
    small = clinic.open(lot="A-1", units=50)
    clinic.give(clinic.consult("Kim Ji-woo", date(2026, 12, 1), ("masseter",)), small.vial_id)  # 50 U: empty now
    big = clinic.open(lot="B-2")
    given = clinic.give(clinic.consult("Lee Bora", date(2026, 12, 1), lot_number=None))  # no lot: the open vial
    assert given.given is not None and {d.vial_id for line in given.given.lines for d in line.draws} == {big.vial_id}
