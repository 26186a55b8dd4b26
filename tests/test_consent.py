"""Consent before anything is given (issue 23, section 1), on both stores: give refused (exit 5) until
the current form is recorded for the patient, and allowed after; a changed form version asks again;
the clinic's validity; the warning setting; the form printed; the frozen text checked by audit verify.

Real stores, real PINs on standard input, the real forms in prompts/consent (or a copy of prompts/
passed with --script, as a trainer would).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from assistant import locations
from assistant.core.lifecycle.audit import AuditEvent
from assistant.core.lifecycle.consent_given import ConsentGiven
from assistant.core.lifecycle.consent_rules import ConsentMissing, months_before, text_sha, valid_consent
from assistant.core.lifecycle.record import ConsultRecord
from assistant.files.resources import Resources
from assistant.locations import EXAMPLES_DIR
from assistant.records.repository import ConsultRepository
from assistant.services.consent_check import require_consent
from assistant.services.desk import Desk
from assistant.settings import ClinicSettings
from tests.conftest import MakeRecord
from tests.helpers import INJECTOR, JUNIOR, PINS, Cli
from tests.staff_register import WITH_JUNIOR, StaffRegisters

FULL_FACE = str(EXAMPLES_DIR / "full_face.yaml")


@pytest.fixture
def clinic(cli: Cli, staff_registers: StaffRegisters) -> Cli:
    cli.consent_on_refusal = False  # these tests are about the rule itself
    return staff_registers.copy_into(cli, WITH_JUNIOR)


def run_consult(cli: Cli, answers: str = FULL_FACE, *extra: str) -> str:
    code, out, err = cli("run", answers, "--staff", JUNIOR, "--format", "json", *extra)
    assert code == 0, err
    return json.loads(out)["consult_id"]


def give(cli: Cli, consult_id: str, *extra: str) -> tuple[int, str, str]:
    return cli("give", consult_id, "--by", INJECTOR, *extra, "--pin-stdin", pins=(PINS[INJECTOR],))


def record(cli: Cli, consult_id: str, *extra: str, version: str = "current") -> tuple[int, str, str]:
    return cli(
        "consent", "record", consult_id, "--version", version, "--witness", "Hana Lee", "--by", JUNIOR,
        *extra, "--pin-stdin", pins=(PINS[JUNIOR],),
    )  # fmt: skip


def prompts_copy(folder: Path, version: str) -> Path:
    """A copy of prompts/ (script and consent forms) with the treatment form at ``version``."""
    copy = folder / "prompts"
    shutil.copytree(locations.PROMPTS_DIR, copy)
    for language in ("en", "ko"):
        form = copy / "consent" / f"treatment.{language}.yaml"
        form.write_text(form.read_text(encoding="utf-8").replace('version: "1"', f'version: "{version}"'), "utf-8")
    return copy / "consult.yaml"


def test_give_is_refused_without_consent_and_allowed_after(clinic: Cli) -> None:
    consult_id = run_consult(clinic)
    code, out, err = give(clinic, consult_id)
    assert code == 5 and out == ""
    assert (
        "Consent form 'treatment' version 1 is not recorded for Mina Park: record it with "
        f"botulax-consult consent record {consult_id}"
    ) in err
    assert clinic.json("show", consult_id)["state"] == "planned"  # nothing was recorded

    code, out, err = record(clinic, consult_id, "--photos", "yes")
    assert code == 0, err
    assert "Consent recorded (form 'treatment' version 1, witness Hana Lee, photos agreed)" in out
    consent = clinic.json("show", consult_id)["consent"]
    assert (consent["version"], consent["witness"], consent["photos"]) == ("1", "Hana Lee", True)
    assert len(consent["sha256"]) == 64 and dt.datetime.fromisoformat(consent["at"])

    code, out, err = give(clinic, consult_id)
    assert code == 0, err
    view = clinic.json("show", consult_id)
    assert view["state"] == "given" and [v["kind"] for v in view["versions"]] == ["created", "consented", "given"]
    trail = clinic.json("audit", consult_id)
    [entry] = [e for e in trail if e["action"] == "consent recorded"]
    assert entry["detail"].endswith(f"sha256 {consent['sha256']}") and entry["actor"] == JUNIOR


def test_a_consent_covers_the_patients_next_consult(clinic: Cli) -> None:
    first = run_consult(clinic)
    assert record(clinic, first)[0] == 0
    second = run_consult(clinic)
    code, _, err = give(clinic, second)
    assert code == 0, err


def test_a_version_that_is_not_the_current_form_is_refused(clinic: Cli) -> None:
    consult_id = run_consult(clinic)
    code, _, err = record(clinic, consult_id, version="7")
    assert code == 5
    assert "Consent form 'treatment' version 7 is not the form in use (version 1)" in err
    assert clinic.json("show", consult_id)["consent"] is None


def test_a_changed_form_version_asks_again(clinic: Cli, tmp_path: Path) -> None:
    consult_id = run_consult(clinic)
    assert record(clinic, consult_id)[0] == 0
    script = prompts_copy(tmp_path, "2")
    code, _, err = give(clinic, consult_id, "--script", str(script))
    assert code == 5 and "Consent form 'treatment' version 2 is not recorded for Mina Park" in err
    code, _, err = record(clinic, consult_id, "--script", str(script), version="1")
    assert code == 5 and "version 1 is not the form in use (version 2)" in err
    code, _, err = record(clinic, consult_id, "--script", str(script), version="2")
    assert code == 0, err
    code, _, err = give(clinic, consult_id, "--script", str(script))
    assert code == 0, err
    assert clinic.json("show", consult_id)["consent"]["version"] == "2"


def test_amending_the_doses_given_keeps_the_rule(clinic: Cli, tmp_path: Path) -> None:
    consult_id = run_consult(clinic)
    given = tmp_path / "given.yaml"
    given.write_text(
        "lot: BX2311\nexpiry: 2027-05-31\nlines:\n  - {zone: glabella, units: 20, points: 5}\n"
        "  - {zone: forehead, units: 12, points: 6}\n  - {zone: crows_feet, side: left, units: 10, points: 4}\n"
        "  - {zone: crows_feet, side: right, units: 10, points: 4}\n",
        encoding="utf-8",
    )
    code, _, err = clinic(
        "amend", consult_id, "--by", INJECTOR, "--reason", "given on paper", "--given", str(given), "--pin-stdin",
        pins=(PINS[INJECTOR],),
    )  # fmt: skip
    assert code == 5 and "Consent form 'treatment' version 1 is not recorded" in err
    assert clinic.json("show", consult_id)["state"] == "planned"


def test_the_warning_setting_records_the_doses_and_says_so(clinic: Cli, tmp_path: Path) -> None:
    settings = tmp_path / "clinic.toml"
    settings.write_text('name = "Test"\nconsent_missing = "warn"\n', encoding="utf-8")
    consult_id = run_consult(clinic)
    code, _out, err = give(clinic, consult_id, "--clinic", str(settings))
    assert code == 0, err
    assert "warning: Consent form 'treatment' version 1 is not recorded for Mina Park" in err
    [entry] = [e for e in clinic.json("audit", consult_id) if e["action"] == "given"]
    assert "recorded without consent (clinic setting consent_missing = warn)" in entry["detail"]


def test_the_consent_text_edited_in_the_data_folder_is_named_by_verify(
    cli: Cli, staff_registers: StaffRegisters
) -> None:
    if cli.kind != "tinydb":
        pytest.skip("the data folder's own files are edited here; the server's rows are hashed the same way")
    clinic = staff_registers.copy_into(cli, WITH_JUNIOR)
    consult_id = run_consult(clinic)
    assert record(clinic, consult_id)[0] == 0
    assert clinic("audit", "verify")[0] == 0
    edited = 0
    for path in clinic.data.rglob("*.json"):
        text = path.read_text(encoding="utf-8")
        if "withdraw my consent at any time" in text:
            path.write_text(text.replace("withdraw my consent at any time", "withdraw my consent at no time"), "utf-8")
            edited += 1
    assert edited
    code, out, err = clinic("audit", "verify")
    assert code != 0
    assert "the consent text kept does not match its SHA-256" in out + err


def test_the_form_printed_names_the_patient_the_zones_and_where_to_sign(clinic: Cli, tmp_path: Path) -> None:
    consult_id = run_consult(clinic)
    pdf = tmp_path / "consent.pdf"
    code, _out, err = clinic("consent", "print", consult_id, "--output", str(pdf))
    assert code == 0, err
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Consent to treatment with Botulax" in text and "Mina Park" in text
    # two identifiers, never the name alone: a namesake's form was told apart only by the consult id
    assert "Patient: Mina Park · born 1988-05-14 · clinic number P-1042" in text
    assert not any(line.strip() == "·" for line in text.splitlines()), "no running header of nothing on page 2"
    assert "frown lines" in text and "Signature of the patient" in text
    assert "spread from the injection site" in text  # the label's warning (letybo-pi)
    assert "Consent to clinical photographs" in text  # the separate photo form, on its own page


def test_the_form_is_korean_for_a_korean_speaking_patient(clinic: Cli, tmp_path: Path) -> None:
    answers = tmp_path / "ko.yaml"
    answers.write_text(
        Path(FULL_FACE).read_text(encoding="utf-8").split("\n# What a rehearsal")[0] + "\npatient_language: ko\n",
        encoding="utf-8",
    )
    consult_id = run_consult(clinic, str(answers))
    pdf = tmp_path / "consent.pdf"
    assert clinic("consent", "print", consult_id, "--output", str(pdf))[0] == 0
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "시술 동의서" in text and "환자 서명" in text
    assert "환자: Mina Park · 생년월일 1988-05-14 · 등록번호 P-1042" in " ".join(text.split())
    assert record(clinic, consult_id)[0] == 0
    assert clinic.json("show", consult_id)["consent"]["version"] == "1"


# -- the pure rule: validity, with now passed in -------------------------------------------------------

AT = dt.datetime(2026, 1, 31, 10, 0, tzinfo=dt.UTC)


def consented_record(example: ConsultRecord, at: dt.datetime, version: str = "1") -> ConsultRecord:
    text = "I agree."
    consent = ConsentGiven(version=version, at=at, witness="Hana Lee", text=text, sha256=text_sha(text))
    return example.model_copy(update={"consent": consent})


def test_a_consent_holds_for_the_clinics_months_and_then_asks_again(make_record: MakeRecord) -> None:
    saved_record = make_record()
    records = [consented_record(saved_record, AT)]
    assert valid_consent(records, "1", AT + dt.timedelta(days=300), 12) is not None
    assert valid_consent(records, "1", dt.datetime(2027, 1, 31, 9, 59, tzinfo=dt.UTC), 12) is not None
    assert valid_consent(records, "1", dt.datetime(2027, 1, 31, 10, 0, tzinfo=dt.UTC), 12) is None
    assert valid_consent(records, "1", AT + dt.timedelta(days=40), 1) is None  # a clinic's shorter validity
    assert valid_consent(records, "2", AT + dt.timedelta(days=1), 12) is None  # a changed form
    assert valid_consent(records, "1", AT - dt.timedelta(days=1), 12) is None  # not signed yet at that moment
    newer = consented_record(saved_record, AT + dt.timedelta(days=30))
    assert valid_consent([*records, newer], "1", AT + dt.timedelta(days=40), 12) == newer.consent
    assert months_before(dt.datetime(2026, 3, 31, tzinfo=dt.UTC), 1) == dt.datetime(2026, 2, 28, tzinfo=dt.UTC)


def test_the_store_finds_the_patients_consent_on_another_consult(
    repository: ConsultRepository, make_record: MakeRecord
) -> None:
    """On each store: a consent kept on one of the patient's consults lets another be given, until
    the clinic's months have passed or the form changed; the warning setting only says so."""
    earlier = make_record("Kim Ji-woo", patient_id="P-7", day=dt.date(2026, 1, 31))
    today = make_record("Kim Ji-woo", patient_id="P-7", day=dt.date(2026, 6, 1))
    assert earlier.patient_key is not None and earlier.patient_key == today.patient_key
    kept = consented_record(earlier, AT)
    for record in (kept, today):
        repository.save(record, AuditEvent.for_version(record, "Dr Test", record.finished_at))
    desk = Desk(repository)
    assert require_consent(desk, today, ClinicSettings(), AT + dt.timedelta(days=120)) is None
    with pytest.raises(ConsentMissing, match="Consent form 'treatment' version 1 is not recorded for Kim Ji-woo"):
        require_consent(desk, today, ClinicSettings(), dt.datetime(2027, 2, 1, tzinfo=dt.UTC))
    warned = require_consent(
        desk, today, ClinicSettings(consent_missing="warn"), dt.datetime(2027, 2, 1, tzinfo=dt.UTC)
    )
    assert warned is not None and warned.startswith("Consent form 'treatment' version 1")


