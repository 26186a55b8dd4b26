"""A pasted text is typed in order, every character as it is, or not at all (issue 20).

A tab in a paste used to move the cursor to another field half-way: "Ann<TAB>Leigh" then the date
of birth on the next line gave the patient the name "Ann1988-05-14". A no-break space (a name
copied from a web page) was dropped: "AnnLeigh".
"""

from __future__ import annotations

from datetime import date

from textual import events
from textual.widgets import Input

from assistant.files.resources import Resources
from assistant.tui.app import make_app
from tests.helpers import TODAY
from tests.test_tui_consult import SIZE
from tests.tui_driving import burst, settle

ANN = {"patient_name": "Ann Leigh", "date_of_birth": date(1988, 5, 14), "patient_id": "C-77"}


def notices(app: object) -> list[str]:
    return [n.message for n in app._notifications]  # type: ignore[attr-defined]


async def test_a_paste_with_a_tab_is_not_typed_at_all(resources: Resources) -> None:
    app = make_app(resources, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        app.post_message(events.Paste("Ann\tLeigh\n1988-05-14\nC-77\n"))
        await settle(pilot)
        assert "patient_name" not in app.session.answers
        assert app.screen.query_one("#answer-text", Input).value == ""
        assert any("Nothing was typed from the paste" in n and "tab (U+0009) on line 1" in n for n in notices(app))
        burst(app, "Ann Leigh", "enter", "1988-05-14", "enter", "C-77", "enter")  # typed again: taken as usual
        await settle(pilot)
        assert {k: app.session.answers.get(k) for k in ANN} == ANN


async def test_a_paste_with_an_invisible_character_is_not_typed(resources: Resources) -> None:
    app = make_app(resources, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        app.post_message(events.Paste("Ann\u200bLeigh\n"))
        await settle(pilot)
        assert "patient_name" not in app.session.answers
        assert any("ZERO WIDTH SPACE (U+200B)" in n for n in notices(app))


async def test_a_no_break_space_in_a_paste_is_a_space(resources: Resources) -> None:
    app = make_app(resources, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        app.post_message(events.Paste("Ann\u00a0Leigh\r\n1988-05-14\rC-77\r\n"))
        await settle(pilot)
        assert {k: app.session.answers.get(k) for k in ANN} == ANN


async def test_pastes_and_keys_sent_together_land_in_the_order_sent(resources: Resources) -> None:
    app = make_app(resources, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        burst(app, "Ann", " ")
        app.post_message(events.Paste("Leigh\n1988-05-"))
        burst(app, "14", "enter")
        app.post_message(events.Paste("C-77\n"))
        await settle(pilot)
        assert {k: app.session.answers.get(k) for k in ANN} == ANN
