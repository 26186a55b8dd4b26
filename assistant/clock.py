"""The real date, read at the program's edges (the command line, the UI, the services); the core is
given it. Standard library only: the command line checks ``--today`` with it before the engine loads.
One function, so that a test pins the calendar without touching the system's."""

from __future__ import annotations

from datetime import date


def today() -> date:
    """This computer's date today."""
    return date.today()