def test_check_names_a_missing_version_a_missing_section_and_an_unknown_placeholder(tmp_path: Path) -> None:
    from assistant.services.lint import lint

    script = prompts_copy(tmp_path, "1")
    forms = script.parent / "consent"
    english = forms / "treatment.en.yaml"
    text = english.read_text(encoding="utf-8")
    text = text.replace('version: "1"\n', "").replace("I, {patient_name}", "I, {patient_nmae}")
    english.write_text(text.replace("  - id: aftercare", "  - id: after_care"), encoding="utf-8")
    problems = [str(p) for p in lint(script)]
    assert any("treatment.en.yaml" in p and "'version' is required" in p for p in problems), problems
    photos = forms / "photos.ko.yaml"
    photos.write_text(photos.read_text(encoding="utf-8").replace("{clinic}", "{clinic_name}"), encoding="utf-8")
    english.write_text(
        text.replace("  - id: aftercare", "  - id: after_care").replace(
            "form: treatment\n", 'form: treatment\nversion: "1"\n'
        ),
        "utf-8",
    )
    problems = [str(p) for p in lint(script)]
    assert any("[missing-section] the treatment form has no 'aftercare' section" in p for p in problems), problems
    assert any("treatment.en.yaml" in p and "unknown placeholder {patient_nmae}" in p for p in problems), problems
    assert any("photos.ko.yaml" in p and "unknown placeholder {clinic_name}" in p for p in problems), problems
    assert lint() == [] or all("consent" not in p.file for p in lint()), "the shipped forms pass"


def test_the_fhir_bundle_carries_the_consent_signed(make_record: MakeRecord, resources: Resources) -> None:
    import base64

    from assistant.exchange.fhir.bundle import record_bundle_data

    record = consented_record(make_record(), AT)
    bundle = record_bundle_data(record, resources.script)
    [consent] = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Consent"]
    assert consent["status"] == "active" and consent["verification"][0]["verifiedWith"]["display"] == "Hana Lee"
    assert base64.b64decode(consent["sourceAttachment"]["data"]).decode("utf-8") == "I agree."
    assert consent["identifier"][0]["value"] == text_sha("I agree.")
    assert consent["provision"]["provision"][0]["type"] == "deny"  # no photo consent
