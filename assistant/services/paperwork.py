"""A kept consult's documents: the patient's explanation and the dose summary, rendered from the
record itself (its own plan, answers, signatures and amendments; the knowledge base supplies only
the wording), named and saved. Shared by ``print``, the plan screen and the print queue.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from assistant.core.lifecycle.photo_refs import PhotoRef
from assistant.core.lifecycle.record import Revision
from assistant.core.text_safety import printable
from assistant.files.resources import Resources
from assistant.records import ConsultRecord, ConsultRepository

What = Literal["patient", "summary", "photos"]
"""``photos``: the dose summary with a page of the consult's photos (thumbnails) after it."""


def _one_line(value: Any) -> Any:
    return printable(value, multiline=False) if isinstance(value, str) else value


def shown_record(record: ConsultRecord) -> ConsultRecord:
    """The record with every free text it was given (names, answers, staff, lot) on one line and
    its control and direction characters escaped: a record kept before such characters were refused
    cannot forge a line, drive a terminal or reorder a printed name."""
    answers = {key: _one_line(value) for key, value in record.answers.items()}
    plan = record.plan.model_copy(update={"patient_name": _one_line(record.plan.patient_name)})
    texts = {name: _one_line(getattr(record, name)) for name in ("patient_name", "patient_id", "staff", "lot_number")}
    return record.model_copy(update={"answers": answers, "plan": plan, **texts})


def render_record(
    record: ConsultRecord,
    resources: Resources,
    what: What,
    fmt: str,
    paper: str = "a4",
    previous: ConsultRecord | None = None,
    amendments: Sequence[Revision] = (),
    trail: tuple[int, str] | None = None,
    photos: Sequence[tuple[PhotoRef, bytes | None]] = (),
) -> str | bytes:
    """A document of a kept consult, from its own plan and answers (the knowledge base supplies
    only the wording). ``previous``: the patient's consult before this one, whose doses the
    summary prints beside today's (see ``previous_record``); ``amendments``: the changes that made
    this version (see ``amendments_of``); ``trail``: the audit trail's (last entry, its hash) as it
    is printed (``repository.audit_head()``); ``photos``: for ``what="photos"`` (see ``thumbnails``).
    The summary prints the record's signatures and state; once doses are recorded, both documents
    (and the previous consult's "last time") say what was given rather than what was planned."""
    from assistant.core.lifecycle.injected import plan_as_given
    from assistant.documents import render_patient, render_summary

    record = shown_record(record)
    previous = shown_record(previous) if previous is not None else None
    if what == "patient":
        return render_patient(
            record.plan,
            resources.kb,
            resources.clinic,
            fmt,  # type: ignore[arg-type]
            answers=record.answers,
            paper=paper,
            templates_dir=resources.templates_dir,
            given=record.given,
        )
    return render_summary(
        record.plan,
        resources.kb,
        resources.clinic,
        fmt,  # type: ignore[arg-type]
        staff=record.staff,
        lot_number=record.lot_number,
        lot_expiry=record.lot_expiry,
        answers=record.answers,
        paper=paper,
        templates_dir=resources.templates_dir,
        script=resources.script,
        previous=plan_as_given(previous.plan, previous.given, resources.kb) if previous is not None else None,
        signatures=record.signatures,
        amendments=amendments,
        version=record.version,
        given=record.given,
        state=record.state,
        entered_on=record.entered_on,
        trail=trail,
        photos=photos if what == "photos" else (),
    )


def thumbnails(repository: ConsultRepository, record: ConsultRecord) -> list[tuple[PhotoRef, bytes | None]]:
    """Each photo of the record with its thumbnail as the store holds it (None: missing there)."""
    found = []
    for ref in record.photos:
        kept = repository.photo(ref.sha256)
        found.append((ref, kept.thumbnail if kept is not None and kept.thumbnail else None))
    return found


def amendments_of(repository: ConsultRepository, record: ConsultRecord) -> list[Revision]:
    """The amendments up to this version of the record, oldest first (what its summary lists)."""
    return [
        v.revision
        for v in repository.versions(record.consult_id)
        if v.revision is not None and v.revision.kind == "amended" and v.revision.version <= record.version
    ]


def previous_record(repository: ConsultRepository, record: ConsultRecord) -> ConsultRecord | None:
    """The patient's consult before ``record`` (by date, then by id), as the plan screen showed it
    when this one was planned; None for a first visit."""
    earlier = [
        row
        for row in repository.history(record.patient_key)
        if row.consult_id != record.consult_id and (row.date, row.consult_id) < (record.date, record.consult_id)
    ]
    if not earlier:
        return None
    return repository.get(max(earlier, key=lambda row: (row.date, row.consult_id)).consult_id)


def document_name(record: ConsultRecord, what: What, fmt: str) -> str:
    extension = {"text": "txt", "html": "html", "pdf": "pdf"}[fmt]
    return f"{record.consult_id}-{what}.{extension}"


def save_documents(
    record: ConsultRecord,
    resources: Resources,
    folder: Path,
    fmt: str = "pdf",
    previous: ConsultRecord | None = None,
    paper: str = "a4",
    trail: tuple[int, str] | None = None,
    amendments: Sequence[Revision] = (),
) -> list[Path]:
    """Both documents of a consult into ``folder`` (created 0700), each 0600: patient data
    (``amendments``: as ``render_record``'s, which the summary lists).

    Returns the files written; ``OutputError`` (an ``OSError``) when one cannot be written.
    """
    from assistant.files.output import write_output

    written = []
    for what in ("patient", "summary"):
        content = render_record(record, resources, what, fmt, paper, previous, amendments, trail)  # type: ignore[arg-type]
        path = folder / document_name(record, what, fmt)  # type: ignore[arg-type]
        written.append(write_output(path, content if isinstance(content, bytes) else content.encode("utf-8")))
    return written
