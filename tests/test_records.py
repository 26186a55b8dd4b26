"""The consult record: what is kept, how patients are found again, drafts, and damaged files.

Every test works on real TinyDB files in a temporary data directory, with plans from the real planner.
"""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from assistant import locations
from assistant.core.flow import Flow
from assistant.core.lifecycle import rules
from assistant.core.lifecycle.ids import is_record_id, name_tokens
from assistant.files.resources import Resources
from assistant.records import (
    ConsultNotFound,
    ConsultRecord,
    ConsultRepository,
    DamagedDataFile,
    Draft,
    RecordsError,
    TinyDBStore,
    new_record_id,
    open_repository,
    patient_history,
    patient_key,
    prior_treatment,
    require,
)
from assistant.records.tinydb import atomic
from assistant.records.tinydb.rollback import PartialSave
from tests.conftest import MakeRecord
from tests.helpers import TODAY, base_answers, keep


@pytest.fixture
def store(tmp_path: Path) -> TinyDBStore:
    return TinyDBStore(tmp_path / "data")


def data_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.json") if not p.name.startswith("."))


# -- what is kept -----------------------------------------------------------------------------------


def test_a_record_with_a_real_plan_reads_back_equal(store: TinyDBStore, make_record: MakeRecord) -> None:
    record = make_record(
        "Kim Ji-woo",
        patient_id="P-0042",
        zones=("glabella", "forehead", "crows_feet"),
        prior_treatment_date="2026-08-01",
        prior_zones=["glabella"],
    )
    assert keep(store, record) == record
    again = store.get(record.consult_id)
    assert again == record
    assert again is not None
    assert again.plan == record.plan
    assert again.plan.lines and again.plan.follow_up == record.plan.follow_up
    assert again.treated_zones == ("glabella", "forehead", "crows_feet")
    assert (again.staff, again.lot_number, again.lot_expiry) == ("Dr Test", "BTX-2211", date(2027, 6, 30))
    assert (again.script_id, again.knowledge_id) == (record.plan.versions.script_id, record.plan.versions.knowledge_id)
    assert again.patient_key == "id:p-0042"


def test_answers_are_kept_as_json(store: TinyDBStore, make_record: MakeRecord) -> None:
    record = make_record(zones=("glabella", "forehead"), prior_treatment_date="2026-08-01", prior_zones=["glabella"])
    assert record.answers["prior_treatment_date"] == "2026-08-01"
    assert record.answers["zones"] == ["glabella", "forehead"]
    keep(store, record)
    stored = json.loads(store.layout.consult_path(record.consult_id).read_text(encoding="utf-8"))
    assert stored["versions"]["1"]["record"]["answers"]["zones"] == ["glabella", "forehead"]


def test_consult_ids_sort_by_time_and_say_when(make_record: MakeRecord) -> None:
    early = new_record_id(datetime(2026, 11, 24, 9, 0, tzinfo=UTC))
    late = new_record_id(datetime(2026, 11, 24, 18, 30, 5, tzinfo=UTC))
    assert early < late
    assert late.startswith("20261124-183005-")
    assert is_record_id(late) and not is_record_id("../../etc/passwd")
    with pytest.raises(ValueError, match="not a consult id"):
        ConsultRecord.model_validate({**make_record().model_dump(), "consult_id": "20261124-x"})


def test_unknown_and_malformed_ids_give_none_and_require_explains(store: TinyDBStore) -> None:
    assert store.get("20261124-101502-k3v9q2xa") is None
    assert store.get("../etc/passwd") is None
    with pytest.raises(ConsultNotFound, match="20261124-101502-k3v9q2xa"):
        require(store, "20261124-101502-k3v9q2xa")


def test_the_store_is_a_consult_repository(tmp_path: Path) -> None:
    assert isinstance(TinyDBStore(tmp_path), ConsultRepository)
    default = open_repository()
    assert isinstance(default, TinyDBStore)
    assert default.data_dir == locations.user_data_dir()


