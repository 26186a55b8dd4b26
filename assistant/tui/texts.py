"""Fixed words of the interface that more than one screen shows."""

ASK_PLACEHOLDER = "? Ask the knowledge base, e.g. ? max glabella   (F3)"

NEW_PATIENT = "new-patient"
"""What the patient-match dialog answers for "No, a different person" (else a patient key, or None)."""

SAME_DAY_OPEN = "open"
SAME_DAY_SECOND = "second"
"""What the same-day question returns: open the consult kept today, or plan a second one."""
