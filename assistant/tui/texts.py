"""Fixed words of the interface that more than one screen shows."""

ASK_PLACEHOLDER = "? Ask the knowledge base, e.g. ? max glabella   (F3)"

NEW_PATIENT = "new-patient"
"""What the patient-match dialog answers for "No, a different person" (else a patient key, or None)."""

LOT_PICK = (
    "Which Botulax vial will you draw from? Enter takes the highlighted open vial; "
    "pick “Another lot” to type a lot number, or “No lot” to leave it out."
)
"""The lot question while vials are open: Enter picks a vial there, so the script's "Enter to skip"
would say the opposite of what happens (issue 22.9)."""

CHANGES_DROPPED = (
    "The answers changed on the kept consult that was on screen were not planned again: it stays as "
    "it was kept, without them."
)
"""Said when another consult takes the place of a kept one whose changes were not planned again
(``Current.changes_unplanned``; leaving the program or starting a new consult asks first)."""

SAME_DAY_OPEN = "open"
SAME_DAY_SECOND = "second"
"""What the same-day question returns: open the consult kept today, or plan a second one."""


def unlinked_words(name: str, typed: str) -> str:
    """Said when a changed date of birth or clinic number drops the link ``linked_words`` made: the
    consult no longer carries her record's spelling, which may be another person's name."""
    return (
        f"No longer linked to {name}'s record (an identifier changed): the name is again as it was typed, "
        f"“{typed}”. Change it (Esc) if it needs correcting."
    )


def linked_words(name: str, typed: str) -> str:
    """Said when a consult is linked to a registered patient whose record writes her name otherwise
    than it was typed: the typed answer stays above in the transcript, and this says which spelling
    is used from now on, and how to undo a wrong pick."""
    return (
        f"Linked to {name}'s record. Her name is written as in the record, “{name}”, on the plan, the "
        f"documents and the record (it was typed “{typed}”). If this is not her, go back (Esc) to her "
        "name, date of birth or clinic number: changing one asks again who she is."
    )
