"""The plan screen's documents follow the record: PDFs saved with S belong to the version they were
made from. Once doses are given and signed, S and P make them anew from the record as it is now (as
``botulax-consult print`` does), never "Already saved." for the planned version; and each save is
noted in the audit trail as ``print`` notes it, so the patient's chart lists it."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static

from assistant.files.resources import Resources
from assistant.records import TinyDBStore
from assistant.services import audit_trail
from assistant.tui.app import ConsultApp, make_app
from assistant.tui.screens.chart_screen import ChartScreen
from assistant.tui.screens.given_screen import GivenScreen
from assistant.tui.screens.patient_search_screen import PatientSearchScreen
from assistant.tui.screens.plan_screen import PlanScreen
from tests.helpers import INJECTOR, TODAY
from tests.pdf_pages import page_texts
from tests.test_tui_lifecycle import SIZE, clinic, planned_by, type_pin  # noqa: F401  (clinic: a fixture)
from tests.tui_driving import press_give, screen_text, settle, until


def documents_line(app: ConsultApp) -> str:
    return str(app.screen.query_one("#plan-documents", Static).render())


async def save_pdfs(pilot, app: ConsultApp) -> str:  # type: ignore[no-untyped-def]
    """S, until the line says where the PDFs went (it says "Saving..." at once); the line then."""
    await pilot.press("s")
    await until(pilot, lambda: "Saving" not in documents_line(app))
    return documents_line(app)


def pdf_text(path: Path, tmp_path: Path) -> str:
    return " ".join(page_texts(path.read_bytes(), tmp_path))


async def test_s_after_giving_and_signing_saves_the_signed_record_anew(
    resources: Resources,
    clinic: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await planned_by(pilot, INJECTOR)
        assert isinstance(app.screen, PlanScreen) and app.screen.record is not None
        consult_id = app.screen.record.consult_id
        summary = clinic / "documents" / f"{consult_id}-summary.pdf"
        patient = clinic / "documents" / f"{consult_id}-patient.pdf"
        assert (await save_pdfs(pilot, app)).startswith("Saved: ")
        planned = pdf_text(summary, tmp_path)
        assert "PLANNED" in planned and "NOT SIGNED" in planned
        assert "Already saved." in await save_pdfs(pilot, app), "the same version: nothing is made twice"
        first = patient.stat().st_mtime_ns

        await press_give(pilot)
        await settle(pilot)
        assert isinstance(app.screen, GivenScreen)
        assert app.screen.query_one("#units-0", Input).value == "20"
        await pilot.press("1", "7", "ctrl+s")  # 17 U on the glabella; refused until its reason is typed
        await settle(pilot)
        await pilot.press(*"asked for a lighter frown", "ctrl+s")
        await type_pin(pilot, INJECTOR)
        assert isinstance(app.screen, PlanScreen) and "given by Ina Choi" in screen_text(app)
        await pilot.press("k")
        await type_pin(pilot, INJECTOR)
        assert "signed by Ina Choi" in screen_text(app)
        line = documents_line(app)
        assert "Already saved" not in line, "the PDFs on disk are of the planned version"
        assert "they show version 1, planned; it is version 4, signed" in line and "S saves them anew" in line, line

        line = await save_pdfs(pilot, app)
        assert "Already saved" not in line and "version 4" in line, line
        signed = pdf_text(summary, tmp_path)
        assert "SIGNED" in signed and "NOT SIGNED" not in signed and "PLANNED" not in signed, signed
        assert "version 4" in signed and "17 U" in signed and "asked for a lighter frown" in signed, signed
        assert patient.stat().st_mtime_ns != first, "the patient's explanation is made anew too"
        assert "Already saved." in await save_pdfs(pilot, app)

    kept = TinyDBStore(clinic).get(consult_id)
    assert kept is not None and (kept.state, kept.version) == ("signed", 4)
    printed = [e for e in TinyDBStore(clinic).audit_entries(consult_id) if e.action == "printed"]
    assert [(e.actor, e.version) for e in printed] == [(INJECTOR, 1), (INJECTOR, 4)], "noted as print notes it"
    assert all(e.detail == f"{consult_id}-patient.pdf, {consult_id}-summary.pdf" for e in printed)
    assert audit_trail.check(TinyDBStore(clinic)).ok


async def test_pdfs_saved_on_the_plan_screen_are_listed_in_the_chart(resources: Resources, clinic: Path) -> None:  # noqa: F811
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await planned_by(pilot, INJECTOR)
        consult_id = app.screen.record.consult_id  # type: ignore[attr-defined]
        await save_pdfs(pilot, app)
        await pilot.press("f5")
        await until(pilot, lambda: isinstance(app.screen, PatientSearchScreen))
        await pilot.press(*"mina", "enter")
        await until(pilot, lambda: app.screen.searched == "mina")  # type: ignore[attr-defined]
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ChartScreen) and "Not signed." in screen_text(app))
        text = screen_text(app)
        assert "No documents printed or exported." not in text
        assert "Documents printed" in text and f"{consult_id}-patient.pdf" in text, text
