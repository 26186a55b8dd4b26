"""Issue 19.3: every path that records a dose checks it, as planning does (on both stores).

``give`` and ``amend --given`` count the doses being recorded against each zone's limit and the
session maximum over the window before the day of giving (the patient's other doses given,
same-day consults included); past one: exit 4 naming both figures, unless a medical director
gives ``--override-reason`` with their PIN, which is recorded, audited, shown and printed.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from assistant.locations import EXAMPLES_DIR
from tests.helpers import DIRECTOR, INJECTOR, PINS, Cli
from tests.staff_register import DIRECTOR_AND_INJECTOR, StaffRegisters

FULL_FACE = (EXAMPLES_DIR / "full_face.yaml").read_text(encoding="utf-8").split("\n# What a rehearsal")[0]
"""Mina Park, P-1042: glabella 20 U, forehead 12 U, crow's feet 10 U a side: 52 U."""

HEAVY_GLABELLA = """\
lines:
  - {zone: glabella, units: 30, points: 5, reason: strong frown}
  - {zone: forehead, units: 12, points: 6}
  - {zone: crows_feet, side: left, units: 10, points: 4}
  - {zone: crows_feet, side: right, units: 10, points: 4}
"""


@pytest.fixture
def clinic(cli: Cli, staff_registers: StaffRegisters) -> Cli:
    """A record with a medical director and an injector."""
    return staff_registers.copy_into(cli, DIRECTOR_AND_INJECTOR)


def consult_on(cli: Cli, folder: Path, day: dt.date, *extra: str) -> str:
    """Mina Park's full-face consult dated ``day``, planned and kept; its id."""
    answers = folder / f"consult-{day.isoformat()}-{len(list(folder.glob('consult-*')))}.yaml"
    answers.write_text(FULL_FACE.replace("today: 2026-11-24", f"today: {day.isoformat()}"), encoding="utf-8")
    code, out, err = cli("run", str(answers), "--staff", INJECTOR, "--format", "json", *extra)
    assert code == 0, err
    return json.loads(out)["consult_id"]


def clinic_file(folder: Path, maximum: int) -> Path:
    path = folder / "clinic.toml"
    path.write_text(f'name = "Test"\nsession_max_units = {maximum}\n', encoding="utf-8")
    return path


def give(cli: Cli, consult_id: str, by: str, *extra: str) -> tuple[int, str, str]:
    return cli("give", consult_id, "--by", by, *extra, "--pin-stdin", pins=(PINS[by],))


def test_a_dose_above_a_zones_limit_is_refused_unless_a_medical_director_overrides_it(
    clinic: Cli, tmp_path: Path
) -> None:
    consult_id = consult_on(clinic, tmp_path, dt.date.today())
    given = tmp_path / "given.yaml"
    given.write_text(HEAVY_GLABELLA, encoding="utf-8")

    code, out, err = give(clinic, consult_id, INJECTOR, "--given", str(given))
    assert code == 4, (out, err)
    assert "glabella: 30 U given, above its limit of 25 U (the caution threshold) [reference-article]" in err
    assert "nothing was recorded" in err and "--override-reason" in err
    assert clinic.json("show", consult_id)["state"] == "planned"

    code, _, err = give(clinic, consult_id, INJECTOR, "--given", str(given), "--override-reason", "asked for it")
    assert code == 5 and "only a medical director may record doses past a limit" in err
    assert clinic.json("show", consult_id)["state"] == "planned"

    reason = "very strong corrugators, discussed with the patient"
    code, out, err = give(clinic, consult_id, DIRECTOR, "--given", str(given), "--override-reason", reason)
    assert code == 0, err
    assert "past a limit" in out
    view = clinic.json("show", consult_id)
    assert view["state"] == "given"
    override = view["override"]
    assert (override["by"], override["role"], override["reason"]) == (DIRECTOR, "medical_director", reason)
    [breach] = override["breaches"]
    assert (breach["kind"], breach["zone"], breach["units"], breach["limit"]) == ("zone", "glabella", 30, 25)

    code, text, _ = clinic("show", consult_id)
    assert f"PAST A LIMIT, overridden by {DIRECTOR} (medical director)" in text and reason in text
    assert "glabella: 30 U given, above its limit of 25 U" in text

    [entry] = [e for e in clinic.json("audit", consult_id) if e["action"] == "given"]
    assert "limit overridden by" in entry["detail"] and reason in entry["detail"]
    assert clinic("audit", "verify")[0] == 0

    code, summary, err = clinic("print", consult_id, "--what", "summary", "--format", "text")
    assert code == 0, err
    assert f"PAST A LIMIT: recorded on the override of {DIRECTOR} (medical director)" in summary
    assert "glabella: 30 U given, above its limit of 25 U" in summary
    html = tmp_path / "summary.html"
    code, _, err = clinic("print", consult_id, "--what", "summary", "--format", "html", "--output", str(html))
    assert code == 0, err
    page = html.read_text(encoding="utf-8")
    assert "Past a limit:</strong> recorded on the override of" in page and reason in page


