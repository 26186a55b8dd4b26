"""One patient is one patient: the register identifies by two identifiers, never by a name alone.

Each test here was a reproduction on the main before the register (issue 19, section 1): namesakes
sharing a 90-day count, a clinic number typed wrongly attaching another person's history, numbers
and names folded together, and consults without the number not counted.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from assistant.core.lifecycle.register import (
    Identifiers,
    Patient,
    RegisterRefused,
    identify,
    merge,
    new_patient_key,
    split,
)
from assistant.records import ConsultRepository
from assistant.records.errors import RegisterConflict
from tests.helpers import DIRECTOR, INJECTOR, PINS, TODAY, Cli, base_answers
from tests.staff_register import DIRECTOR_AND_INJECTOR, StaffRegisters

NOW = dt.datetime(2026, 11, 24, 10, tzinfo=dt.UTC)


def patient(name: str, born: str | None, number: str | None = None, *, key: str | None = None) -> Patient:
    return Patient(
        patient_key=key or new_patient_key(NOW),
        name=name,
        date_of_birth=dt.date.fromisoformat(born) if born else None,
        clinic_number=number,
        registered_at=NOW,
    )


def ids(name: str, born: str | None, number: str | None = None) -> Identifiers:
    return Identifiers(name=name, date_of_birth=dt.date.fromisoformat(born) if born else None, clinic_number=number)


# -- the rules (pure) ---------------------------------------------------------------------------------


def test_name_and_date_of_birth_match_exactly_when_neither_has_a_number() -> None:
    minji = patient("Kim Minji", "1990-03-02")
    other = patient("Kim Minji", "1985-07-19")
    assert identify(ids("Kim Minji", "1990-03-02"), [minji, other]).matched == minji
    assert identify(ids("Kim Minji", "1985-07-19"), [minji, other]).matched == other
    assert identify(ids("Kim Minji", "2001-01-01"), [minji, other]).kind == "new"


def test_folded_names_and_numbers_only_suggest() -> None:
    minji = patient("Kim Minji", "1990-03-02", "012")
    for typed in (ids("kim  MINJI", "1990-03-02", "012"), ids("Ｋｉｍ Ｍｉｎｊｉ", "1990-03-02", "012")):
        identity = identify(typed, [minji])
        # Her number and date of birth, her name in other capitals or letters: she is suggested, to be
        # confirmed, as README promises. It was a conflict ("the number belongs to Kim Minji"), which
        # stopped her consult until her own number was changed (a tryout: "ji-woo kim", C1001).
        assert identity.kind == "suggested", "the number is hers, the name is written otherwise: not attached"
        assert identity.suggestions[0].why == "the same clinic number and date of birth, the name written differently"
    other_born = identify(ids("kim minji", "1985-07-19", "012"), [minji])
    assert other_born.kind == "conflict", "her number with another date of birth is still another person"
    identity = identify(ids("Kim Minji", "1990-03-02", "０１２"), [minji])
    assert identity.matched is None and [s.patient for s in identity.suggestions] == [minji]
    nameless = patient("Lee Sora", "1979-12-01")
    identity = identify(ids("LEE SORA", "1979-12-01"), [nameless])
    assert identity.matched is None and identity.suggestions[0].why.startswith("the same date of birth")


def test_a_number_held_by_another_person_is_a_conflict_naming_her() -> None:
    holder = patient("Kim Minji", "1990-03-02", "P-1")
    identity = identify(ids("Park Jiyeon", "1993-08-08", "P-1"), [holder])
    assert identity.kind == "conflict" and identity.conflict == holder


def test_a_number_left_out_today_suggests_the_patient_who_has_one() -> None:
    holder = patient("Kim Minji", "1990-03-02", "P-1")
    identity = identify(ids("Kim Minji", "1990-03-02"), [holder])
    assert identity.kind == "suggested" and "with clinic number P-1" in identity.suggestions[0].why


def test_merge_and_split_are_undone_exactly() -> None:
    a, b = patient("Kim Minji", "1990-03-02"), patient("Kim Min-ji", "1990-03-02")
    kept, absorbed = merge(a, b)
    assert kept.joined == (b.patient_key,) and absorbed.merged_into == a.patient_key
    assert identify(ids("Kim Min-ji", "1990-03-02"), [kept, absorbed]).matched is None, "a merged one is not matched"
    with pytest.raises(RegisterRefused):
        merge(kept, absorbed)
    kept_again, free = split(kept, absorbed)
    assert kept_again.joined == () and free.merged_into is None
    assert (kept_again.revision, free.revision) == (3, 3)


# -- the stores -----------------------------------------------------------------------------------------


def test_the_register_keeps_revisions_and_one_number_per_patient(repository: ConsultRepository) -> None:
    minji = patient("Kim Minji", "1990-03-02", "P-1")
    repository.save_patients([minji], None)
    assert repository.registered(minji.patient_key) == minji
    with pytest.raises(RegisterConflict, match="belongs to Kim Minji"):
        repository.save_patients([patient("Park Jiyeon", "1993-08-08", "P-1")], None)
    with pytest.raises(RegisterConflict, match="registered already"):
        repository.save_patients([patient("Lee Sora", "1979-12-01"), patient("Lee Sora", "1979-12-01")], None)
    twin = patient("Lee Sora", "1979-12-01")
    repository.save_patients([twin], None)
    with pytest.raises(RegisterConflict, match="registered already"):
        repository.save_patients([patient("Lee Sora", "1979-12-01")], None)
    with pytest.raises(RegisterConflict, match="changed meanwhile"):
        repository.save_patients([minji], None)
    moved = minji.model_copy(update={"clinic_number": "P-2", "revision": 2})
    repository.save_patients([moved], None)
    assert [p.patient_key for p in repository.register_candidates("Nobody", "P-2")] == [minji.patient_key]
    assert repository.register_candidates("Nobody", "P-1") == []
    assert {p.patient_key for p in repository.register_candidates("KIM minji", None)} == {minji.patient_key}


# -- the command line, on both stores ---------------------------------------------------------------


@pytest.fixture
def clinic(cli: Cli, tmp_path: Path, staff_registers: StaffRegisters) -> Cli:
    staff_registers.copy_into(cli, DIRECTOR_AND_INJECTOR)
    (tmp_path / "clinic.toml").write_text('name = "Test"\nsession_max_units = 60\n', encoding="utf-8")
    return cli


def answers_file(tmp_path: Path, stem: str, *, day: dt.date = TODAY, **answers: object) -> str:
    path = tmp_path / f"{stem}.yaml"
    data = {"today": day.isoformat(), **base_answers(**answers)}
    path.write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")  # YAML reads JSON
    return str(path)


def run(clinic: Cli, tmp_path: Path, *extra: str, stem: str = "a", **answers: object) -> tuple[int, dict, str]:
    path = answers_file(tmp_path, stem, **answers)
    code, out, err = clinic(
        "run", path, "--staff", INJECTOR, "--clinic", str(tmp_path / "clinic.toml"), "--format", "json", *extra
    )
    return code, (json.loads(out) if out.strip() else {}), err


def give(clinic: Cli, consult_id: str) -> None:
    code, _, err = clinic("give", consult_id, "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))
    assert code == 0, err


MASSETER = {"zones": ["masseter"]}
"""50 U: a second consult of the same patient the same day (GLABELLA, 20 U) passes the clinic's 60 U."""
GLABELLA = {"zones": ["glabella"]}