def test_reading_an_empty_data_dir_creates_nothing(tmp_path: Path) -> None:
    store = TinyDBStore(tmp_path / "none")
    assert store.history("anyone") == []
    assert store.find_patients("anyone") == []
    assert store.recent().rows == []
    assert store.drafts() == []
    assert not (tmp_path / "none").exists()


# -- finding patients again -------------------------------------------------------------------------


def test_history_lists_a_patients_consults_newest_first(store: TinyDBStore, make_record: MakeRecord) -> None:
    days = [date(2026, 3, 2), date(2026, 11, 24), date(2025, 12, 1), date(2026, 7, 15)]
    saved = [keep(store, make_record("Lee Min-ho", day=day)).consult_id for day in days]
    keep(store, make_record("Lee Minji", day=date(2026, 11, 20)))
    history = store.history("lee min-ho")
    assert [s.date for s in history] == sorted(days, reverse=True)
    assert {s.consult_id for s in history} == set(saved)
    assert all(s.patient_name == "Lee Min-ho" and s.status == "planned" for s in history)
    assert history[0].zones == ("glabella",) and history[0].total_units > 0
    assert store.history(patient_key("Lee Min-ho")) == history
    assert len(store.history("lee")) == 5  # every Lee when no name is exact


def test_find_patients_by_id_exactly_and_by_name_in_any_case(store: TinyDBStore, make_record: MakeRecord) -> None:
    keep(store, make_record("Kim Ji-woo", patient_id="P-0042"))
    keep(store, make_record("Kimberly Stone", patient_id="P-0043"))
    keep(store, make_record("Park Seo-yeon"))
    keep(store, make_record("김지우"))

    def names(query: str) -> list[str]:
        return [m.patient_name for m in store.find_patients(query)]

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
    match = store.find_patients("kim ji-woo")[0]
    assert (match.patient_id, match.consults, match.last_date) == ("P-0042", 1, TODAY)


def test_exact_names_come_first(store: TinyDBStore, make_record: MakeRecord) -> None:
    keep(store, make_record("Ann Leeson"))
    keep(store, make_record("Ann Lee"))
    assert [m.patient_name for m in store.find_patients("ann lee")] == ["Ann Lee", "Ann Leeson"]
    assert [s.patient_name for s in store.history("Ann Lee")] == ["Ann Lee"]


def test_two_patients_with_one_name_are_told_apart_by_id(store: TinyDBStore, make_record: MakeRecord) -> None:
    keep(store, make_record("Choi Yuna", patient_id="A-1", day=date(2026, 1, 5)))
    keep(store, make_record("Choi Yuna", patient_id="B-2", day=date(2026, 2, 5)))
    matches = store.find_patients("choi yuna")
    assert sorted(m.patient_id or "" for m in matches) == ["A-1", "B-2"]
    assert [s.date for s in store.history("B-2")] == [date(2026, 2, 5)]


def test_a_new_name_for_a_known_id_replaces_the_old_one_in_search(store: TinyDBStore, make_record: MakeRecord) -> None:
    keep(store, make_record("Jung Hana", patient_id="P-7", day=date(2026, 1, 5)))
    keep(store, make_record("Song Hana", patient_id="P-7", day=date(2026, 6, 5)))
    assert store.find_patients("jung") == []
    assert [m.patient_name for m in store.find_patients("song")] == ["Song Hana"]
    assert [m.patient_name for m in store.find_patients("hana")] == ["Song Hana"]
    assert len(store.history("P-7")) == 2


def test_saving_a_record_again_under_another_patient_moves_it(store: TinyDBStore, make_record: MakeRecord) -> None:
    wrong = make_record("Yoon Bora")
    keep(store, wrong)
    other = make_record("Yoon Dara")
    right = rules.revise(wrong, other.plan, other.answers, "name corrected", other.finished_at, "Dr Test")
    keep(store, right)
    assert store.history("Yoon Bora") == []
    assert store.find_patients("bora") == []
    assert [s.consult_id for s in store.history("Yoon Dara")] == [wrong.consult_id]
    assert store.get(wrong.consult_id) == right


