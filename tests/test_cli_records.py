"""The command line around the consult record: run saves, history lists, print writes documents."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.locations import EXAMPLES_DIR

FULL_FACE = str(EXAMPLES_DIR / "full_face.yaml")
TOUCH_UP = str(EXAMPLES_DIR / "returning_touch_up.yaml")


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict | list]:
    code = main([*args, "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def test_run_saves_the_consult_and_reports_its_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, plan = run_json(capsys, "run", FULL_FACE, "--data-dir", str(tmp_path))
    assert code == 0
    consult_id = plan["consult_id"]
    assert consult_id and consult_id.startswith("2")
    code, rows = run_json(capsys, "history", "Mina Park", "--data-dir", str(tmp_path))
    assert code == 0
    assert [r["consult_id"] for r in rows] == [consult_id]
    row = rows[0]
    assert {"consult_id", "patient_name", "date", "status", "total_units"} <= set(row)
    assert (row["patient_name"], row["date"], row["status"], row["total_units"]) == (
        "Mina Park",
        "2026-11-24",
        "planned",
        52.0,
    )


def test_no_save_keeps_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, plan = run_json(capsys, "run", FULL_FACE, "--data-dir", str(tmp_path), "--no-save")
    assert code == 0 and plan["consult_id"] is None
    code, rows = run_json(capsys, "history", "--data-dir", str(tmp_path))
    assert rows == []


def test_history_without_patient_lists_recent_consults_newest_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = run_json(capsys, "run", FULL_FACE, "--data-dir", str(tmp_path))[1]["consult_id"]
    second = run_json(capsys, "run", TOUCH_UP, "--data-dir", str(tmp_path))[1]["consult_id"]
    rows = run_json(capsys, "history", "--data-dir", str(tmp_path))[1]
    ids = [r["consult_id"] for r in rows]
    assert set(ids) == {first, second}
    assert ids == sorted(ids, reverse=True), "newest first (ids start with their time, to the second)"
    assert main(["history", "--data-dir", str(tmp_path)]) == 0
    text = capsys.readouterr().out
    assert "Mina Park" in text and second in text


def test_print_writes_valid_pdfs_of_both_documents(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    consult_id = run_json(capsys, "run", FULL_FACE, "--data-dir", str(tmp_path))[1]["consult_id"]
    out = tmp_path / "printout"
    assert main(["print", consult_id, "--data-dir", str(tmp_path), "--output", str(out)]) == 0
    files = sorted(out.iterdir())
    assert [f.name for f in files] == [f"{consult_id}-patient.pdf", f"{consult_id}-summary.pdf"]
    for file in files:
        data = file.read_bytes()
        assert data.startswith(b"%PDF") and b"%%EOF" in data[-1024:]
        assert file.stat().st_mode & 0o777 == 0o600
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(files[0]), "-"], capture_output=True, text=True, check=True).stdout
        assert "Mina Park" in text and "8 December 2026" in text


def test_print_both_into_a_file_name_is_refused_in_words(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A tryout: ``--output /somewhere/x.pdf`` with both documents made a folder named x.pdf, put two
    PDFs in it and exited 0; a folder named like a file is nobody's intent."""
    consult_id = run_json(capsys, "run", FULL_FACE, "--data-dir", str(tmp_path))[1]["consult_id"]
    out = tmp_path / "new" / "x.pdf"
    assert main(["print", consult_id, "--data-dir", str(tmp_path), "--output", str(out)]) == 2
    assert "names one file, and --what both makes two documents" in capsys.readouterr().err
    assert not out.exists() and not out.parent.exists(), "nothing made"
    assert main(["print", consult_id, "--what", "summary", "--data-dir", str(tmp_path), "--output", str(out)]) == 0
    assert out.is_file() and out.read_bytes().startswith(b"%PDF")


