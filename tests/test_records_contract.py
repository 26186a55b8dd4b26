"""The repository contract: what every store (TinyDB files, a PostgreSQL server) keeps and finds.

Each test runs once on each store (the ``repository`` fixture), with plans from the real planner.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from assistant.core.flow import Flow
from assistant.core.lifecycle import rules
from assistant.core.lifecycle.audit import AuditEvent, record_sha
from assistant.core.lifecycle.given import lines_from_plan
from assistant.core.lifecycle.staff import StaffAccount
from assistant.core.lifecycle.vials import Vial
from assistant.files.resources import Resources
from assistant.records import (
    ConsultNotFound,
    ConsultRepository,
    Draft,
    new_record_id,
    patient_history,
    patient_key,
    prior_treatment,
    require,
)
from assistant.records.errors import StaffConflict, VersionConflict, VialConflict
from assistant.services import audit_trail
from tests.conftest import MakeRecord
from tests.helpers import TODAY, base_answers, keep

AT = datetime(2026, 11, 24, 11, 0, tzinfo=UTC)
INJECTOR = StaffAccount(name="Ina Choi", role="injector", pin_hash="$argon2id$x", created_at=AT)


def test_a_record_with_a_real_plan_reads_back_equal(repository: ConsultRepository, make_record: MakeRecord) -> None:
    record = make_record(
        "Kim Ji-woo",
        patient_id="P-0042",
        zones=("glabella", "forehead", "crows_feet"),
        prior_treatment_date="2026-08-01",
        prior_zones=["glabella"],
    )
    assert keep(repository, record) == record
    again = repository.get(record.consult_id)
    assert again == record
    assert again is not None
    assert again.plan == record.plan
    assert again.plan.lines and again.plan.follow_up == record.plan.follow_up
    assert again.treated_zones == ("glabella", "forehead", "crows_feet")
    assert (again.staff, again.lot_number, again.lot_expiry) == ("Dr Test", "BTX-2211", date(2027, 6, 30))
    assert (again.script_id, again.knowledge_id) == (record.plan.versions.script_id, record.plan.versions.knowledge_id)
    assert again.patient_key == "id:p-0042"


def test_unknown_and_malformed_ids_give_none_and_require_explains(repository: ConsultRepository) -> None:
    assert repository.get("20261124-101502-k3v9q2xa") is None
    assert repository.get("../etc/passwd") is None
    with pytest.raises(ConsultNotFound, match="20261124-101502-k3v9q2xa"):
        require(repository, "20261124-101502-k3v9q2xa")


def test_history_lists_a_patients_consults_newest_first(repository: ConsultRepository, make_record: MakeRecord) -> None:
    days = [date(2026, 3, 2), date(2026, 11, 24), date(2025, 12, 1), date(2026, 7, 15)]
    saved = [keep(repository, make_record("Lee Min-ho", day=day)).consult_id for day in days]
    keep(repository, make_record("Lee Minji", day=date(2026, 11, 20)))
    history = repository.history("lee min-ho")
    assert [s.date for s in history] == sorted(days, reverse=True)
    assert {s.consult_id for s in history} == set(saved)
    assert all(s.patient_name == "Lee Min-ho" and s.status == "planned" for s in history)
    assert history[0].zones == ("glabella",) and history[0].total_units > 0
    assert repository.history(patient_key("Lee Min-ho")) == history
    assert len(repository.history("lee")) == 5  # every Lee when no name is exact


def test_find_patients_by_id_exactly_and_by_name_in_any_case(
    repository: ConsultRepository, make_record: MakeRecord
) -> None:
    keep(repository, make_record("Kim Ji-woo", patient_id="P-0042"))
    keep(repository, make_record("Kimberly Stone", patient_id="P-0043"))
    keep(repository, make_record("Park Seo-yeon"))
    keep(repository, make_record("김지우"))

    def names(query: str) -> list[str]:
        return [m.patient_name for m in repository.find_patients(query)]

    assert names("p-0042") == ["Kim Ji-woo"]
    assert names("P-004") == []  # ids match exactly
    assert names("KIM") == ["Kim Ji-woo", "Kimberly Stone"]
    assert names("ji kim") == ["Kim Ji-woo"]
    assert names("kim ji-w") == ["Kim Ji-woo"]
    assert names("stone") == ["Kimberly Stone"]
    assert names("k") == ["Kim Ji-woo", "Kimberly Stone"]
    assert names("seo") == ["Park Seo-yeon"]
    assert names("김") == ["김지우"]
    assert names("김지") == ["김지우"]
    assert names("nobody") == names("") == names("  -- ") == []
    match = repository.find_patients("kim ji-woo")[0]
    assert (match.patient_id, match.consults, match.last_date) == ("P-0042", 1, TODAY)


def test_exact_names_come_first(repository: ConsultRepository, make_record: MakeRecord) -> None:
    keep(repository, make_record("Ann Leeson"))
    keep(repository, make_record("Ann Lee"))
    assert [m.patient_name for m in repository.find_patients("ann lee")] == ["Ann Lee", "Ann Leeson"]
    assert [s.patient_name for s in repository.history("Ann Lee")] == ["Ann Lee"]


def test_two_patients_with_one_name_are_told_apart_by_id(
    repository: ConsultRepository, make_record: MakeRecord
) -> None:
    keep(repository, make_record("Choi Yuna", patient_id="A-1", day=date(2026, 1, 5)))
    keep(repository, make_record("Choi Yuna", patient_id="B-2", day=date(2026, 2, 5)))
    matches = repository.find_patients("choi yuna")
    assert sorted(m.patient_id or "" for m in matches) == ["A-1", "B-2"]
    assert [s.date for s in repository.history("B-2")] == [date(2026, 2, 5)]


def test_a_new_name_for_a_known_id_replaces_the_old_one_in_search(
    repository: ConsultRepository, make_record: MakeRecord
) -> None:
    keep(repository, make_record("Jung Hana", patient_id="P-7", day=date(2026, 1, 5)))
    keep(repository, make_record("Song Hana", patient_id="P-7", day=date(2026, 6, 5)))
    assert repository.find_patients("jung") == []
    assert [m.patient_name for m in repository.find_patients("song")] == ["Song Hana"]
    assert [m.patient_name for m in repository.find_patients("hana")] == ["Song Hana"]
    assert len(repository.history("P-7")) == 2


def test_saving_a_record_again_under_another_patient_moves_it(
    repository: ConsultRepository, make_record: MakeRecord
) -> None:
    wrong = make_record("Yoon Bora")
    keep(repository, wrong)
    other = make_record("Yoon Dara")
    right = rules.revise(wrong, other.plan, other.answers, "name corrected", other.finished_at, "Dr Test")
    keep(repository, right)
    assert repository.history("Yoon Bora") == []
    assert repository.find_patients("bora") == []
    assert [s.consult_id for s in repository.history("Yoon Dara")] == [wrong.consult_id]
    assert repository.get(wrong.consult_id) == right


def test_list_recent_gives_the_latest_saved_first(repository: ConsultRepository, make_record: MakeRecord) -> None:
    saved = [keep(repository, make_record(f"Patient {n}", day=date(2026, 1 + n, 1))).consult_id for n in range(5)]
    assert [s.consult_id for s in repository.recent(3).rows] == saved[::-1][:3]
    assert len(repository.recent().rows) == 5


def test_last_record_gives_the_prior_treatment_date_and_zones(
    repository: ConsultRepository, make_record: MakeRecord, resources: Resources
) -> None:
    keep(repository, make_record("Han Sol", patient_id="H-1", day=date(2026, 5, 4), zones=("glabella",)))
    treated = make_record("Han Sol", patient_id="H-1", day=date(2026, 8, 20), zones=("forehead", "crows_feet"))
    keep(repository, treated)
    last = repository.last_for_patient("id:h-1")
    assert last == treated
    prior = prior_treatment(repository, "id:h-1")
    assert prior is not None
    assert (prior.date, prior.zones) == (date(2026, 8, 20), ("forehead", "crows_feet"))

    # the pre-filled answers are ones the consult accepts
    flow = Flow(resources.script, TODAY)
    result = flow.read_file(base_answers(patient_id="H-1", **prior.answers()))
    assert result.ok, result.problems
    assert result.answers["prior_treatment_date"] == date(2026, 8, 20)
    assert result.answers["prior_zones"] == ("forehead", "crows_feet")


def test_a_consult_that_treated_nothing_is_last_but_not_the_prior_treatment(
    repository: ConsultRepository, make_record: MakeRecord
) -> None:
    keep(repository, make_record("Oh Mina", day=date(2026, 6, 1), zones=("masseter",)))
    stopped = make_record("Oh Mina", day=date(2026, 10, 1), pregnant_or_breastfeeding=True)
    assert stopped.plan.status == "contraindicated" and stopped.treated_zones == ()
    keep(repository, stopped)
    history = patient_history(repository, patient_key("Oh Mina"))
    assert history is not None
    assert history.last == stopped
    assert [s.status for s in history.consults] == ["contraindicated", "planned"]
    assert history.prior is not None
    assert (history.prior.date, history.prior.zones) == (date(2026, 6, 1), ("masseter",))
    assert (history.patient.consults, history.patient.last_date) == (2, date(2026, 10, 1))
    assert patient_history(repository, patient_key("Nobody")) is None
    assert repository.last_for_patient(patient_key("Nobody")) is None


def test_drafts_are_kept_updated_listed_and_deleted(repository: ConsultRepository) -> None:
    start = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    draft = Draft(
        draft_id=new_record_id(start),
        answers={"patient_name": "Seo Jin", "zones": ("glabella",), "prior_treatment_date": date(2026, 8, 1)},
        current_question="age",
        started_at=start,
        updated_at=start,
        staff="Dr Test",
        script_id="botulax-consult",
        script_version="1.0.0",
    )
    other = draft.model_copy(update={"draft_id": new_record_id(start), "updated_at": start - timedelta(hours=1)})
    assert repository.save_draft(draft) == draft.draft_id
    repository.save_draft(other)
    assert repository.get_draft(draft.draft_id) == draft
    assert draft.answers == {"patient_name": "Seo Jin", "zones": ["glabella"], "prior_treatment_date": "2026-08-01"}
    assert draft.patient_name == "Seo Jin"

    later = draft.model_copy(update={"answers": {**draft.answers, "age": 41}, "current_question": "skin_thickness"})
    later = later.model_copy(update={"updated_at": start + timedelta(minutes=3)})
    repository.save_draft(later)
    assert [d.draft_id for d in repository.drafts()] == [draft.draft_id, other.draft_id]
    assert repository.drafts()[0] == later

    assert repository.delete_draft(draft.draft_id) is True
    assert repository.delete_draft(draft.draft_id) is False
    assert repository.get_draft(draft.draft_id) is None
    assert [d.draft_id for d in repository.drafts()] == [other.draft_id]
    assert repository.delete_draft("not-an-id") is False


# -- versions -----------------------------------------------------------------------------------------


def test_versions_follow_each_other_and_a_late_writer_is_told_who_was_first(
    repository: ConsultRepository, make_record: MakeRecord
) -> None:
    first = keep(repository, make_record("Kim Ji-woo", zones=("glabella", "forehead")))
    later = make_record("Kim Ji-woo", zones=("glabella",), age=55)
    second = rules.revise(first, later.plan, later.answers, "age changed", first.finished_at, "Jun Park")
    keep(repository, second)
    assert [v.version for v in repository.versions(first.consult_id)] == [1, 2]
    assert repository.get(first.consult_id) == second
    assert repository.get(first.consult_id, 1) == first and repository.get(first.consult_id, 3) is None
    [row] = repository.history("Kim Ji-woo")
    assert (row.version, row.state, row.zones) == (2, "planned", ("glabella",))

    stale = rules.revise(first, later.plan, later.answers, "from another workstation", first.finished_at, "X")
    with pytest.raises(VersionConflict) as conflict:
        keep(repository, stale)
    assert conflict.value.current == second
    with pytest.raises(VersionConflict):
        keep(repository, first)  # version 1 again: the id is taken
    assert len(repository.versions(first.consult_id)) == 2
    assert [e.version for e in repository.audit_entries(first.consult_id)] == [1, 2]


def test_the_to_sign_list_follows_the_state(repository: ConsultRepository, make_record: MakeRecord) -> None:
    record = keep(repository, make_record("Lee Bora"))
    assert repository.to_sign() == []
    given = keep(repository, rules.give(record, lines_from_plan(record.plan, "BX1", None), INJECTOR, AT))
    [waiting] = repository.to_sign()
    assert (waiting.consult_id, waiting.state, waiting.given_units) == (record.consult_id, "given", 20)
    keep(repository, rules.sign(given, INJECTOR, AT))
    assert repository.to_sign() == []


def test_the_to_give_list_follows_the_state_oldest_first_in_keyset_pages(
    repository: ConsultRepository, make_record: MakeRecord
) -> None:
    later = keep(repository, make_record("Lee Bora", day=TODAY))
    first = keep(repository, make_record("Kim Ji-woo", day=TODAY - timedelta(days=1)))
    keep(repository, make_record("Park Min", pregnant_or_breastfeeding=True))  # contraindicated: nothing to give
    assert [s.consult_id for s in repository.to_give_page(None, None)] == [first.consult_id, later.consult_id]
    [page] = repository.to_give_page(None, 1)
    assert page.consult_id == first.consult_id and page.state == "planned"
    assert [s.consult_id for s in repository.to_give_page(page.sort_key(), 5)] == [later.consult_id]
    keep(repository, rules.give(first, lines_from_plan(first.plan, "BX1", None), INJECTOR, AT))
    assert [s.consult_id for s in repository.to_give_page(None, None)] == [later.consult_id]


# -- staff ----------------------------------------------------------------------------------------------


def test_staff_accounts_are_kept_found_by_name_and_changed_one_revision_at_a_time(
    repository: ConsultRepository,
) -> None:
    event = AuditEvent(at=AT, actor="Ina Choi", action="staff added")
    repository.save_staff(INJECTOR, event)
    assert repository.staff_account("  ina   CHOI ") == INJECTOR
    with pytest.raises(StaffConflict):
        repository.save_staff(INJECTOR, event)  # the name is taken
    locked = INJECTOR.model_copy(update={"wrong_pins": 1, "revision": 2})
    repository.save_staff(locked, None)
    with pytest.raises(StaffConflict):
        repository.save_staff(locked, None)  # revision 2 again: another workstation was first
    assert repository.staff() == [locked]
    assert [e.action for e in repository.audit_entries()] == ["staff added"]


# -- the audit trail --------------------------------------------------------------------------------------


def test_the_audit_trail_is_one_chain_that_verifies(repository: ConsultRepository, make_record: MakeRecord) -> None:
    record = keep(repository, make_record("Park Mina"))
    repository.record_event(
        AuditEvent(at=AT, actor="Ina Choi", action="printed", consult_id=record.consult_id, version=1)
    )
    entries = list(repository.audit_entries())
    assert [(e.seq, e.action) for e in entries] == [(1, "consult saved"), (2, "printed")]
    assert repository.audit_head() == (2, entries[-1].hash)
    assert [e.action for e in repository.audit_entries(record.consult_id)] == ["consult saved", "printed"]
    assert list(repository.version_hashes()) == [(record.consult_id, 1, record_sha(record))]
    assert audit_trail.check(repository).ok


# -- vials and what was given ------------------------------------------------------------------------------


def test_vials_are_drawn_from_with_the_save_and_never_below_zero(
    repository: ConsultRepository, make_record: MakeRecord
) -> None:
    vial = Vial(
        vial_id=new_record_id(AT), lot="BX 2311", expiry=date(2027, 5, 31), units=50, units_left=50, saline_ml=1.25,
        opened_at=AT, use_by=AT + timedelta(hours=24), opened_by="Ina Choi",
    )  # fmt: skip
    repository.save_vial(vial, AuditEvent(at=AT, actor="Ina Choi", action="vial opened"))
    assert repository.vials(open_only=True) == [vial] and repository.vial(vial.vial_id) == vial
    record = keep(repository, make_record("Choi Yuna"))
    given = rules.give(record, lines_from_plan(record.plan, "BX 2311", None), INJECTOR, AT)
    repository.save(given, AuditEvent.for_version(given, "Ina Choi", AT), [(vial.vial_id, 20)])
    assert repository.vial(vial.vial_id).units_left == 30  # type: ignore[union-attr]
    other = keep(repository, make_record("Choi Dana"))
    too_much = rules.give(other, lines_from_plan(other.plan, "BX 2311", None), INJECTOR, AT)
    with pytest.raises(VialConflict):
        repository.save(too_much, AuditEvent.for_version(too_much, "Ina Choi", AT), [(vial.vial_id, 31)])
    assert repository.get(other.consult_id).version == 1  # type: ignore[union-attr]
    assert repository.vial(vial.vial_id).units_left == 30  # type: ignore[union-attr]
    with pytest.raises(VialConflict):
        repository.save_vial(vial, AuditEvent(at=AT, action="vial opened"))  # revision 1 again

    [row] = repository.recall("bx2311")
    assert (row.consult_id, row.patient_name, row.units, row.given_by) == (
        record.consult_id,
        "Choi Yuna",
        20,
        "Ina Choi",
    )
    assert repository.recall("OTHER") == []
    [treatment] = repository.treatments(TODAY, TODAY)
    assert (treatment.consult_id, treatment.kind, treatment.lots) == (record.consult_id, "full", {"BX 2311": 20})
    assert repository.treatments(TODAY + timedelta(days=1), TODAY + timedelta(days=9)) == []
    closed = vial.model_copy(update={"state": "closed", "units_left": 30, "wasted": 30, "revision": 3})
    repository.save_vial(closed, AuditEvent(at=AT, actor="Ina Choi", action="vial closed"))
    assert repository.vials(open_only=True) == [] and repository.vials() == [closed]
