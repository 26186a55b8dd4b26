"""What the list of suggested patients says of each: her last visit and the zones last given read as
words, also when she has had no visit or nothing was given ("last zones none given" did not)."""

from __future__ import annotations

import datetime as dt

from assistant.core.lifecycle.register import Suggestion
from assistant.core.lifecycle.register_entry import Patient
from assistant.files.resources import Resources
from assistant.tui.screens.patient_match_screen import suggestion_text

KIM = Patient(patient_key="reg:kim", name="Kim Minji", date_of_birth=dt.date(1990, 3, 2), clinic_number="P-1")


def lines(resources: Resources, **last: object) -> list[str]:
    suggestion = Suggestion(patient=KIM, why="same name and date of birth", **last)  # type: ignore[arg-type]
    return [" ".join(line.split()) for line in suggestion_text(suggestion, resources.kb).plain.splitlines()]


def test_the_zones_last_given_are_named(resources: Resources) -> None:
    shown = lines(resources, last_date=dt.date(2026, 11, 5), last_zones=("glabella", "crows_feet"))
    assert "last visit 2026-11-05 · last zones Glabella, Crow's feet" in shown


def test_a_visit_with_nothing_given_says_so_in_words(resources: Resources) -> None:
    shown = lines(resources, last_date=dt.date(2026, 11, 5))
    assert "last visit 2026-11-05 · no doses given yet" in shown, shown
    assert not any("none given" in line or "last zones" in line for line in shown), shown


def test_no_visit_yet_says_so_once(resources: Resources) -> None:
    shown = lines(resources)
    assert "no visit yet" in shown, shown
    assert not any("last visit no visit" in line or "last zones" in line for line in shown), shown
