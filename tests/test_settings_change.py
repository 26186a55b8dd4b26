"""Clinic settings once the record has staff accounts (issue 20, section 4): the dilution changes
every mL per point, so only a medical director changes them, with their PIN, as a signed act
("settings changed", each setting with its old and new value). ``setup`` on both stores: nobody,
an injector or a wrong PIN is refused (exit 5) and nothing is written."""

from __future__ import annotations

import tomllib

import pytest

from assistant import locations
from assistant.core.lifecycle.settings_change import change_words, settings_changes
from assistant.core.lifecycle.signing import PERSONAL_ACTS
from assistant.records import open_repository
from assistant.settings import ClinicSettings
from tests.helpers import DIRECTOR, INJECTOR, PINS, Cli
from tests.staff_register import DIRECTOR_AND_INJECTOR, StaffRegisters

WRONG = "999999"


@pytest.fixture
def clinic(cli: Cli, staff_registers: StaffRegisters) -> Cli:
    """A record with a medical director and an injector."""
    return staff_registers.copy_into(cli, DIRECTOR_AND_INJECTOR)


def test_the_rule_names_each_setting_changed_with_its_old_and_new_value() -> None:
    old, new = ClinicSettings(saline_ml=2.5), ClinicSettings(saline_ml=5, name="Seoul Skin")
    changes = settings_changes(old, new)
    assert changes == {"name": {"old": "Our clinic", "new": "Seoul Skin"}, "saline_ml": {"old": 2.5, "new": 5.0}}
    assert change_words(changes) == "name 'Our clinic' -> 'Seoul Skin'; saline_ml 2.5 -> 5.0"
    assert settings_changes(old, old) == {}
    assert "settings changed" in PERSONAL_ACTS


def test_setup_without_a_medical_director_is_refused_and_writes_nothing(clinic: Cli) -> None:
    target = locations.user_clinic_file()
    code, _, err = clinic("setup", "--saline-ml", "5")
    assert code == 5 and "only a medical director changes the clinic settings" in err and "--by" in err
    code, _, err = clinic("setup", "--saline-ml", "5", "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))
    assert code == 5 and "injector and may not change the clinic settings" in err
    code, _, err = clinic("setup", "--saline-ml", "5", "--by", DIRECTOR, "--pin-stdin", pins=(WRONG,))
    assert code == 5 and "Wrong PIN" in err
    assert not target.exists(), "nothing written"
    assert "settings changed" not in [e.action for e in clinic.repository().audit_entries()]


def test_a_medical_directors_change_is_written_and_signed_in_the_trail(clinic: Cli) -> None:
    code, _, err = clinic("setup", "--saline-ml", "5", "--by", DIRECTOR, "--pin-stdin", pins=(PINS[DIRECTOR],))
    assert code == 0, err
    assert f"changed by {DIRECTOR}" in err
    assert tomllib.loads(locations.user_clinic_file().read_text(encoding="utf-8"))["saline_ml"] == 5
    repository = open_repository(clinic.data, clinic.database)
    last = list(repository.audit_entries())[-1]
    assert (last.action, last.actor) == ("settings changed", DIRECTOR)
    assert last.data is not None and last.data["changes"]["saline_ml"] == {"old": None, "new": 5.0}
    assert last.signature, "signed by the director"
    code, out, err = clinic("audit", "verify")
    assert code == 0, out + err
