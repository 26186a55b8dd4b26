"""Printing through a real print queue: a CUPS server of the tests' own with a PDF printer (cups-pdf).

The job must arrive, as a PDF holding the patient's name, on the printer and paper the clinic settings
name; a stopped or missing queue must say that the PDFs were saved instead, and where. Without CUPS
these tests are skipped with the reason, except in CI (CI=true), where they fail: CI installs CUPS.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant import locations
from assistant.cli import main
from assistant.files.resources import Resources, load_resources
from assistant.records import open_repository
from assistant.services.paperwork import save_documents
from assistant.services.printing import documents_folder, send_to_printer
from assistant.settings import ClinicSettings
from assistant.tui.app import make_app
from assistant.tui.screens.plan_screen import PlanScreen
from tests import cups_server
from tests.helpers import TODAY
from tests.test_tui_consult import SIZE, enter, plan_it, type_answer
from tests.test_tui_records import full_face

FULL_FACE = str(locations.EXAMPLES_DIR / "full_face.yaml")
A4 = (595, 842)
LETTER = (612, 792)


@pytest.fixture(scope="module")
def cups() -> Iterator[cups_server.CupsServer]:
    reason = cups_server.missing()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must test printing through CUPS, but {reason}")
        pytest.skip(f"no CUPS print server can be started here: {reason}")
    server = cups_server.CupsServer()
    try:
        server.start()
        yield server
    finally:
        server.close()


@pytest.fixture
def printer(cups: cups_server.CupsServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[cups_server.CupsServer]:
    """The server, reached through CUPS_SERVER, with an empty output folder and a running queue."""
    for key, value in cups.env.items():
        monkeypatch.setenv(key, value)
    for old in cups.output.glob("*"):
        old.unlink()
    yield cups
    cups.start_queue()


def clinic_file(tmp_path: Path, **settings: str) -> Path:
    path = tmp_path / "clinic.toml"
    path.write_text("".join(f'{key} = "{value}"\n' for key, value in settings.items()), encoding="utf-8")
    return path


def kept_consult(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["run", FULL_FACE, "--format", "json", "--data-dir", str(tmp_path / "data")]) == 0
    found = re.search(r'"consult_id": "([^"]+)"', capsys.readouterr().out)
    assert found is not None
    return found.group(1)


def text_of(pdf: Path) -> str:
    return " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split())


def page_size(pdf: Path) -> tuple[int, int]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    found = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info)
    assert found is not None, info
    return round(float(found.group(1))), round(float(found.group(2)))


def test_print_to_printer_arrives_as_pdfs_with_the_patients_name(
    printer: cups_server.CupsServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    consult_id = kept_consult(tmp_path, capsys)
    clinic = clinic_file(tmp_path, name="Seoul Glow Clinic", printer=printer.queue)
    code = main(["print", consult_id, "--to-printer", "--clinic", str(clinic), "--data-dir", str(tmp_path / "data")])
    out = capsys.readouterr().out
    assert code == 0, out
    assert f"Sent 2 documents to '{printer.queue}' (A4)" in out
    arrived = printer.arrived(2)
    assert len(arrived) == 2
    texts = [text_of(pdf) for pdf in arrived]
    assert all("Mina Park" in text and "Seoul Glow Clinic" in text for text in texts)
    assert any("Dose summary" in text for text in texts) and any("Your treatment today" in text for text in texts)
    assert {page_size(pdf) for pdf in arrived} == {A4}
    saved = sorted(documents_folder(tmp_path / "data").glob(f"{consult_id}-*.pdf"))
    assert [p.name for p in saved] == [f"{consult_id}-patient.pdf", f"{consult_id}-summary.pdf"]


def test_the_clinics_paper_size_is_made_and_printed(
    printer: cups_server.CupsServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    consult_id = kept_consult(tmp_path, capsys)
    clinic = clinic_file(tmp_path, printer=printer.queue, paper="letter")
    args = ["print", consult_id, "--what", "summary", "--to-printer", "--clinic", str(clinic)]
    assert main([*args, "--data-dir", str(tmp_path / "data")]) == 0
    assert "(Letter)" in capsys.readouterr().out
    (arrived,) = printer.arrived(1)
    assert page_size(arrived) == LETTER
    assert "Mina Park" in text_of(arrived)


def test_a_stopped_queue_says_the_pdfs_were_saved_instead_and_where(
    printer: cups_server.CupsServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    consult_id = kept_consult(tmp_path, capsys)
    clinic = clinic_file(tmp_path, printer=printer.queue)
    printer.stop_queue()
    code = main(["print", consult_id, "--to-printer", "--clinic", str(clinic), "--data-dir", str(tmp_path / "data")])
    err = capsys.readouterr().err
    folder = documents_folder(tmp_path / "data")
    assert code == 2
    assert f"the printer '{printer.queue}' is stopped; the PDFs were saved instead in {folder}: " in err
    assert f"{consult_id}-patient.pdf, {consult_id}-summary.pdf" in err
    assert (folder / f"{consult_id}-summary.pdf").read_bytes().startswith(b"%PDF-")
    assert not printer.run("lpstat", "-o", printer.queue).stdout.strip(), "nothing was left waiting in the queue"


def test_a_missing_queue_says_the_pdfs_were_saved_instead_and_where(
    printer: cups_server.CupsServer, tmp_path: Path, resources: Resources
) -> None:
    record = make_record_for(resources, tmp_path)
    files = save_documents(record, resources, tmp_path / "documents")
    outcome = send_to_printer(files, ClinicSettings(printer="Front_Desk_Laser"))
    assert not outcome.printed
    assert outcome.message.startswith("Not printed: there is no printer 'Front_Desk_Laser' on this computer; ")
    assert f"the PDFs were saved instead in {tmp_path / 'documents'}: " in outcome.message


def test_no_default_printer_says_which_setting_names_one(
    printer: cups_server.CupsServer, tmp_path: Path, resources: Resources
) -> None:
    files = save_documents(make_record_for(resources, tmp_path), resources, tmp_path / "documents")
    outcome = send_to_printer(files, ClinicSettings())
    assert not outcome.printed
    assert 'no default printer is set (name one in the clinic settings: printer = "...")' in outcome.message
    assert "the PDFs were saved instead in" in outcome.message


def test_a_print_server_that_is_not_running_is_a_sentence(
    tmp_path: Path, resources: Resources, monkeypatch: pytest.MonkeyPatch
) -> None:
    if cups_server.missing() is not None and os.environ.get("CI") != "true":
        pytest.skip(f"needs the CUPS commands: {cups_server.missing()}")
    monkeypatch.setenv("CUPS_SERVER", str(tmp_path / "nobody-listens.sock"))
    files = save_documents(make_record_for(resources, tmp_path), resources, tmp_path / "documents")
    outcome = send_to_printer(files, ClinicSettings(printer="anything"))
    assert not outcome.printed
    assert "the print service (CUPS) is not running" in outcome.message
    assert "the PDFs were saved instead in" in outcome.message


async def test_p_on_the_plan_screen_prints_both_documents(printer: cups_server.CupsServer, tmp_path: Path) -> None:
    loaded = load_resources(clinic=clinic_file(tmp_path, name="Seoul Glow Clinic", printer=printer.queue))
    assert loaded.value is not None, loaded.problems
    app = make_app(loaded.value, TODAY, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await full_face(pilot)
        await type_answer(pilot, "never")
        await pilot.press("n")
        await pilot.pause()
        await enter(pilot, 2)
        await plan_it(pilot, staff="Dr Hana Cho")
        assert isinstance(app.screen, PlanScreen)
        await pilot.press("p")
        await app.workers.wait_for_complete()
        await pilot.pause()
    arrived = printer.arrived(2)
    assert all("Mina Park" in text_of(pdf) for pdf in arrived)


def make_record_for(resources: Resources, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A kept full-face consult of Mina Park."""
    from assistant.files.loaders import load_answers
    from assistant.services.headless import consult_date, run_answer_file
    from assistant.services.recording import make_record, now, save_new

    loaded = load_answers(Path(FULL_FACE))
    assert loaded.value is not None
    outcome = run_answer_file(resources, loaded.value, consult_date(loaded.value, None, TODAY))  # type: ignore[arg-type]
    assert outcome.plan is not None and outcome.consult is not None
    record = make_record(outcome.plan, outcome.consult.answers, started_at=now(), resources=resources)
    return save_new(open_repository(tmp_path / "data"), record)
