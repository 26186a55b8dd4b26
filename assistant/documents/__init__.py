"""The printed documents: the patient's explanation and the practitioner's dose summary.

    render_patient(plan, kb, clinic, "pdf", language="en")          -> bytes
    render_summary(plan, kb, clinic, "text", staff="Dr Lee", ...)   -> str

Formats: "text" (terminal, email), "html" (print-ready, self-contained) and "pdf" (that HTML through
WeasyPrint, imported only here). Templates live in prompts/templates/ (``templates_dir`` overrides):
``patient_explanation.{txt,html}.j2`` and ``dose_summary.{txt,html}.j2``; a language other than
English first looks for ``patient_explanation.<language>.{txt,html}.j2``. ``paper="letter"`` sets US
Letter pages instead of A4 (HTML and PDF). Every failure is a
``RenderError`` (``PdfUnavailable`` when WeasyPrint or its libraries are missing) with a plain message.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Literal

from assistant import locations
from assistant.core.knowledge import KnowledgeBase
from assistant.core.lifecycle.photo_refs import PhotoRef
from assistant.core.lifecycle.record import Given
from assistant.core.plan import Plan
from assistant.core.script import Script
from assistant.documents.context import (
    PAPERS,
    long_date,
    patient_context,
    patient_language,
)
from assistant.documents.money import money
from assistant.documents.pdf import PdfUnavailable  # WeasyPrint itself is imported only for a PDF
from assistant.documents.photos_page import photo_rows
from assistant.documents.render import RenderError, environment_for, make_environment, render
from assistant.documents.summary import summary_context
from assistant.settings import ClinicSettings

Format = Literal["text", "html", "pdf"]
FORMATS: tuple[str, ...] = ("text", "html", "pdf")

PATIENT_TEMPLATE = "patient_explanation"
SUMMARY_TEMPLATE = "dose_summary"

__all__ = [
    "FORMATS",
    "PAPERS",
    "Format",
    "PdfUnavailable",
    "RenderError",
    "long_date",
    "make_environment",
    "money",
    "patient_context",
    "patient_language",
    "render",
    "render_patient",
    "render_summary",
    "summary_context",
    "template_name",
]


def template_name(templates_dir: Path, base: str, fmt: Format, language: str = "en") -> str:
    """``base.txt.j2`` / ``base.html.j2``; for a language other than English its own
    ``base.<language>.<ext>.j2`` when the trainers have written one."""
    if fmt not in FORMATS:
        raise RenderError(f"unknown document format '{fmt}': choose one of {', '.join(FORMATS)}")
    extension = "txt" if fmt == "text" else "html"
    if language != "en":
        localised = f"{base}.{language}.{extension}.j2"
        if (templates_dir / localised).is_file():
            return localised
    return f"{base}.{extension}.j2"


def _output(templates_dir: Path, name: str, context: dict[str, object], fmt: Format) -> str | bytes:
    text = render(environment_for(templates_dir), name, context)
    if fmt != "pdf":
        return text
    from assistant.documents.pdf import html_to_pdf

    return html_to_pdf(text)


def render_patient(
    plan: Plan,
    kb: KnowledgeBase,
    clinic: ClinicSettings,
    fmt: Format = "text",
    language: str | None = None,
    *,
    answers: Mapping[str, object] | None = None,
    paper: str = "a4",
    templates_dir: Path | None = None,
    given: Given | None = None,
) -> str | bytes:
    """The patient's explanation: str for "text" and "html", PDF bytes for "pdf".

    ``language`` None: the answers' ``patient_language``, else English; ``given``: the doses
    recorded as injected, which the sheet then describes (and costs) instead of the plan.
    """
    folder = templates_dir or locations.TEMPLATES_DIR
    language = patient_language(language, answers)
    name = template_name(folder, PATIENT_TEMPLATE, fmt, language)
    _check_paper(paper)
    context = patient_context(plan, kb, clinic, language, answers=answers, paper=paper, given=given)
    return _output(folder, name, context, fmt)


def render_summary(
    plan: Plan,
    kb: KnowledgeBase,
    clinic: ClinicSettings,
    fmt: Format = "text",
    *,
    staff: str | None = None,
    lot_number: str | None = None,
    lot_expiry: date | str | None = None,
    answers: Mapping[str, object] | None = None,
    paper: str = "a4",
    templates_dir: Path | None = None,
    script: Script | None = None,
    previous: Plan | None = None,
    signatures: Iterable[object] | None = None,
    amendments: Iterable[object] | None = None,
    version: int | None = None,
    given: Given | None = None,
    state: str | None = None,
    entered_on: date | None = None,
    trail: tuple[int, str] | None = None,
    photos: Sequence[tuple[PhotoRef, bytes | None]] = (),
) -> str | bytes:
    """The practitioner's dose summary (always in the clinic's working language, English).

    ``script`` puts the answers in words; ``previous``: the plan of the patient's previous consult,
    printed beside today's doses; ``signatures`` ({name, role, meaning, at}) and ``amendments``
    ({version, at, by, reason}) fill the signature block (empty: NOT SIGNED, with lines to sign on);
    ``given``: what was recorded as injected (who, when, lots, the lines that differ from the plan;
    the doses, total and cost printed are then those given); ``state``: the record's state, which
    heads the summary; ``entered_on``: the day a back-entered consult was entered; ``trail``: the audit
    trail's (last entry, its hash) as it is printed; ``photos``: (photo, its thumbnail or None when the
    store lost it) for a page of thumbnails after the summary (``print --what photos``).
    """
    folder = templates_dir or locations.TEMPLATES_DIR
    name = template_name(folder, SUMMARY_TEMPLATE, fmt)
    _check_paper(paper)
    context = summary_context(
        plan,
        kb,
        clinic,
        staff=staff,
        lot_number=lot_number,
        lot_expiry=lot_expiry,
        answers=answers,
        paper=paper,
        script=script,
        previous=previous,
        signatures=signatures,
        amendments=amendments,
        version=version,
        given=given,
        state=state,
        entered_on=entered_on,
        trail=trail,
    )
    if photos:
        context["photo_rows"] = photo_rows(photos)
    return _output(folder, name, context, fmt)


def _check_paper(paper: str) -> None:
    if paper not in PAPERS:
        raise RenderError(f"unknown paper size '{paper}': choose one of {', '.join(PAPERS)}")
