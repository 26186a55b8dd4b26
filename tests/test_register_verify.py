"""The patient register is checked by ``audit verify`` (issue 20): every register change states its
entries in its signed act, so a patient's name, date of birth or number edited in the data folder or
in the server's table, a patient added there or one removed, is named.
"""

from __future__ import annotations

import json

import pytest

from assistant.core.lifecycle.audit import AuditEntry, chain
from assistant.core.lifecycle.register import Patient
from assistant.core.lifecycle.register_trail import compare_register, register_from_trail, stated
from assistant.records import TinyDBStore
from assistant.records.tinydb.atomic import dump
from tests.helpers import Cli
from tests.test_cli_lifecycle import run_consult
from tests.test_signed_acts import clinic  # noqa: F401  (the fixture: three accounts)


def registered(clinic: Cli) -> Patient:  # noqa: F811
    [patient] = clinic.repository().registered_patients()
    return patient


def edit_patient(clinic: Cli, key: str, **changes: object) -> None:  # noqa: F811
    """What somebody with the data folder or the workstations' database role can do."""
    if clinic.kind == "tinydb":
        path = TinyDBStore(clinic.data).register.files.patient_path(key)
        tables = json.loads(path.read_text())
        tables["patient"]["1"].update(changes)
        path.write_bytes(dump(tables))
        return
    patch = json.dumps(changes).replace("'", "''")
    clinic.server.psql(  # type: ignore[attr-defined]
        f"UPDATE register SET patient = patient || '{patch}'::jsonb WHERE patient_key = '{key}'",
        database=clinic.database_name,
    )


def test_an_untouched_register_passes_and_every_register_act_states_its_patients(clinic: Cli) -> None:  # noqa: F811
    run_consult(clinic)
    acts = [e for e in clinic.json("audit") if e["action"] == "patient registered"]
    assert acts and all(e["data"]["patients"][0]["name"] for e in acts) and all(e["signature"] for e in acts)
    code, _, err = clinic("audit", "verify")
    assert code == 0, err


def test_a_patients_name_changed_in_the_register_is_named(clinic: Cli) -> None:  # noqa: F811
    run_consult(clinic)
    patient = registered(clinic)
    edit_patient(clinic, patient.patient_key, name="Someone Else")
    code, _, err = clinic("audit", "verify")
    assert code == 1
    assert f"the patient register's entry {patient.patient_key} says Someone Else" in err
    assert "(name differ)" in err and "changed outside the program" in err


def test_a_date_of_birth_changed_in_the_register_is_named(clinic: Cli) -> None:  # noqa: F811
    run_consult(clinic)
    patient = registered(clinic)
    edit_patient(clinic, patient.patient_key, date_of_birth="1950-01-01")
    code, _, err = clinic("audit", "verify")
    assert code == 1 and "date_of_birth differ" in err


def test_a_patient_added_or_removed_outside_the_program_is_named() -> None:
    """The rule itself, pure: an entry nobody registered, and one the trail has but the store lost."""
    import datetime as dt

    at = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)
    kim = Patient(patient_key="pt:1", name="Kim Minji", date_of_birth=dt.date(1990, 3, 2), registered_at=at)
    lee = Patient(patient_key="pt:2", name="Lee Sora", date_of_birth=dt.date(1979, 12, 1), registered_at=at)
    from assistant.core.lifecycle.audit import AuditEvent

    entry: AuditEntry = chain(None, AuditEvent(at=at, action="patient registered", data=stated([kim])))
    kept, problems = register_from_trail([entry])
    assert problems == [] and kept == {"pt:1": kim}
    assert compare_register(kept, [kim], complete=True) == []
    [added] = compare_register(kept, [kim, lee], complete=True)
    assert "pt:2 (Lee Sora (born 1979-12-01)), whom no audit entry registered" in added
    assert compare_register(kept, [kim, lee], complete=False) == []  # older acts: cannot tell
    [missing] = compare_register(kept, [], complete=True)
    assert "pt:1 (Kim Minji (born 1990-03-02)) is in the audit trail but missing" in missing


@pytest.mark.parametrize("cli", ["tinydb"], indirect=True)
def test_a_register_file_removed_is_named(clinic: Cli) -> None:  # noqa: F811
    run_consult(clinic)
    patient = registered(clinic)
    TinyDBStore(clinic.data).register.files.patient_path(patient.patient_key).unlink()
    code, _, err = clinic("audit", "verify")
    assert code == 1 and "missing from the patient register" in err


def test_a_changed_grant_is_named_by_verify(clinic: Cli) -> None:  # noqa: F811
    """The grant (an account's role signed by whoever added it) edited: the account may not act, and
    verify says so before anybody finds out at the PIN."""
    from tests.helpers import JUNIOR
    from tests.test_signed_acts import edit_account

    [junior] = [a for a in clinic.repository().staff() if a.name == JUNIOR]
    assert junior.grant is not None
    other = "A" if junior.grant[10] != "A" else "B"
    edit_account(clinic, JUNIOR, grant=junior.grant[:10] + other + junior.grant[11:])
    code, _, err = clinic("audit", "verify")
    assert code == 1 and f"the grant of the staff account {JUNIOR}" in err
