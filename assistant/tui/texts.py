"""Fixed words of the interface that more than one screen shows."""

ASK_PLACEHOLDER = "? Ask the knowledge base, e.g. ? max glabella   (F3)"

NEW_PATIENT = "new-patient"
"""What the patient-match dialog answers for "No, a different person" (else a patient key, or None)."""