def test_a_second_consult_of_the_same_day_is_refused_past_the_session_maximum(clinic: Cli, tmp_path: Path) -> None:
    settings = clinic_file(tmp_path, 100)
    today = dt.date.today()
    first = consult_on(clinic, tmp_path, today, "--clinic", str(settings))
    second = consult_on(clinic, tmp_path, today, "--clinic", str(settings))  # planned before the first is given
    assert give(clinic, first, INJECTOR, "--clinic", str(settings))[0] == 0

    code, out, err = give(clinic, second, INJECTOR, "--clinic", str(settings))
    assert code == 4, (out, err)
    assert (
        "52 U given in this consult and 52 U in the last 90 days: 104 U, above the maximum of 100 U over 90 days" in err
    )
    assert clinic.json("show", second)["state"] == "planned"

    # the same zones given today in the first: each waits too (its timing), said with the maximum
    assert "glabella: 20 U given, but it was given on " in err and f"in consult {first}" in err
    code, _, err = give(clinic, second, DIRECTOR, "--clinic", str(settings), "--override-reason", "second session")
    assert code == 0, err
    breaches = clinic.json("show", second)["override"]["breaches"]
    [breach] = [b for b in breaches if b["kind"] == "session"]
    assert (breach["kind"], breach["units"], breach["earlier_units"], breach["limit"]) == ("session", 52, 52, 100)
    assert {b["zone"] for b in breaches if b["kind"] == "timing"} == {"glabella", "forehead", "crows_feet"}


def test_the_window_ends_on_the_day_of_giving_not_on_the_consults_date(clinic: Cli, tmp_path: Path) -> None:
    """A consult entered with an earlier date is planned against its own window, but what is given
    today counts the doses given in the 90 days before today."""
    settings = clinic_file(tmp_path, 100)
    today = dt.date.today()
    recent = consult_on(clinic, tmp_path, today, "--clinic", str(settings))
    assert give(clinic, recent, INJECTOR, "--clinic", str(settings))[0] == 0
    back_dated = consult_on(clinic, tmp_path, today - dt.timedelta(days=100), "--clinic", str(settings))

    code, _, err = give(clinic, back_dated, INJECTOR, "--clinic", str(settings))
    assert code == 4 and "104 U, above the maximum of 100 U over 90 days" in err
    assert clinic.json("show", back_dated)["state"] == "planned"


def test_an_amendment_of_what_was_given_keeps_the_limits_too(clinic: Cli, tmp_path: Path) -> None:
    consult_id = consult_on(clinic, tmp_path, dt.date.today())
    assert give(clinic, consult_id, INJECTOR)[0] == 0
    given = tmp_path / "given.yaml"
    given.write_text(HEAVY_GLABELLA, encoding="utf-8")

    def amend(by: str, *extra: str) -> tuple[int, str, str]:
        return clinic(
            "amend", consult_id, "--by", by, "--reason", "10 U more were injected", "--given", str(given), *extra,
            "--pin-stdin", pins=(PINS[by],),
        )  # fmt: skip

    code, _, err = amend(INJECTOR)
    assert code == 4 and "glabella: 30 U given, above its limit of 25 U" in err
    assert clinic.json("show", consult_id)["version"] == 3, "nothing was amended"  # v2: the consent
    code, _, err = amend(DIRECTOR, "--override-reason", "recorded as it was injected")
    assert code == 0, err
    view = clinic.json("show", consult_id)
    assert view["version"] == 4 and view["override"]["reason"] == "recorded as it was injected"
    assert clinic("audit", "verify")[0] == 0


def test_an_override_reason_without_a_limit_passed_is_not_recorded(clinic: Cli, tmp_path: Path) -> None:
    consult_id = consult_on(clinic, tmp_path, dt.date.today())
    code, _, err = give(clinic, consult_id, INJECTOR, "--override-reason", "just in case")
    assert code == 0 and "not needed and is not recorded" in err
    view = clinic.json("show", consult_id)
    assert view["state"] == "given" and view["override"] is None