def test_list_recent_gives_the_latest_saved_first(store: TinyDBStore, make_record: MakeRecord) -> None:
    saved = [keep(store, make_record(f"Patient {n}", day=date(2026, 1 + n, 1))).consult_id for n in range(5)]
    assert [s.consult_id for s in store.recent(3).rows] == saved[::-1][:3]
    assert len(store.recent().rows) == 5


# -- returning patients -----------------------------------------------------------------------------


def test_last_record_gives_the_prior_treatment_date_and_zones(
    store: TinyDBStore, make_record: MakeRecord, resources: Resources
) -> None:
    keep(store, make_record("Han Sol", patient_id="H-1", day=date(2026, 5, 4), zones=("glabella",)))
    treated = make_record("Han Sol", patient_id="H-1", day=date(2026, 8, 20), zones=("forehead", "crows_feet"))
    keep(store, treated)
    last = store.last_for_patient("id:h-1")
    assert last == treated
    prior = prior_treatment(store, "id:h-1")
    assert prior is not None
    assert (prior.date, prior.zones) == (date(2026, 8, 20), ("forehead", "crows_feet"))

    # the pre-filled answers are ones the consult accepts
    flow = Flow(resources.script, TODAY)
    result = flow.read_file(base_answers(patient_id="H-1", **prior.answers()))
    assert result.ok, result.problems
    assert result.answers["prior_treatment_date"] == date(2026, 8, 20)
    assert result.answers["prior_zones"] == ("forehead", "crows_feet")


def test_a_consult_that_treated_nothing_is_last_but_not_the_prior_treatment(
    store: TinyDBStore, make_record: MakeRecord
) -> None:
    keep(store, make_record("Oh Mina", day=date(2026, 6, 1), zones=("masseter",)))
    stopped = make_record("Oh Mina", day=date(2026, 10, 1), pregnant_or_breastfeeding=True)
    assert stopped.plan.status == "contraindicated" and stopped.treated_zones == ()
    keep(store, stopped)
    history = patient_history(store, patient_key("Oh Mina"))
    assert history is not None
    assert history.last == stopped
    assert [s.status for s in history.consults] == ["contraindicated", "planned"]
    assert history.prior is not None
    assert (history.prior.date, history.prior.zones) == (date(2026, 6, 1), ("masseter",))
    assert (history.patient.consults, history.patient.last_date) == (2, date(2026, 10, 1))
    assert patient_history(store, patient_key("Nobody")) is None
    assert store.last_for_patient(patient_key("Nobody")) is None


# -- drafts -----------------------------------------------------------------------------------------


def test_drafts_are_kept_updated_listed_and_deleted(store: TinyDBStore) -> None:
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
    assert store.save_draft(draft) == draft.draft_id
    store.save_draft(other)
    assert store.get_draft(draft.draft_id) == draft
    assert draft.answers == {"patient_name": "Seo Jin", "zones": ["glabella"], "prior_treatment_date": "2026-08-01"}
    assert draft.patient_name == "Seo Jin"

    later = draft.model_copy(update={"answers": {**draft.answers, "age": 41}, "current_question": "skin_thickness"})
    later = later.model_copy(update={"updated_at": start + timedelta(minutes=3)})
    store.save_draft(later)
    assert [d.draft_id for d in store.drafts()] == [draft.draft_id, other.draft_id]
    assert store.drafts()[0] == later

    assert store.delete_draft(draft.draft_id) is True
    assert store.delete_draft(draft.draft_id) is False
    assert store.get_draft(draft.draft_id) is None
    assert [d.draft_id for d in store.drafts()] == [other.draft_id]
    assert store.delete_draft("not-an-id") is False


# -- files ------------------------------------------------------------------------------------------


