"""Finding a patient by date of birth alone (issue 22.1), on both stores: the register's by-date
look-up, the chart's search as typed and ``patient find --date-of-birth``; on TinyDB the look-up's
bucket files are a derived index, so ``audit verify`` names an edited one and ``reindex`` writes it.

Two patients born the same day and one born another: the date finds the two, a name or number
with it finds one, and a date typed otherwise (``07.03.1991``, ``1991-02-30``) is a sentence.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from assistant.core.lifecycle.index_check import mismatches
from assistant.core.lifecycle.indexes import expected_entries, kept_names
from assistant.records import ConsultRepository, TinyDBStore
from assistant.services import chart, patients
from tests.conftest import MakeRecord
from tests.helpers import INJECTOR, PINS, Cli, keep
from tests.staff_register import DIRECTOR_AND_INJECTOR, StaffRegisters

AT = datetime(2026, 11, 24, 11, 0, tzinfo=UTC)
BORN = date(1991, 3, 7)
PEOPLE = (
    ("Kim Ji-woo", "C-17", "1991-03-07"),
    ("Lee Seo-yeon", "C-18", "1991-03-07"),
    ("Kim Ji-woo", "C-19", "1985-07-09"),
)
"""Two born the same day (one sharing a name with the third, born another day)."""


def register(repository: ConsultRepository, make_record: MakeRecord) -> dict[str, str]:
    """Each of ``PEOPLE`` registered with one consult, as the program attaches a new patient: her key by number."""
    keys = {}
    for name, number, born in PEOPLE:
        record = make_record(name, patient_id=number, date_of_birth=born)
        identity = patients.identify(repository, patients.identifiers_from(record.answers))  # type: ignore[arg-type]
        keys[number] = patients.attach(repository, identity, AT, new_patient=True)
        keep(repository, record.model_copy(update={"patient_key": keys[number]}))
    return keys


def test_a_date_of_birth_finds_everyone_born_that_day_and_a_name_narrows_it(
    repository: ConsultRepository, make_record: MakeRecord
) -> None:
    keys = register(repository, make_record)
    assert [p.patient_key for p in repository.patients_born(BORN)] == sorted([keys["C-17"], keys["C-18"]])
    assert repository.patients_born(date(1991, 3, 8)) == []
    found = chart.search(repository, "1991-03-07")
    assert [(p.name, p.clinic_number, p.date_of_birth) for p in found] == [
        ("Kim Ji-woo", "C-17", BORN),
        ("Lee Seo-yeon", "C-18", BORN),
    ]
    assert all(p.checked and "born 1991-03-07" in p.describe() for p in found)
    assert [p.clinic_number for p in chart.search(repository, "kim 1991-03-07")] == ["C-17"]
    assert [p.clinic_number for p in chart.search(repository, "1991-03-07 SEO")] == ["C-18"]
    assert [p.clinic_number for p in chart.search(repository, "c-18 1991-03-07")] == ["C-18"]
    assert [p.clinic_number for p in chart.search(repository, "kim 1985-07-09")] == ["C-19"]
    assert chart.search(repository, "park 1991-03-07") == []
    assert {p.clinic_number for p in chart.search(repository, "kim ji")} == {"C-17", "C-19"}  # the name alone


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("07.03.1991", "07.03.1991: type a date of birth as YYYY-MM-DD, e.g. 1991-03-07."),
        ("kim 07/03/1991", "07/03/1991: type a date of birth as YYYY-MM-DD, e.g. 1991-03-07."),
        ("1991-02-30", "1991-02-30 is not a date: type a date of birth as YYYY-MM-DD, e.g. 1991-03-07."),
        ("1850-01-01", "1850-01-01 is outside the dates this program works with (1900-01-01 to 2199-12-31)."),
    ],
)
def test_a_date_typed_otherwise_is_a_sentence_not_a_search(
    repository: ConsultRepository, make_record: MakeRecord, typed: str, said: str
) -> None:
    register(repository, make_record)
    with pytest.raises(chart.SearchRefused) as refused:
        chart.search(repository, typed)
    assert str(refused.value) == said
    assert len(chart.search(repository, "1991-03-07")) == 2  # nothing was changed by asking


def test_the_by_date_look_up_is_a_derived_index_that_verify_reads(
    repository: ConsultRepository, make_record: MakeRecord
) -> None:
    keys = register(repository, make_record)
    actual = repository.index_entries()
    births = {(e.key, e.item) for e in actual if e.index == "register" and e.key.startswith("birth ")}
    assert births == {("birth 1991-03-07", keys["C-17"]), ("birth 1991-03-07", keys["C-18"])} | {
        ("birth 1985-07-09", keys["C-19"])
    }
    wanted = expected_entries(repository.latest_records(), repository.vials(), kept_names(actual))
    wanted |= expected_entries([], [], registered=repository.registered_patients())
    assert mismatches(wanted, actual) == []


def test_patient_find_by_date_of_birth_on_the_command_line(cli: Cli, make_record: MakeRecord) -> None:
    keys = register(cli.repository(), make_record)
    rows = cli.json("patient", "find", "--date-of-birth", "1991-03-07")
    assert [(r["patient_key"], r["date_of_birth"]) for r in rows] == sorted(  # type: ignore[union-attr]
        [(keys["C-17"], "1991-03-07"), (keys["C-18"], "1991-03-07")]
    )
    rows = cli.json("patient", "find", "Kim Ji-woo", "--date-of-birth", "1991-03-07")
    assert [r["clinic_number"] for r in rows] == ["C-17"]  # type: ignore[index, union-attr]
    code, out, err = cli("patient", "find", "--date-of-birth", "1991-03-08")
    assert (code, out, err.strip()) == (0, "", "Nobody in the register was born on 1991-03-08.")
    with pytest.raises(SystemExit) as refused:  # as every date the command line takes
        cli("patient", "find", "--date-of-birth", "07.03.1991")
    out, err = cli.capsys.readouterr()
    assert refused.value.code == 2 and out == "" and "'07.03.1991' is not a date; write it as YYYY-MM-DD" in err
    code, _, err = cli("patient", "find")
    assert code == 2 and "patient find needs a NAME, a --clinic-number or a --date-of-birth." in err


def test_patient_find_by_the_start_of_her_name_as_find_a_patient_does(cli: Cli, make_record: MakeRecord) -> None:
    """A tryout: ``patient find Kim`` and ``patient find "kim ji"`` said "No patient ...", while Find a
    patient (F5) in the UI listed Kim Ji-woo for "kim". Nobody of exactly that name: the names whose
    words start with the words typed, as F5 finds them."""
    keys = register(cli.repository(), make_record)
    for typed in ("Kim", "kim ji"):
        rows = cli.json("patient", "find", typed)
        assert sorted(r["patient_key"] for r in rows) == sorted([keys["C-17"], keys["C-19"]]), typed  # type: ignore[index]
    rows = cli.json("patient", "find", "kim ji-woo")
    assert len(rows) == 2, "the exact name, any case, as before"  # type: ignore[arg-type]
    code, out, err = cli("patient", "find", "Park")
    assert (code, out, err.strip()) == (0, "", "No patient with that name or clinic number in the register.")


def test_an_edited_birth_bucket_is_named_by_verify_and_reindex_writes_it_again(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    make_record: MakeRecord,
    staff_registers: StaffRegisters,
) -> None:
    clinic = Cli(tmp_path / "data", capsys, monkeypatch)
    staff_registers.copy_into(clinic, DIRECTOR_AND_INJECTOR)
    keys = register(clinic.repository(), make_record)
    births = TinyDBStore(clinic.data).register.files.birth_path("1991-03-07")
    tables = json.loads(births.read_text(encoding="utf-8"))
    tables["births"] = {k: d for k, d in tables["births"].items() if d["key"] != keys["C-18"]}
    births.write_text(json.dumps(tables), encoding="utf-8")  # as someone with the folder open would
    assert [p.clinic_number for p in chart.search(clinic.repository(), "1991-03-07")] == ["C-17"]
    code, _, err = clinic("audit", "verify")
    assert code == 1
    assert (
        f"the register index misses patient {keys['C-18']} under the date of birth '1991-03-07': "
        "a search by her date of birth would not find her." in err
    )
    code, out, err = clinic("reindex", "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))
    assert code == 0 and "under the date of birth '1991-03-07'" in out, err
    assert clinic("audit", "verify")[0] == 0
    assert [p.clinic_number for p in chart.search(clinic.repository(), "1991-03-07")] == ["C-17", "C-18"]


def test_a_patient_merged_into_another_is_listed_under_the_kept_one(
    repository: ConsultRepository, make_record: MakeRecord
) -> None:
    from assistant.services import staff
    from assistant.services.desk import Desk
    from tests.helpers import DIRECTOR

    keys = register(repository, make_record)
    desk = Desk(repository)
    staff.add(desk, DIRECTOR, "medical_director", PINS[DIRECTOR])
    patients.merge(desk, keys["C-17"], keys["C-18"], DIRECTOR, PINS[DIRECTOR], "one person, two entries")
    assert len(repository.patients_born(BORN)) == 2  # the store lists both entries; the search follows the merge
    assert [p.patient_key for p in chart.search(repository, "1991-03-07")] == [keys["C-17"]]
