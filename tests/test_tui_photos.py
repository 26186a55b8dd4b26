"""Adding a photo from the UI by keypress (issue 23.3): F on the plan screen, the file picked from the
clinic's camera folder, its kind chosen, the PIN; a typed path that is not a photo is refused with
the sentence saying so, and nothing is added. A real TinyDB folder, real JPEGs."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from pathlib import Path

from assistant.files.resources import Resources
from assistant.records import TinyDBStore
from assistant.settings import PhotoSettings
from assistant.tui.app import ConsultApp, make_app
from assistant.tui.screens.photo_screen import PhotoScreen
from assistant.tui.screens.plan_screen import PlanScreen
from tests.helpers import INJECTOR, TODAY
from tests.photo_helpers import gps_of, jpeg_with_gps, record_photo_consent
from tests.test_tui_chart import SIZE, clinic
from tests.test_tui_lifecycle import planned_by, type_pin
from tests.tui_driving import screen_text, settle, until

__all__ = ["clinic"]  # the fixture, used by name


def said(app: ConsultApp) -> str:
    return " | ".join(str(n.message) for n in app._notifications)  # type: ignore[attr-defined]


def _with_camera_folder(resources: Resources, folder: Path) -> Resources:
    photos = PhotoSettings(folder=str(folder))
    return dataclasses.replace(resources, clinic=resources.clinic.model_copy(update={"photos": photos}))


async def test_a_photo_picked_from_the_camera_folder_is_added_from_the_plan_screen(
    resources: Resources, clinic: Path, tmp_path: Path
) -> None:
    camera = tmp_path / "camera"
    camera.mkdir()
    older = jpeg_with_gps(camera / "IMG_0001.jpg")
    newest = jpeg_with_gps(camera / "IMG_0002.jpg", colour=(90, 60, 50))
    os.utime(older, (1_700_000_000, 1_700_000_000))
    (camera / "notes.txt").write_text("not listed", encoding="utf-8")
    notes = tmp_path / "notes.txt"
    notes.write_text("not a photo\n", encoding="utf-8")
    app = make_app(_with_camera_folder(resources, camera), TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await planned_by(pilot, INJECTOR)
        assert isinstance(app.screen, PlanScreen) and app.screen.record is not None
        consult_id = app.screen.record.consult_id
        record_photo_consent(TinyDBStore(clinic), consult_id, dt.datetime.now(dt.UTC))

        await pilot.press("f")  # a typed path that is not a photo: said, nothing added
        await until(pilot, lambda: isinstance(app.screen, PhotoScreen))
        assert "IMG_0002.jpg" in screen_text(app) and "notes.txt" not in screen_text(app)
        await pilot.press(*str(notes), "enter")
        await type_pin(pilot, INJECTOR)
        await until(pilot, lambda: "is not a JPEG or PNG photo: it is a text file." in said(app), why=lambda: said(app))
        assert TinyDBStore(clinic).get(consult_id).photos == ()  # type: ignore[union-attr]

        await pilot.press("f")  # picked from the folder (newest first), kind After, then the PIN
        await until(pilot, lambda: isinstance(app.screen, PhotoScreen))
        await pilot.press("tab", "enter")  # the list's first file: its path in the box
        await settle(pilot)
        await pilot.press("shift+tab", "down", "enter")  # the kind: After
        await pilot.press("tab", "enter")
        await type_pin(pilot, INJECTOR)
        store = TinyDBStore(clinic)
        await until(pilot, lambda: store.get(consult_id).photos != ())  # type: ignore[union-attr]
        [ref] = store.get(consult_id).photos  # type: ignore[union-attr]
        assert (ref.kind, ref.name, ref.by) == ("after", "IMG_0002.jpg", INJECTOR)
        kept = store.photo(ref.sha256)
        assert kept is not None and gps_of(kept.data) == {} and gps_of(newest.read_bytes())
        await until(pilot, lambda: "IMG_0002.jpg: a after photo of" in said(app), why=lambda: said(app))
