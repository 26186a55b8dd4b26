"""The consult record: what is kept, how patients are found again, drafts, and damaged files.

Every test works on real TinyDB files in a temporary data directory, with plans from the real planner.
"""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from assistant import locations
from assistant.core.lifecycle.ids import is_record_id, name_tokens
from assistant.records import (
    ConsultRecord,
    ConsultRepository,
    DamagedDataFile,
    Draft,
    RecordsError,
    TinyDBStore,
    new_record_id,
    open_repository,
    patient_key,
)
from assistant.records.tinydb import atomic
from assistant.records.tinydb.rollback import PartialSave
from tests.conftest import MakeRecord
from tests.helpers import keep


@pytest.fixture
def store(tmp_path: Path) -> TinyDBStore:
    return TinyDBStore(tmp_path / "data")


def data_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.json") if not p.name.startswith("."))


# -- what is kept -----------------------------------------------------------------------------------


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


# -- returning patients -----------------------------------------------------------------------------


# -- drafts -----------------------------------------------------------------------------------------


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


# -- never overwritten, never half-told (hostile and broken input) ----------------------------------------


def test_an_index_with_one_invalid_entry_is_named_and_never_rewritten(
    store: TinyDBStore, make_record: MakeRecord
) -> None:
    first = keep(store, make_record("Ryu Hee", patient_id="R-9"))
    index = store.layout.patient_path(first.patient_key)
    tables = json.loads(index.read_text(encoding="utf-8"))
    tables["consults"]["2"] = {"consult_id": "nonsense"}  # one bad line among good ones
    index.write_text(json.dumps(tables), encoding="utf-8")
    damaged = index.read_bytes()
    with pytest.raises(DamagedDataFile, match="left untouched"):
        keep(store, make_record("Ryu Hee", patient_id="R-9"))
    assert index.read_bytes() == damaged

    keep(store, make_record("Kim Ara"))
    names = store.layout.name_path("kim", patient_key("Kim Bora"))
    tables = json.loads(names.read_text(encoding="utf-8")) if names.exists() else {"patients": {}}
    tables["patients"]["9"] = {"patient_key": 7}
    atomic.ensure_dir(names.parent)
    names.write_text(json.dumps(tables), encoding="utf-8")
    damaged = names.read_bytes()
    with pytest.raises(DamagedDataFile):
        keep(store, make_record("Kim Bora"))  # a new patient whose name file it is
    assert names.read_bytes() == damaged


def test_a_read_only_patient_folder_leaves_nothing_half_saved(
    tmp_path: Path, make_record: MakeRecord, capsys: pytest.CaptureFixture[str]
) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")  # pragma: no cover - CI runs as root: see below
    store = TinyDBStore(tmp_path)
    first = keep(store, make_record("Ahn Yu"))
    folder = store.layout.patient_path(first.patient_key).parent
    folder.chmod(0o500)
    try:
        with pytest.raises(RecordsError):
            keep(store, make_record("Ahn Yu"))
    finally:
        folder.chmod(0o700)
    assert [s.consult_id for s in store.history("Ahn Yu")] == [first.consult_id]
    assert len(list(store.consult_paths())) == 1


def test_a_full_disk_during_a_save_takes_the_record_file_back_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_record: MakeRecord, capsys: pytest.CaptureFixture[str]
) -> None:
    """What a full disk or a read-only folder does to the write of the patient's index (also as root)."""
    from assistant.cli import main
    from assistant.locations import EXAMPLES_DIR

    data = tmp_path / "data"
    replace = os.replace

    def disk_full_at_the_patient_index(src: str, dst: str) -> None:
        if "/patients/" in str(dst) and "/register/" not in str(dst):
            raise OSError(28, "No space left on device", dst)
        replace(src, dst)

    monkeypatch.setattr(atomic.os, "replace", disk_full_at_the_patient_index)
    code = main(["run", str(EXAMPLES_DIR / "full_face.yaml"), "--data-dir", str(data)])
    err = capsys.readouterr().err
    assert code == 2 and "planned but not saved" in err and "No space left on device" in err
    monkeypatch.undo()
    store = TinyDBStore(data)
    assert list(store.consult_paths()) == [] and store.history("Mina Park") == []
    assert [e.action for e in store.audit_entries()] == ["patient registered"], "no consult entry is left"
    assert main(["run", str(EXAMPLES_DIR / "full_face.yaml"), "--data-dir", str(data)]) == 0  # a retry: one consult
    assert len(store.history("Mina Park")) == 1
    assert [e.action for e in store.audit_entries()].count("patient registered") == 1, "she is the patient kept"
