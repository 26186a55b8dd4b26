"""Fixed words of the interface that more than one screen shows."""

ASK_PLACEHOLDER = "? Ask the knowledge base, e.g. ? max glabella   (F3)"