def test_files_are_owner_only(tmp_path: Path, make_record: MakeRecord) -> None:
    old = os.umask(0o022)
    try:
        store = TinyDBStore(tmp_path / "data")
        keep(store, make_record("Kang Mi", patient_id="K-1"))
        store.save_draft(
            Draft(
                draft_id=new_record_id(datetime.now(UTC)),
                answers={},
                started_at=datetime.now(UTC),
                updated_at=datetime.now(UTC),
                script_id="s",
                script_version="1",
            )
        )
    finally:
        os.umask(old)
    entries = list((tmp_path / "data").rglob("*"))
    assert {p.parent.name for p in entries if p.suffix == ".json"} >= {"2026-11", "drafts"}
    for path in [tmp_path / "data", *entries]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), (path, oct(mode))


def test_the_layout_keeps_every_file_small(store: TinyDBStore, make_record: MakeRecord) -> None:
    record = make_record("Kim Ji-woo", patient_id="P-0042")
    keep(store, record)
    root = store.data_dir
    assert store.layout.consult_path(record.consult_id).is_file()
    assert store.layout.patient_path("id:p-0042").is_file()
    assert {p.parent.relative_to(root).as_posix() for p in data_files(root / "names")} == {
        "names/k/i",
        "names/j/i",
        "names/w/o",
    }
    assert len({p.name for p in data_files(root / "names")}) == 1  # one bucket per patient
    assert name_tokens("  KIM   Ji-woo ") == ["kim", "ji", "woo"]
    assert store.layout.name_dir("김지우") == root / "names" / "uae40" / "uc9c0"
    assert store.layout.name_dir("x") == root / "names" / "x" / "_"


def test_bulk_load_writes_what_save_would(tmp_path: Path, make_record: MakeRecord) -> None:
    records = [make_record("Baek Ara", patient_id="B-1", day=date(2026, m, 3)) for m in (1, 5, 3)]
    records.append(make_record("Nam Gyu"))
    saved = TinyDBStore(tmp_path / "saved")
    for record in records:
        keep(saved, record)
    loaded = TinyDBStore(tmp_path / "loaded", durable=False)
    assert loaded.bulk_load(records) == 4
    for query in ("B-1", "baek", "nam gyu", "a"):
        assert loaded.history(query) == saved.history(query)
        assert loaded.find_patients(query) == saved.find_patients(query)
    assert loaded.get(records[0].consult_id) == records[0]
    with pytest.raises(RecordsError, match="empty data directory"):
        loaded.bulk_load(records)


# -- damaged files ----------------------------------------------------------------------------------

