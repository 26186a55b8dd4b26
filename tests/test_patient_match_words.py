"""What the list of suggested patients says: of each, her last visit and the zones last given as words,
also when she has had no visit or nothing was given ("last zones none given" did not); of the consult,
the name as typed."""

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


async def test_the_name_typed_is_said_as_typed_and_hers_as_the_register_writes_it(resources: Resources) -> None:
    """Typed "Kim  Minji" (two spaces) is the register's Kim Minji: names are matched with their spaces
    tidied (``register_entry.exact_name``), so she is suggested, and linking her names the consult as her
    record does. Until then the consult keeps what was typed (header, transcript): the list says that
    name as typed too, not squeezed, beside hers as the register writes it."""
    from textual.app import App

    from assistant.core.lifecycle.register import Identifiers, Identity
    from assistant.tui.screens.patient_match_screen import PatientMatchScreen
    from tests.tui_driving import screen_text

    typed = "Kim  Minji"
    identity = Identity(
        identifiers=Identifiers(name=typed, date_of_birth=dt.date(1990, 3, 2)),
        suggestions=(Suggestion(patient=KIM, why="the same name and date of birth, with clinic number P-1"),),
    )
    screen = PatientMatchScreen(identity, resources.kb, typed)

    class Asking(App[None]):
        def on_mount(self) -> None:
            self.push_screen(screen)

    app = Asking()
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        shown = screen_text(app)
        assert "Kim  Minji (born 1990-03-02) may be a patient the record already knows" in shown, shown
        assert "Yes, this is her: Kim Minji " in shown, shown
