"""First run with no clinic settings (issue 10.10): asked once, in the UI or with
``botulax-consult setup``, and saved as the user's clinic.toml for the owner only."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tomllib
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from assistant import locations
from assistant.cli import main
from assistant.documents import render_patient
from assistant.files.resources import Resources, load_resources
from assistant.tui.app import make_app
from tests.helpers import TODAY
from tests.test_tui_consult import SIZE
from tests.test_tui_plan import to_plan
from tests.tui_driving import burst, settle


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask():
    """Another user's umask: nothing created here may inherit it."""
    old = os.umask(0)
    yield
    os.umask(old)


def test_setup_with_flags_writes_the_users_clinic_file(open_umask, capsys) -> None:
    code = main(
        ["setup", "--name", "Seoul Skin", "--phone", "+82 2 555 0101", "--saline-ml", "2",
         "--price-per-unit", "9.5", "--currency", "krw"]
    )  # fmt: skip
    assert code == 0
    target = locations.user_clinic_file()
    assert tomllib.loads(target.read_text(encoding="utf-8")) == {
        "name": "Seoul Skin",
        "phone": "+82 2 555 0101",
        "saline_ml": 2.0,
        "price_per_unit": 9.5,
        "currency": "KRW",
    }
    assert mode(target) == 0o600 and mode(target.parent) == 0o700
    assert str(target) in capsys.readouterr().err
    loaded = load_resources()
    assert loaded.value is not None and loaded.value.clinic.name == "Seoul Skin", "used from the next start"


def test_setup_keeps_what_it_is_not_told(capsys) -> None:
    assert main(["setup", "--name", "Seoul Skin", "--phone", "+82 2 555 0101"]) == 0
    assert main(["setup", "--price-per-unit", "12"]) == 0
    saved = tomllib.loads(locations.user_clinic_file().read_text(encoding="utf-8"))
    assert saved["name"] == "Seoul Skin" and saved["phone"] == "+82 2 555 0101" and saved["price_per_unit"] == 12


@pytest.mark.parametrize(
    ("flag", "value", "words"),
    [
        ("--saline-ml", "abc", "Saline per vial (mL): 'abc' is not a number."),
        ("--saline-ml", "-1", "Saline per vial (mL): must be more than 0; -1 was typed."),
        ("--price-per-unit", "-3", "Price per unit: must be 0 or more; -3 was typed."),
        ("--currency", "EURO", "Currency (3 letters): must be at most 3 characters; 'EURO' was typed."),
        ("--name", "", "Clinic name"),
        ("--phone", "1990-05-12", "Phone patients call: '1990-05-12' is a date, not a phone number."),
        ("--phone", "12/05/1990", "Phone patients call: '12/05/1990' is a date, not a phone number."),
        ("--phone", "Mina Park", "Phone patients call: 'Mina Park' is not a phone number"),
        ("--phone", "555", "Phone patients call: '555' is not a phone number"),
    ],
)
def test_setup_refuses_a_bad_value_with_a_sentence_and_writes_nothing(flag, value, words, capsys) -> None:
    assert main(["setup", flag, value]) == 2
    err = capsys.readouterr().err
    assert words in err and "nothing was written" in err and "Traceback" not in err
    assert not locations.user_clinic_file().exists()


@pytest.mark.parametrize(
    "phone", ["+82 2 555 0101", "(02) 555-0101", "02.555.0101 ext. 12", "1588-1234", "555 0101 x3"]
)
def test_setup_takes_a_phone_as_clinics_write_one(phone: str, capsys) -> None:
    assert main(["setup", "--phone", phone]) == 0
    assert tomllib.loads(locations.user_clinic_file().read_text(encoding="utf-8"))["phone"] == phone


def test_setup_asks_on_a_terminal_and_asks_again_after_a_bad_value(tmp_path: Path) -> None:
    """Run in a real pseudo-terminal: Enter keeps a value, '-' empties it, a bad value is asked again."""
    import pty

    leader, follower = pty.openpty()
    typed = "Busan Clinic\n+82 51 000 0000\nlots\n-\nusd\n\n\n3\n\n\n"
    process = subprocess.Popen(
        [sys.executable, "-c", "import sys; from assistant.cli import main; sys.exit(main(['setup']))"],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=os.environ.copy(),
    )
    os.close(follower)
    os.write(leader, typed.encode())
    output = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    assert process.wait(20) == 0, output.decode(errors="replace")
    os.close(leader)
    text = output.decode(errors="replace")
    assert "Not taken: Saline per vial (mL): 'lots' is not a number." in text
    saved = tomllib.loads(locations.user_clinic_file().read_text(encoding="utf-8"))
    assert saved == {"name": "Busan Clinic", "phone": "+82 51 000 0000", "saline_ml": 3.0, "currency": "USD"}


def test_the_readme_says_what_the_shipped_settings_set() -> None:
    readme = (locations.PACKAGE_DIR.parent / "README.md").read_text(encoding="utf-8")
    shipped = tomllib.loads(locations.CLINIC_DEFAULTS.read_text(encoding="utf-8"))
    assert "session_max_units" not in shipped
    row = next(line for line in readme.splitlines() if line.startswith("| `assistant/clinic.default.toml`"))
    assert "a lower session maximum |" not in row


