"""The patient's consent in the app: asked for before doses are recorded (G on the plan screen, the
chart's and the waiting list's give), recorded from the plan screen and the chart, and its form printed.

The rule is the services' (``consent_check``): this only asks (witness, photos, PIN), runs the use
case off the UI thread and says what came of it. Giving without the consent is refused with the same
sentence as the command line, and the consent is offered at once. The record is read again before the
question and once it is answered: doses given elsewhere meanwhile are said, and no consent is recorded.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from assistant.tui.messages import RecordChanged

if TYPE_CHECKING:
    from assistant.records import ConsultRecord
    from assistant.tui.collaborators.current import Current
    from assistant.tui.collaborators.host import Host
    from assistant.tui.collaborators.record_link import RecordLink
    from assistant.tui.collaborators.signed_in import SignedIn
    from assistant.tui.dialogs import Dialogs


class RecordDesk(Protocol):
    """What these use cases need of the record desk (``record_desk.RecordDesk``, which calls them:
    named here, not imported, so the two modules do not import each other)."""

    current: Current
    host: Host
    dialogs: Dialogs
    records: RecordLink
    signed_in: SignedIn

    async def run_use_case(self, job: Any, *args: Any, pin_again: bool = False) -> Any: ...


async def consent_before_giving(desk: RecordDesk, record: ConsultRecord) -> ConsultRecord | None:
    """The consult as it stands, once the doses may be recorded: the patient's consent holds (or the
    clinic only warns, which is said); else the refusal is said and recording the consent offered.

    The record is read again first, and again once the question is answered (it may wait long): given
    or signed elsewhere meanwhile, that is said and nothing is asked or recorded; consented elsewhere
    meanwhile, no second consent is asked. None: refused, and said."""
    from assistant.core.lifecycle.consent_rules import ConsentMissing
    from assistant.core.lifecycle.staff import NotPermitted
    from assistant.records import RecordsError
    from assistant.services.consent_check import require_consent
    from assistant.services.desk import now

    resources, asked = desk.current.files, False
    while (current := await still_to_give(desk, record.consult_id)) is not None:
        try:
            warning = await desk.dialogs.in_thread(
                require_consent, desk.records.desk, current, resources.clinic, now(), resources.consent_forms()
            )
        except ConsentMissing as missing:
            if asked:
                return await record_consent(desk, current, before_giving=True)
            if await desk.dialogs.yes_no(f"{missing.what} Record the signed consent now?", "Record consent", "Back"):
                asked = True
                continue
            desk.host.notify(str(missing), title="Nothing was recorded", severity="error", timeout=15)
            return None
        except (NotPermitted, RecordsError) as error:
            desk.host.notify(desk.records.in_words(error), title="Nothing was recorded", severity="error", timeout=15)
            return None
        if warning is not None:
            desk.host.notify(
                f"{warning} (recorded anyway: the clinic's setting)", title="No consent", severity="warning"
            )
        return current
    return None


async def still_to_give(desk: RecordDesk, consult_id: str) -> ConsultRecord | None:
    """The consult as the record keeps it now, when its doses may still be recorded; None once the
    reason is said (given or signed meanwhile, by whom and when; the record not read)."""
    from assistant.core.lifecycle import rules
    from assistant.tui.collaborators.amending import kept_record

    if (record := await kept_record(desk, consult_id)) is None:
        return None
    try:
        rules.still_to_give(record)
    except rules.AlreadyDone as done:
        desk.host.notify(str(done), title="Nothing was recorded", severity="error", timeout=15)
        return None
    return record


async def record_consent(
    desk: RecordDesk, record: ConsultRecord, *, before_giving: bool = False
) -> ConsultRecord | None:
    """Ask the witness, the photo consent and the PIN of who is signed in; record the current form. A
    wrong PIN asks again, the witness and photos as typed. ``before_giving``: G's step, refused once
    the doses are recorded (elsewhere, meanwhile)."""
    from assistant.core.lifecycle.staff import WrongPin
    from assistant.services import consent

    account, resources = desk.signed_in.account, desk.current.files
    if account is None:
        desk.host.notify("Sign in first: recording a consent is a signed act.", title="Not signed in")
        return None
    forms = resources.consent_forms()
    version = forms.version("treatment") or "?"
    message = (
        f"Consent form 'treatment' version {version} (the form in use), signed by {record.patient_name}: "
        f"the witness, the photo consent, and the PIN of {account.name}."
    )
    entry, refusal = None, None
    while True:
        entry = await desk.dialogs.consent(message, entry, refusal)
        account = desk.signed_in.account  # who is at the keyboard now (the lock may have come meanwhile)
        if entry is None or account is None:
            return None
        job = partial(
            consent.record_consent, desk.records.desk, record.consult_id, account.name, entry.pin, resources.kb,
            version="current", witness=entry.witness, photos=entry.photos, clinic=resources.clinic, forms=forms,
            before_giving=before_giving,
        )  # fmt: skip
        updated = await desk.run_use_case(job, pin_again=True)
        if not isinstance(updated, WrongPin):
            break
        refusal = str(updated)
    if updated is not None:
        desk.host.tell_screens(RecordChanged(updated))
        photos = "photos agreed" if entry.photos else "no photos"
        desk.host.notify(f"Consent recorded: version {version}, witness {entry.witness}, {photos}.", title="Consent")
    return updated


async def print_form(desk: RecordDesk, record: ConsultRecord, folder: Path) -> Path | None:
    """The consent forms filled in for the patient, saved as a PDF in ``folder`` (to print and sign)."""
    from assistant.files.output import OutputError, write_output
    from assistant.services.consent import consent_pdf

    resources = desk.current.files
    job = partial(
        consent_pdf, desk.records.desk, record.consult_id, resources.kb, resources.clinic,
        forms=resources.consent_forms(), templates_dir=resources.templates_dir,
    )  # fmt: skip
    pdf = await desk.run_use_case(job)
    if pdf is None:
        return None
    try:
        written = await desk.dialogs.in_thread(write_output, folder / f"{record.consult_id}-consent.pdf", pdf)
    except OutputError as error:
        desk.host.notify(str(error), title="The consent form was not saved", severity="error", timeout=15)
        return None
    desk.host.notify(f"The consent forms are in {written}: print them and have them signed.", title="Consent form")
    return written


def from_plan_screen(desk: RecordDesk, record: ConsultRecord, folder: Path, print_form_only: bool) -> None:
    """The plan screen's C (record the consent) or O (its form, as a PDF to sign), as one dialog."""
    desk.in_dialog(
        lambda: print_form(desk, record, folder) if print_form_only else record_consent(desk, record),
        "consent",
    )