def test_namesakes_born_on_other_days_never_share_a_count(clinic: Cli, tmp_path: Path) -> None:
    code, first, err = run(clinic, tmp_path, patient_name="Kim Minji", date_of_birth="1990-03-02", **MASSETER)
    assert code == 0, err
    give(clinic, first["consult_id"])
    code, second, err = run(
        clinic, tmp_path, stem="b", patient_name="Kim Minji", date_of_birth="1985-07-19", **MASSETER
    )
    assert code == 0, err
    assert second["status"] == "planned" and second["earlier_units"] == 0
    code, again, err = run(clinic, tmp_path, stem="c", patient_name="Kim Minji", date_of_birth="1990-03-02", **GLABELLA)
    assert code == 4 and again["earlier_units"] == first["total_units"], "her own doses do count"


def test_a_patient_with_her_own_number_never_gets_a_namesakes_doses(clinic: Cli, tmp_path: Path) -> None:
    code, first, err = run(clinic, tmp_path, patient_name="Kim Minji", date_of_birth="1990-03-02", **MASSETER)
    give(clinic, first["consult_id"])
    code, second, err = run(
        clinic, tmp_path, "--new-patient", stem="b", patient_name="Kim Minji", date_of_birth="1990-03-02",
        patient_id="P-7", **MASSETER,
    )  # fmt: skip
    assert code == 0, err
    assert second["earlier_units"] == 0


def test_a_number_belonging_to_another_patient_is_refused_naming_her(clinic: Cli, tmp_path: Path) -> None:
    code, _, err = run(clinic, tmp_path, patient_name="Kim Minji", date_of_birth="1990-03-02", patient_id="P-1")
    assert code == 0, err
    code, _, err = run(
        clinic, tmp_path, stem="b", patient_name="Park Jiyeon", date_of_birth="1993-08-08", patient_id="P-1"
    )
    assert code == 2
    assert "clinic number P-1 belongs to Kim Minji (born 1990-03-02)" in err
    assert len(clinic.repository().history("Park Jiyeon")) == 0, "nothing was kept"


def test_a_number_written_in_full_width_digits_is_not_the_same_number(clinic: Cli, tmp_path: Path) -> None:
    run(clinic, tmp_path, patient_name="Kim Minji", date_of_birth="1990-03-02", patient_id="012")
    code, _, err = run(clinic, tmp_path, stem="b", patient_name="Kim Minji", date_of_birth="1990-03-02",
                       patient_id="０１２")  # fmt: skip
    assert code == 2 and "the same clinic number written differently" in err and "--patient KEY" in err


