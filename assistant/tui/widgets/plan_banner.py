"""The plan's two-line banner: what was planned, and where the record stands (kept or not, given,
signed, what was given otherwise than planned). Plain text from the plan and its record, so the
words are the same wherever the plan is shown."""

from __future__ import annotations

from rich.text import Text

from assistant.core.lifecycle.what_is_signed import differences
from assistant.core.plan import Plan
from assistant.core.text import counted, number
from assistant.records import ConsultRecord


def banner(plan: Plan, record: ConsultRecord | None, *, trainer: bool, waiting: bool) -> Text:
    """``waiting``: not saved because the record server is away (kept here until it is back)."""
    if trainer:
        saved = "Dry run: not saved."
    elif record is not None:
        saved = f"Saved as consult {record.consult_id}" + state_words(record) + run_by(record)
    elif waiting:
        saved = "NOT SAVED YET: kept on this computer until the record server is back."
        if plan.lines and plan.earlier_units is None:  # said here, not in a notice over the plan
            saved += " Earlier doses not counted: check the patient's record before injecting."
    else:
        saved = "NOT SAVED."
    if plan.status == "contraindicated" and record is not None and record.given is not None:
        units = number(record.given.total_units)
        text = f"CONTRAINDICATED by the answers now kept: {plan.patient_name} was given {units} U before that."
    elif plan.status == "contraindicated":
        text = f"STOP: {plan.patient_name} cannot be treated today. No dose is planned."
    elif plan.status == "refused":
        text = "REFUSED: the plan is above the session maximum. No dose is planned."
    else:
        count = len({line.zone for line in plan.lines})
        zones = counted(count, "zone")
        text = f"Dose plan for {plan.patient_name}, {plan.today.isoformat()}: {zones} today."
    return Text(f"{text}\n{saved}", style="bold")


def run_by(record: ConsultRecord) -> str:
    """Who the record says ran the consult, on screen as on the dose summary: a name typed into the
    dialog at the first plan (a key meant for the plan screen, say) is seen before it is printed."""
    return f" Run by {record.staff}." if record.staff else " Run by: not recorded."


def state_words(record: ConsultRecord) -> str:
    """Where the record stands, in one state: "(planned); not given yet.", "(contraindicated).", or once
    given the state alone (": given by ..." / ": signed by ..."), never "(planned)" beside "signed by"."""
    if record.state == "signed":
        names = ", ".join(s.name for s in record.signatures)
        waits = "; waits for a medical director's co-signature" if record.awaiting_cosign else ""
        return f": signed by {names}{waits}." + given_differently(record)
    if record.state == "given" and record.given is not None:
        return (
            f": given by {record.given.by} ({number(record.given.total_units)} U); not signed yet."
            + given_differently(record)
        )
    if record.state != "planned":  # amended, or any later state: the record's own word
        return f" ({record.state})." + given_differently(record)
    return (
        f" ({record.status}); not given yet."
        if record.status == "planned" and record.plan.lines
        else f" ({record.status})."
    )


def given_differently(record: ConsultRecord) -> str:
    """The lines injected otherwise than planned, with their reasons (the table shows the plan), in the
    words signing shows (``what_is_signed.differences``)."""
    changed = [line.strip() for line in differences(record)]
    return f"\nGiven otherwise than planned: {'; '.join(changed)}." if changed else ""