DAMAGE = {
    "not JSON": b'{"patient": {"1": {"format": 1, "patient_k',
    "empty": b"",
    "not tables": b"[1, 2, 3]",
    "not documents": b'{"consults": {"1": "oops"}}',
    "wrong fields": b'{"patient": {"1": {"format": 1, "patient_key": 7}}, "consults": {}}',
    "unknown format": b'{"patient": {"1": {"format": 99}}}',
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_a_damaged_patient_index_is_named_and_never_written_over(
    store: TinyDBStore, make_record: MakeRecord, damage: bytes
) -> None:
    first = make_record("Ryu Hee", patient_id="R-9")
    keep(store, first)
    path = store.layout.patient_path("id:r-9")
    path.write_bytes(damage)
    with pytest.raises(DamagedDataFile) as raised:
        store.history("R-9")
    assert str(path) in str(raised.value) and "left untouched" in str(raised.value)
    assert raised.value.path == path

    second = make_record("Ryu Hee", patient_id="R-9")
    with pytest.raises(DamagedDataFile, match="left untouched"):
        keep(store, second)
    assert path.read_bytes() == damage
    assert not store.layout.consult_path(second.consult_id).exists()  # stopped before writing anything
    assert store.get(first.consult_id) == first


def test_a_damaged_record_file_is_named_and_never_written_over(store: TinyDBStore, make_record: MakeRecord) -> None:
    record = make_record("Moon Ara")
    keep(store, record)
    path = store.layout.consult_path(record.consult_id)
    damaged = path.read_bytes()[: len(path.read_bytes()) // 2]
    path.write_bytes(damaged)
    with pytest.raises(DamagedDataFile, match=str(path)):
        store.get(record.consult_id)
    with pytest.raises(DamagedDataFile):
        keep(store, record)
    listing = store.recent()
    assert listing.rows == [] and [d.path for d in listing.damaged] == [path]
    assert path.read_bytes() == damaged
    assert store.history("Moon Ara")  # the index is still readable


def test_a_damaged_name_index_stops_a_new_patient_before_anything_is_written(
    store: TinyDBStore, make_record: MakeRecord
) -> None:
    keep(store, make_record("Kim Ara"))
    shard = store.layout.name_path("kim", patient_key("Kim Bora"))
    shard.write_bytes(b"{not json")
    with pytest.raises(DamagedDataFile, match=str(shard)):
        store.find_patients("kim")
    newcomer = make_record("Kim Bora")
    with pytest.raises(DamagedDataFile):
        keep(store, newcomer)
    assert shard.read_bytes() == b"{not json"
    assert not store.layout.consult_path(newcomer.consult_id).exists()
    assert store.history(patient_key("Kim Bora")) == []


def test_a_damaged_draft_is_named(store: TinyDBStore) -> None:
    path = store.layout.draft_path("20261124-101502-k3v9q2xa")
    atomic.ensure_dir(path.parent)
    path.write_bytes(b'{"draft": {"1": {"format": 1, "draft": {"draft_id": 3}}}}')
    with pytest.raises(DamagedDataFile, match="not a valid draft"):
        store.drafts()


def test_a_write_that_fails_midway_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_record: MakeRecord
) -> None:
    store = TinyDBStore(tmp_path)
    first = make_record("Ahn Yu")
    keep(store, first)
    index = store.layout.patient_path(first.patient_key)
    before = index.read_bytes()

    replace = os.replace

    def power_cut_at_the_index(src: str, dst: str) -> None:
        if Path(dst) == index:
            raise OSError("power cut")
        replace(src, dst)

    monkeypatch.setattr(atomic.os, "replace", power_cut_at_the_index)
    second = make_record("Ahn Yu")
    with pytest.raises(OSError, match="power cut"):
        keep(store, second)
    monkeypatch.undo()
    assert index.read_bytes() == before
    assert not [p for p in tmp_path.rglob("*.tmp")]
    # the record file was written first and taken back: "not saved" is the truth
    assert store.get(second.consult_id) is None
    assert [s.consult_id for s in store.history("Ahn Yu")] == [first.consult_id]
    assert [e.consult_id for e in store.audit_entries()] == [first.consult_id]


def test_a_new_patient_whose_first_save_was_cut_short_is_found_after_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_record: MakeRecord
) -> None:
    store = TinyDBStore(tmp_path)
    first = make_record("Bae Suzy")
    index = store.layout.patient_path(first.patient_key)
    replace = os.replace
    written: list[Path] = []

    def power_cut_at_the_second_name_file(src: str, dst: str) -> None:
        if (tmp_path / "names") in Path(dst).parents:
            if written:
                raise OSError("power cut")
            written.append(Path(dst))
        replace(src, dst)

    monkeypatch.setattr(atomic.os, "replace", power_cut_at_the_second_name_file)
    with pytest.raises(PartialSave, match="power cut") as raised:  # the undo of the first name file failed too
        keep(store, first)
    monkeypatch.undo()
    assert any("names" in left for left in raised.value.left)
    assert store.get(first.consult_id) is None
    assert len(written) == 1 and not index.exists()  # the patient index comes after the name index
    assert store.find_patients("bae") == store.find_patients("suzy") == []  # entries without an index are skipped

    second = make_record("Bae Suzy")
    keep(store, second)
    [match] = store.find_patients("suzy")
    assert (match.patient_name, match.consults) == ("Bae Suzy", 1)
    assert [s.consult_id for s in store.history("bae suzy")] == [second.consult_id]