def test_a_consult_without_the_number_counts_once_she_is_confirmed(clinic: Cli, tmp_path: Path) -> None:
    code, first, err = run(
        clinic, tmp_path, patient_name="Kim Minji", date_of_birth="1990-03-02", patient_id="P-1", **MASSETER
    )
    give(clinic, first["consult_id"])
    code, _, err = run(clinic, tmp_path, stem="b", patient_name="Kim Minji", date_of_birth="1990-03-02", **GLABELLA)
    assert code == 2 and "with clinic number P-1" in err, "never counted as a new patient silently"
    key = clinic.repository().get(first["consult_id"]).patient_key
    code, second, err = run(
        clinic, tmp_path, "--patient", key, stem="b", patient_name="Kim Minji", date_of_birth="1990-03-02", **GLABELLA
    )
    assert code == 4 and second["earlier_units"] == first["total_units"]


def test_an_answer_file_with_the_age_alone_says_earlier_doses_were_not_counted(clinic: Cli, tmp_path: Path) -> None:
    code, plan, err = run(clinic, tmp_path, patient_name="Kim Minji", age=35, age_only=True)
    assert code == 0, err
    assert "no confirmed identity" in err
    [warning] = [w for w in plan["warnings"] if w["code"] == "earlier_doses_unknown"]
    assert "could not be counted" in warning["message"]


def test_merge_counts_both_records_from_then_on_and_split_undoes_it(clinic: Cli, tmp_path: Path) -> None:
    code, first, err = run(clinic, tmp_path, patient_name="Kim Minji", date_of_birth="1990-03-02", **MASSETER)
    give(clinic, first["consult_id"])
    code, second, err = run(
        clinic, tmp_path, "--new-patient", stem="b", patient_name="Kim Min-ji", date_of_birth="1990-03-02"
    )
    assert code == 0, err
    repository = clinic.repository()
    kept = repository.get(first["consult_id"]).patient_key
    other = repository.get(second["consult_id"]).patient_key
    assert kept != other
    code, _, err = clinic(
        "patient", "merge", kept, other, "--by", INJECTOR, "--reason", "same person", "--pin-stdin",
        pins=(PINS[INJECTOR],),
    )  # fmt: skip
    assert code == 5, "only a medical director merges"
    code, _, err = clinic(
        "patient", "merge", kept, other, "--by", DIRECTOR, "--reason", "one person, name spelt two ways",
        "--pin-stdin", pins=(PINS[DIRECTOR],),
    )  # fmt: skip
    assert code == 0, err
    shown = clinic.json("patient", "show", kept)
    assert {c["consult_id"] for c in shown["consults"]} == {first["consult_id"], second["consult_id"]}
    code, third, err = run(clinic, tmp_path, stem="c", patient_name="Kim Minji", date_of_birth="1990-03-02", **GLABELLA)
    assert third["earlier_units"] == first["total_units"]
    actions = [e.action for e in clinic.repository().audit_entries()]
    assert "patients merged" in actions and actions.count("patient registered") == 2
    code, _, err = clinic(
        "patient", "split", kept, other, "--by", DIRECTOR, "--reason", "two sisters after all", "--pin-stdin",
        pins=(PINS[DIRECTOR],),
    )  # fmt: skip
    assert code == 0, err
    assert {c["consult_id"] for c in clinic.json("patient", "show", kept)["consults"]} != {
        first["consult_id"],
        second["consult_id"],
    }
    assert "patients split" in [e.action for e in clinic.repository().audit_entries()]
    code, _, err = clinic("audit", "verify")
    assert code == 0, "the register after a merge and a split is the one the trail states: " + err


def test_two_workstations_registering_one_new_patient_at_once_make_one_patient(repository: ConsultRepository) -> None:
    """Both look her up before either registers her (a barrier), then both attach: one entry."""
    import threading

    from assistant.services import patients

    identifiers = ids("Choi Yuna", "1996-04-30", "P-9")
    both_looked = threading.Barrier(2, timeout=10)
    keys: list[str] = []

    def workstation() -> None:
        identity = patients.identify(repository, identifiers)
        both_looked.wait()
        keys.append(patients.attach(repository, identity, NOW))

    threads = [threading.Thread(target=workstation) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert len(keys) == 2 and keys[0] == keys[1], "the second attaches to the patient the first registered"
    assert [p.patient_key for p in repository.register_candidates("Choi Yuna", "P-9")] == [keys[0]]
    assert [e.action for e in repository.audit_entries()].count("patient registered") == 1


def test_a_suggestion_under_another_clinic_number_says_both_numbers() -> None:
    """A tryout typed C2002 for Jane Doe, registered as C1001: suggested as "the same name and date of
    birth", "Yes, this is her" kept the consult under C2002 without the difference ever shown."""
    jane = patient("Jane Doe", "1990-03-02", "C1001")
    identity = identify(ids("Jane Doe", "1990-03-02", "C2002"), [jane])
    assert identity.kind == "suggested"
    assert identity.suggestions[0].why == "the same name and date of birth, but clinic number C1001 (typed C2002)"
    other_spelling = identify(ids("JANE  doe", "1990-03-02", "C2002"), [jane])
    assert other_spelling.suggestions[0].why.endswith(", but clinic number C1001 (typed C2002)")