def test_print_text_of_one_document_to_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    consult_id = run_json(capsys, "run", FULL_FACE, "--data-dir", str(tmp_path))[1]["consult_id"]
    assert main(["print", consult_id, "--what", "patient", "--format", "text", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Mina Park" in out and "U/point" not in out


def test_print_an_unknown_consult_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["print", "20990101-000000-zzzzzzzz", "--data-dir", str(tmp_path)]) == 2
    assert "no consult '20990101-000000-zzzzzzzz'" in capsys.readouterr().err


def test_to_printer_without_a_print_queue_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    consult_id = run_json(capsys, "run", FULL_FACE, "--data-dir", str(tmp_path))[1]["consult_id"]
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    assert main(["print", consult_id, "--to-printer", "--data-dir", str(tmp_path)]) == 2
    assert "no system print queue" in capsys.readouterr().err


def test_an_expired_vial_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers = (EXAMPLES_DIR / "full_face.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "expired.yaml"
    broken.write_text(answers + "lot_number: BX2311\nlot_expiry: 2026-10-31\n", encoding="utf-8")
    assert main(["run", str(broken), "--data-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "lot_expiry" in err and "expired" in err


def test_lot_and_staff_reach_the_record(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers = (EXAMPLES_DIR / "full_face.yaml").read_text(encoding="utf-8")
    with_lot = tmp_path / "lot.yaml"
    with_lot.write_text(answers + "lot_number: BX2311\nlot_expiry: 2027-05-31\n", encoding="utf-8")
    consult_id = run_json(capsys, "run", str(with_lot), "--data-dir", str(tmp_path), "--staff", "Dr Lee")[1][
        "consult_id"
    ]
    assert main(["print", consult_id, "--what", "summary", "--format", "text", "--data-dir", str(tmp_path)]) == 0
    summary = capsys.readouterr().out
    assert "BX2311" in summary and "Dr Lee" in summary


def test_a_damaged_data_file_is_named_and_left_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_json(capsys, "run", FULL_FACE, "--data-dir", str(tmp_path))
    index = next((tmp_path / "patients").rglob("*.json"))
    index.write_text("{ not json", encoding="utf-8")
    assert main(["run", FULL_FACE, "--data-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert str(index) in err
    assert index.read_text(encoding="utf-8") == "{ not json"


@pytest.mark.parametrize(
    "command",
    [["history"], ["history", "Mina Park"], ["print", "20261124-101502-k3v9q2xa"], ["run", FULL_FACE]],
)
def test_a_data_dir_that_is_a_file_is_said_in_words(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    not_a_folder = tmp_path / "records.txt"
    not_a_folder.write_text("notes", encoding="utf-8")
    assert main([*command, "--data-dir", str(not_a_folder)]) == 2
    err = capsys.readouterr().err
    assert f"--data-dir {not_a_folder} is a file, not a folder: name the folder the record is kept in." in err
    assert "Traceback" not in err
    assert not_a_folder.read_text(encoding="utf-8") == "notes"


def test_export_fhir_through_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    consult_id = run_json(capsys, "run", FULL_FACE, "--data-dir", str(tmp_path))[1]["consult_id"]
    assert main(["export", consult_id, "--fhir", "--data-dir", str(tmp_path)]) == 0
    bundle = json.loads(capsys.readouterr().out)
    response = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "QuestionnaireResponse")
    assert bundle["resourceType"] == "Bundle" and response["subject"]["display"] == "Mina Park"
    assert main(["export-script", "--fhir"]) == 0
    assert json.loads(capsys.readouterr().out)["resourceType"] == "Questionnaire"
    assert main(["export", consult_id, "--data-dir", str(tmp_path)]) == 2, "--fhir is the only format"


def test_history_lists_the_others_and_names_a_damaged_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from assistant.records import TinyDBStore

    first = run_json(capsys, "run", FULL_FACE, "--data-dir", str(tmp_path))[1]["consult_id"]
    second = run_json(capsys, "run", TOUCH_UP, "--data-dir", str(tmp_path))[1]["consult_id"]
    path = TinyDBStore(tmp_path).layout.consult_path(first)
    path.write_bytes(b"{broken")
    assert main(["history", "--data-dir", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    assert second in out and first not in out
    assert str(path) in err and "damaged" in err


def test_a_data_dir_that_does_not_exist_is_no_record_to_read_and_a_new_one_is_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A tryout's mistyped ``--data-dir`` answered ``history`` with "No consults found": every patient
    looked new. Reading a folder that does not exist is refused; the first consult kept there says
    that it starts a new record."""
    missing = tmp_path / "recrods"
    for command in (["history"], ["history", "Mina Park"], ["due"], ["recall", "BX2311"]):
        assert main([*command, "--data-dir", str(missing)]) == 2, command
        err = capsys.readouterr().err
        assert f"There is no record at {missing}: the folder does not exist. Check --data-dir" in err, err
        assert not missing.exists()
    assert main(["run", FULL_FACE, "--data-dir", str(missing)]) == 0
    assert f"note: {missing} does not exist yet: a new record is started there." in capsys.readouterr().err
    assert main(["history", "--data-dir", str(missing)]) == 0


def test_a_data_dir_beside_the_clinics_server_says_which_is_the_record(
    postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A tryout's ``--data-dir scratch vial open`` opened vials on the clinic's server (named by the
    environment): nothing said that the folder was not the record."""
    monkeypatch.setenv("BOTULAX_CONSULT_DATABASE", postgres_url)
    scratch = tmp_path / "scratch"
    assert main(["history", "--data-dir", str(scratch)]) == 0
    err = capsys.readouterr().err
    assert f"note: the record is the clinic's server (BOTULAX_CONSULT_DATABASE), not --data-dir {scratch}." in err
    assert main(["history", "--data-dir", str(scratch), "--database", postgres_url]) == 0
    assert "note:" not in capsys.readouterr().err, "--database said so itself: the folder is this computer's"
