"""The plan screen's footer at 80x24 (issue 22, leftovers): every key it offers reads whole, with G
(a consult to give) or K (one to sign), on the plan screen after planning and on a kept consult's
plan opened from Waiting (Esc Back in N's place). G and K are never offered at once: a consult
waits either to be given or to be signed, so the footer never has to hold both."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from assistant.files.resources import Resources
from assistant.tui.app import ConsultApp, make_app
from assistant.tui.screens.recorded_plan_screen import RecordedPlanScreen
from tests.helpers import INJECTOR, JUNIOR, TODAY
from tests.test_tui_chart import clinic, open_waiting  # noqa: F401 (the fixture)
from tests.test_tui_lifecycle import footer_keys, planned_by, sign_in, type_pin
from tests.tui_driving import press_give, screen_text, settle, until

KEYS = ("x Explain", "s PDFs", "p Print", "e Edit", "^q Quit")


def footer(app: ConsultApp) -> str:
    return screen_text(app).splitlines()[-1]


def reads_whole(app: ConsultApp, *more: str) -> None:
    line = footer(app)
    assert len(line) <= 80
    for words in (*KEYS, *more):
        assert words in line, line
    assert not {"give", "sign"} <= footer_keys(app)


async def give(pilot: Pilot) -> None:
    await press_give(pilot)  # with the patient's consent recorded first, as G offers
    await pilot.press("ctrl+s")
    await type_pin(pilot, INJECTOR)


async def test_the_plan_footer_reads_whole_at_80x24_with_given_or_sign(
    resources: Resources,
    clinic: Path,  # noqa: F811
) -> None:
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=(80, 24)) as pilot:
        await planned_by(pilot, INJECTOR)
        reads_whole(app, "n New consult", "g Given")
        await give(pilot)
        await until(pilot, lambda: "k Sign" in footer(app))
        reads_whole(app, "n New consult", "k Sign")


async def test_a_kept_consults_plan_footer_reads_whole_at_80x24(
    resources: Resources,
    clinic: Path,  # noqa: F811
) -> None:
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=(80, 24)) as pilot:
        await planned_by(pilot, JUNIOR)
        await app.run_action("sign_in")
        await sign_in(pilot, INJECTOR)
        await open_waiting(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, RecordedPlanScreen))
        await settle(pilot)
        reads_whole(app, "esc Back", "g Given")
        await give(pilot)
        await until(pilot, lambda: "k Sign" in footer(app))
        reads_whole(app, "esc Back", "k Sign")
