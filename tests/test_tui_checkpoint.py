"""The daily checkpoint from the consult UI (issue 20, section 2): the day's first act of a signed-in
person writes it into ``checkpoint_dir``; a folder that cannot be reached is a notice, and the
consult is kept all the same."""

from __future__ import annotations

from pathlib import Path

from assistant.core.lifecycle import checkpoint as notes
from assistant.files.resources import Resources
from assistant.records import TinyDBStore
from assistant.services import audit_trail
from assistant.tui.app import make_app
from assistant.tui.screens.plan_screen import PlanScreen
from tests.helpers import JUNIOR, TODAY
from tests.test_tui_lifecycle import SIZE, clinic, planned_by  # noqa: F401 (the fixture)
from tests.tui_driving import settle


def with_checkpoints(resources: Resources, folder: Path) -> Resources:
    settings = resources.clinic.model_copy(update={"checkpoint_dir": str(folder)})
    return resources.__class__(**{**resources.__dict__, "clinic": settings})


async def test_an_unreachable_folder_is_a_notice_and_the_consult_is_kept(
    resources: Resources,
    clinic: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    app = make_app(with_checkpoints(resources, tmp_path / "stick-not-plugged-in"), TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await planned_by(pilot, JUNIOR)
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen) and app.screen.record is not None
        record = app.screen.record
        said = [n.message for n in app._notifications]  # type: ignore[attr-defined]
        assert [m for m in said if "the daily checkpoint could not be written" in m and "stick-not-plugged-in" in m]
    assert TinyDBStore(clinic).get(record.consult_id) is not None
    assert audit_trail.check(TinyDBStore(clinic)).ok


async def test_the_days_first_act_in_the_ui_writes_its_checkpoint(
    resources: Resources,
    clinic: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    app = make_app(with_checkpoints(resources, usb), TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await planned_by(pilot, JUNIOR)
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen) and app.screen.record is not None
    [written] = usb.iterdir()
    assert notes.parse(written.read_text()).signer == JUNIOR
    assert audit_trail.check(TinyDBStore(clinic)).ok