async def test_the_first_start_asks_for_the_clinic_and_uses_it(resources: Resources, open_umask, tmp_path) -> None:
    app = make_app(resources, TODAY, data_dir=tmp_path, ask_clinic=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert type(app.screen).__name__ == "SetupScreen"
        assert all(field.disabled for field in app.screen.query(Input)), "an offer first: no field takes keys"
        burst(app, "enter")  # "Set them now"
        await settle(pilot)
        assert app.focused is not None and app.focused.id == "setup-name"
        fields = {field.id: field.value for field in app.screen.query(Input)}
        assert fields == {
            "setup-name": "Our clinic",
            "setup-phone": "",
            "setup-saline_ml": "2.5",
            "setup-price_per_unit": "",
            "setup-currency": "USD",
        }, "the shipped values (the label's dilution) as defaults"
        burst(app, "Seoul Skin Clinic", "enter", "+82 2 555 0101", "enter", "enter", "9", "enter", "krw", "enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "ConsultScreen"
        target = locations.user_clinic_file()
        assert mode(target) == 0o600 and mode(target.parent) == 0o700
        assert app.resources.clinic.phone == "+82 2 555 0101"
        await to_plan(pilot)
        plan = app.screen.plan
        assert plan.currency == "KRW" and plan.cost == 180
        totals = str(app.screen.query_one("#plan-totals", Static).render())
        assert "cost ₩180 ·" in totals, "the screen writes money as the papers do (documents.money)"
        sheet = str(render_patient(plan, resources.kb, app.resources.clinic, "text"))
        assert "Seoul Skin Clinic" in sheet and "+82 2 555 0101" in sheet
        assert "____" not in sheet, "no blank phone line when a phone is known"


async def test_typing_before_the_clinic_dialog_opens_is_not_caught_by_it(resources: Resources, tmp_path) -> None:
    app = make_app(resources, TODAY, data_dir=tmp_path, ask_clinic=True)
    async with app.run_test(size=SIZE) as pilot:
        burst(app, "Mina Park", "enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "ConsultScreen"
        assert app.session.answers == {"patient_name": "Mina Park"}
        said = " ".join(str(t.render()) for t in app.screen.query("KnowledgeTurn"))
        assert "No clinic settings are set yet" in said and "Clinic settings" in said
    assert not locations.user_clinic_file().exists()


async def test_a_name_typed_when_the_clinic_dialog_opens_goes_to_the_consult(resources: Resources, tmp_path) -> None:
    """The dialog opens by itself a moment after launch, over the consult, while the person may be
    typing the patient's name without looking up: the name is never typed into "Clinic name" nor the
    date of birth into "Phone". The offer closes at the first key and every key reaches the consult."""
    app = make_app(resources, TODAY, data_dir=tmp_path, ask_clinic=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert type(app.screen).__name__ == "SetupScreen"
        burst(app, "Mina Park", "enter", "1990-05-12", "enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "ConsultScreen"
        answers = app.session.answers
        assert answers["patient_name"] == "Mina Park" and answers["date_of_birth"] == date(1990, 5, 12)
        said = " ".join(str(t.render()) for t in app.screen.query("KnowledgeTurn"))
        assert "No clinic settings are set yet" in said and "Clinic settings" in said, "where to set them later"
    assert not locations.user_clinic_file().exists()


async def test_escape_leaves_the_settings_for_now(resources: Resources, tmp_path) -> None:
    app = make_app(resources, TODAY, data_dir=tmp_path, ask_clinic=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert type(app.screen).__name__ == "SetupScreen"
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "ConsultScreen"
    assert not locations.user_clinic_file().exists()


def test_the_ui_asks_only_when_no_clinic_settings_exist(monkeypatch) -> None:
    """`botulax-consult` with no --clinic and no clinic.toml asks; with either, it does not."""
    from assistant.cli import consult

    made: list[bool] = []

    def fake_run(self, **kwargs) -> None:  # the UI itself is driven by the Pilot tests above
        made.append(self.current.ask_clinic)

    monkeypatch.setattr("assistant.tui.app.ConsultApp.run", fake_run)  # Textual's run: not started here
    consult.cmd_ui(_args([]))
    _write_clinic()
    consult.cmd_ui(_args([]))
    consult.cmd_ui(_args(["--clinic", str(locations.CLINIC_DEFAULTS)]))
    assert made == [True, False, False]


def _args(words: list[str]):
    from assistant.cli.parser import parse_arguments

    return parse_arguments(words)


def _write_clinic() -> None:
    assert main(["setup", "--name", "Seoul Skin"]) == 0


async def test_a_refused_phone_is_shown_and_its_field_takes_the_correction(resources: Resources, tmp_path) -> None:
    """At 80x24 the refusal was below the dialog's fold and the cursor stayed on the last field:
    nothing seemed to happen. Now the sentence is scrolled into sight and the phone has the cursor,
    its text selected, so typing the right number replaces the date."""
    app = make_app(resources, TODAY, data_dir=tmp_path, ask_clinic=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(app, "enter", "Seoul Skin Clinic", "enter", "1990-05-12", "enter", "enter", "enter", "enter")
        await settle(pilot)
        await pilot.pause()
        problems = app.screen.query_one("#setup-problems", Static)
        assert "'1990-05-12' is a date, not a phone number." in str(problems.render())
        dialog = app.screen.query_one("#dialog")
        assert problems.region.y >= dialog.region.y and problems.region.bottom <= dialog.region.bottom, "in sight"
        assert app.focused is not None and app.focused.id == "setup-phone"
        burst(app, "+82 2 555 0101", "enter", "enter", "enter", "enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "ConsultScreen"
        assert app.resources.clinic.phone == "+82 2 555 0101"
