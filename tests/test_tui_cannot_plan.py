"""P refused at once (answers that cannot be planned): the keys typed after P, blind, for the account
picker's PIN that never came, are dropped and the notice says so. A tryout typed P, Enter, a PIN and
Enter in one go on a consult whose asymmetry could not be planned: the PIN went to the ask box, was
searched for and shown in the conversation ("? 222222 / Nothing found for '222222'")."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from assistant.files.resources import Resources
from assistant.tui.app import make_app
from tests.helpers import PINS, TODAY
from tests.test_tui_consult import pick_zones
from tests.test_tui_lifecycle import INJECTOR, SIZE, clinic  # noqa: F401  (clinic: the staff fixture)
from tests.test_tui_patients import answer
from tests.tui_driving import burst, screen_text, settle, until


async def choose(pilot: Pilot, label: str) -> None:
    """The choice whose words start with ``label``, from wherever the highlight is, then Enter."""
    choices = pilot.app.screen.query_one("#answer-single", OptionList)
    words = [str(choices.get_option_at_index(i).prompt) for i in range(choices.option_count)]
    target = next(i for i, text in enumerate(words) if text.startswith(label))
    here = choices.highlighted if choices.highlighted is not None else -1
    burst(pilot.app, *(["down"] * (target - here) if target > here else ["up"] * (here - target)), "enter")
    await settle(pilot)


async def test_a_pin_typed_after_a_refused_p_is_dropped_never_shown(resources: Resources, clinic: Path) -> None:  # noqa: F811
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await answer(pilot, until="zones", patient_name="Mina Park", date_of_birth="1990-03-02")
        await pick_zones(pilot, ["marionette"])
        for label in ("Thin", "Weak", "Subtle"):
            await choose(pilot, label)
        burst(app, "ctrl+a", "ctrl+k", "never", "enter", "y")  # no earlier treatment; an asymmetry
        await settle(pilot)
        burst(app, "down", "enter")  # its zone: the one treated
        await settle(pilot)
        await choose(pilot, "Patient's left")
        burst(app, "ctrl+a", "ctrl+k", "0.2", "enter", "enter", "enter")  # 0.2 U more; no goals, no lot
        await settle(pilot)
        assert type(app.screen).__name__ == "ReviewScreen", type(app.screen).__name__
        burst(app, "escape", "f3", "f2")  # back, to the ask box (F3), the review again (F2), as the tryout
        await settle(pilot)
        assert type(app.screen).__name__ == "ReviewScreen", type(app.screen).__name__
        burst(app, "p", "enter", PINS[INJECTOR], "enter")  # as a quick typist: the picker's Enter and the PIN
        await until(pilot, lambda: any(n.title == "Cannot plan yet" for n in app._notifications))
        await app.workers.wait_for_complete()
        await settle(pilot)
        said = next(n.message for n in app._notifications if n.title == "Cannot plan yet")
        assert "below the typical minimum" in said and "typed after P not used" in said, said
        assert PINS[INJECTOR] not in screen_text(app)
        assert all(PINS[INJECTOR] not in box.value for box in app.screen.query(Input))
        assert PINS[INJECTOR] not in str(app.session.answers)
