"""The consent forms as a document to sign: the trainers' words filled in for the patient
(``core.consent_form``), laid out by ``consent_form.html.j2`` with the lines to sign on."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Literal

from assistant import locations
from assistant.core.consent_form import FilledForm
from assistant.documents.context import PAPERS
from assistant.documents.render import RenderError, environment_for, render
from assistant.settings import ClinicSettings

CONSENT_TEMPLATE = "consent_form.html.j2"


def consent_context(
    forms: Sequence[FilledForm],
    clinic: ClinicSettings,
    consult_id: str,
    paper: str = "a4",
    patient: Mapping[str, str | None] | None = None,
) -> dict[str, object]:
    """``patient``: who signs, by two identifiers (``context.identity``), printed above each form."""
    return {
        "patient": patient,
        "clinic": clinic,
        "paper": paper,
        "language": forms[0].language if forms else "en",
        "consult_id": consult_id,
        "forms": [form.model_dump() for form in forms],
    }


def render_consent(
    forms: Sequence[FilledForm],
    clinic: ClinicSettings,
    consult_id: str,
    fmt: Literal["html", "pdf"] = "pdf",
    *,
    paper: str = "a4",
    templates_dir: Path | None = None,
    patient: Mapping[str, str | None] | None = None,
) -> str | bytes:
    """The forms to sign: HTML, or PDF bytes through WeasyPrint."""
    if not forms:
        raise RenderError("there is no consent form to print")
    if paper not in PAPERS:
        raise RenderError(f"unknown paper size '{paper}': choose one of {', '.join(PAPERS)}")
    folder = templates_dir or locations.TEMPLATES_DIR
    html = render(environment_for(folder), CONSENT_TEMPLATE, consent_context(forms, clinic, consult_id, paper, patient))
    if fmt == "html":
        return html
    from assistant.documents.pdf import html_to_pdf

    return html_to_pdf(html)
