"""The day-14 review on the command line, on both stores: kept as a version of kind ``reviewed`` on a
signed record without amendment, shown by ``show --format json``, its adverse events in the report
by lot and in ``recall``.

Real TinyDB folders and a real PostgreSQL server, real PINs on standard input.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from assistant.locations import EXAMPLES_DIR
from tests.helpers import INJECTOR, JUNIOR, PINS, Cli
from tests.staff_register import WITH_JUNIOR, StaffRegisters

FULL_FACE = str(EXAMPLES_DIR / "full_face.yaml")
LOT = "BX2311"

REVIEW = """\
findings:
  - {zone: forehead, effect: full, stronger_side: right, difference_mm: 1.5, difference_units: 2}
  - {zone: glabella, effect: full}
adverse_events:
  - {event: headache, severity: mild}
satisfaction: 4
"""

SERIOUS = """\
findings:
  - {zone: glabella, effect: partial}
adverse_events:
  - {event: distant_spread, severity: serious, note: trouble swallowing on day 5}
satisfaction: 2
"""


@pytest.fixture
def clinic(cli: Cli, staff_registers: StaffRegisters) -> Cli:
    return staff_registers.copy_into(cli, WITH_JUNIOR)


def other_patient(tmp_path: Path) -> str:
    """Full face for another patient (a second consult of the same one the same day gives nothing)."""
    text = Path(FULL_FACE).read_text(encoding="utf-8").replace("P-1042", "P-2077").replace("Mina Park", "Sora Lim")
    path = tmp_path / "other.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def given_consult(cli: Cli, tmp_path: Path, sign: bool = True, answers: str = FULL_FACE) -> str:
    code, out, err = cli("run", answers, "--staff", JUNIOR, "--format", "json")
    assert code == 0, err
    consult_id = json.loads(out)["consult_id"]
    given = tmp_path / "given.yaml"
    given.write_text(
        f"lot: {LOT}\nexpiry: 2027-05-31\nlines:\n  - {{zone: glabella, units: 20, points: 5}}\n"
        "  - {zone: forehead, units: 12, points: 6}\n  - {zone: crows_feet, side: left, units: 10, points: 4}\n"
        "  - {zone: crows_feet, side: right, units: 10, points: 4}\n",
        encoding="utf-8",
    )
    code, _, err = cli(
        "give", consult_id, "--by", INJECTOR, "--given", str(given), "--pin-stdin", pins=(PINS[INJECTOR],)
    )
    assert code == 0, err
    if sign:
        code, _, err = cli("sign", consult_id, "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))
        assert code == 0, err
    return consult_id


def review(cli: Cli, tmp_path: Path, consult_id: str, text: str, by: str = INJECTOR) -> tuple[int, str, str]:
    answers = tmp_path / "review.yaml"
    answers.write_text(text, encoding="utf-8")
    return cli("review", consult_id, "--answers", str(answers), "--by", by, "--pin-stdin", pins=(PINS[by],))


def test_a_signed_record_takes_a_review_without_amendment_and_show_gives_it(clinic: Cli, tmp_path: Path) -> None:
    consult_id = given_consult(clinic, tmp_path)
    code, out, err = review(clinic, tmp_path, consult_id, REVIEW)
    assert code == 0, err
    assert "Review recorded by Ina Choi" in out and "version 5" in out  # 2: the consent
    view = clinic.json("show", consult_id)
    assert view["state"] == "signed" and view["amendments"] == []
    assert view["versions"][-1]["kind"] == "reviewed"
    (kept,) = view["reviews"]
    assert kept["by"] == INJECTOR and kept["satisfaction"] == 4 and kept["serious"] is False
    forehead = next(f for f in kept["findings"] if f["zone"] == "forehead")
    assert forehead == {
        "zone": "forehead", "effect": "full", "stronger_side": "right", "difference_mm": 1.5, "difference_units": 2.0,
    }  # fmt: skip
    assert kept["adverse_events"][0]["event"] == "headache"
    code, out, err = clinic("audit", "verify")
    assert code == 0, out + err


def test_a_review_names_a_zone_not_treated_and_keeps_nothing(clinic: Cli, tmp_path: Path) -> None:
    consult_id = given_consult(clinic, tmp_path, sign=False)
    code, _, err = review(
        clinic, tmp_path, consult_id, "findings:\n  - {zone: masseter, effect: full}\nsatisfaction: 3\n"
    )
    assert code == 2
    assert "'masseter' was not treated in consult" in err and "nothing was recorded" in err
    assert clinic.json("show", consult_id)["reviews"] == []


def test_a_residual_side_for_a_central_zone_is_refused_and_nothing_kept(clinic: Cli, tmp_path: Path) -> None:
    """A tryout's review took "right 1.5 mm" as the stronger side of the glabella, a zone treated as
    one: the record kept a left-right difference the zone cannot have."""
    consult_id = given_consult(clinic, tmp_path, sign=False)
    text = "findings:\n  - {zone: glabella, effect: full, stronger_side: right, difference_mm: 1.5}\nsatisfaction: 4\n"
    code, _, err = review(clinic, tmp_path, consult_id, text)
    assert code == 2, err
    assert "'glabella' is treated as one central zone: it has no left and right side to differ" in err
    assert clinic.json("show", consult_id)["reviews"] == []


def test_a_junior_may_not_review_and_a_plan_never_given_has_nothing_to_review(clinic: Cli, tmp_path: Path) -> None:
    consult_id = given_consult(clinic, tmp_path)
    code, _, err = review(clinic, tmp_path, consult_id, REVIEW, by=JUNIOR)
    assert code == 5 and "junior" in err
    code, out, err = clinic("run", FULL_FACE, "--staff", JUNIOR, "--format", "json")
    planned = json.loads(out)["consult_id"]
    code, _, err = review(clinic, tmp_path, planned, "satisfaction: 3\n")
    assert code == 5 and "no treatment to review" in err


def test_an_adverse_event_is_in_the_report_by_lot_and_in_recall(clinic: Cli, tmp_path: Path) -> None:
    consult_id = given_consult(clinic, tmp_path)
    quiet = given_consult(clinic, tmp_path, answers=other_patient(tmp_path))
    assert review(clinic, tmp_path, consult_id, SERIOUS)[0] == 0
    assert review(clinic, tmp_path, quiet, "findings:\n  - {zone: glabella, effect: full}\nsatisfaction: 5\n")[0] == 0

    rows = clinic.json("report", "adverse-events", "--lot", LOT.lower())
    assert [(r["consult_id"], r["lot"], r["event"], r["severity"]) for r in rows] == [
        (consult_id, LOT, "distant_spread", "serious")
    ]
    assert rows[0]["patient_id"] is not None and rows[0]["date"]
    code, out, err = clinic("report", "adverse-events", "--lot", LOT, "--format", "csv")
    assert code == 0, err
    (row,) = list(csv.DictReader(io.StringIO(out)))
    assert row["consult_id"] == consult_id and row["event"] == "distant_spread" and row["severity"] == "serious"
    code, out, _ = clinic("report", "adverse-events", "--lot", "OTHER-LOT")
    assert code == 0 and "No adverse event" in out
    code, out, _ = clinic("report", "adverse-events", "--from", "2001-01-01", "--to", "2001-12-31", "--format", "json")
    assert code == 0 and json.loads(out) == []

    recall = clinic.json("recall", LOT)
    events = {r["consult_id"]: r["adverse_events"] for r in recall}
    assert events[consult_id] == ["distant_spread (serious)"] and events[quiet] == []
    code, out, _ = clinic("recall", LOT)
    assert code == 0 and "ADVERSE EVENT: distant_spread (serious)" in out


def test_a_serious_event_is_flagged_on_the_chart_and_in_the_consult_story(clinic: Cli, tmp_path: Path) -> None:
    from assistant.files.resources import load_resources
    from assistant.services.chart import consult_story, open_chart

    consult_id = given_consult(clinic, tmp_path)
    timing = load_resources().value.kb.timing  # type: ignore[union-attr]
    repository = clinic.repository()
    key = repository.get(consult_id).patient_key
    assert open_chart(repository, key, timing, date.today()).serious is None
    assert review(clinic, tmp_path, consult_id, REVIEW)[0] == 0
    assert open_chart(clinic.repository(), key, timing, date.today()).serious is None  # a mild headache: no flag
    assert review(clinic, tmp_path, consult_id, SERIOUS)[0] == 0
    chart = open_chart(clinic.repository(), key, timing, date.today())
    assert chart.serious is not None
    assert chart.serious.startswith("SERIOUS ADVERSE EVENT: distant_spread on ")
    assert "after the consult of 2026-11-24" in chart.serious
    story = consult_story(clinic.repository(), consult_id)
    assert [r.serious for r in story.reviews] == [False, True]


def test_a_two_unit_residual_brow_difference_pre_fills_the_touch_up(clinic: Cli, tmp_path: Path) -> None:
    """Treated 19 days ago (back-entered), reviewed today: a brow 1.5 mm higher on the right, 2 U. The
    touch-up consult today is pre-filled with it and planned through the planner: the forehead's
    touch-up on the stronger (right) half only, the line saying it came from the review."""
    from assistant.files.resources import load_resources
    from assistant.services.session_patient import history_of, review_prefill

    today = date.today()
    treated = today - timedelta(days=19)
    code, out, err = clinic("run", FULL_FACE, "--staff", JUNIOR, "--format", "json", "--today", treated.isoformat())
    assert code == 0, err
    consult_id = json.loads(out)["consult_id"]
    given = tmp_path / "given.yaml"
    given.write_text(
        f"lot: {LOT}\nexpiry: {(today + timedelta(days=200)).isoformat()}\nlines:\n"
        "  - {zone: glabella, units: 20, points: 5}\n  - {zone: forehead, units: 12, points: 6}\n"
        "  - {zone: crows_feet, side: left, units: 10, points: 4}\n"
        "  - {zone: crows_feet, side: right, units: 10, points: 4}\n",
        encoding="utf-8",
    )
    code, _, err = clinic(
        "give", consult_id, "--by", INJECTOR, "--given", str(given), "--pin-stdin", pins=(PINS[INJECTOR],)
    )
    assert code == 0, err
    assert review(clinic, tmp_path, consult_id, REVIEW)[0] == 0

    kb = load_resources().value.kb  # type: ignore[union-attr]
    repository = clinic.repository()
    history = history_of(repository, repository.get(consult_id).patient_key)
    assert history is not None and history.last is not None
    prefill = review_prefill(history.last, today, kb)
    assert prefill == {
        "asymmetries.0": True,
        "asymmetries.0.zone": "forehead",
        "asymmetries.0.stronger_side": "right",
        "asymmetries.0.extra_units": 2.0,
        "asymmetries.1": False,
    }
    assert review_prefill(history.last, today + timedelta(days=5), kb) == {}, "after the touch-up window: none"

    text = Path(FULL_FACE).read_text(encoding="utf-8").split("\n# What a rehearsal")[0]
    text = text.replace("today: 2026-11-24", f"today: {today.isoformat()}")
    text = text.replace("zones: [glabella, forehead, crows_feet]", "zones: [glabella, forehead]")
    text = text.replace(
        "prior_treatment_date: never",
        f"prior_treatment_date: {treated.isoformat()}\nprior_zones: [glabella, forehead, crows_feet]",
    )
    extra = prefill["asymmetries.0.extra_units"]
    text = text.replace(
        "asymmetries: []", f"asymmetries:\n  - {{zone: forehead, stronger_side: right, extra_units: {extra}}}"
    )
    touch_up = tmp_path / "touch_up.yaml"
    touch_up.write_text(text, encoding="utf-8")
    code, out, err = clinic("run", str(touch_up), "--staff", JUNIOR, "--format", "json", "--no-save")
    assert code == 0, err
    lines = [line for line in json.loads(out)["lines"] if line["zone"] == "forehead"]
    assert [(line["side"], line["units"], line["kind"]) for line in lines] == [("right", 2.0, "touch_up")]
    assert f"from the review of {today.isoformat()} after the treatment of {treated.isoformat()}" in lines[0]["why"]
    assert "1.5 mm at the brow" in lines[0]["why"]


def test_check_lints_the_review_script_and_names_a_code_the_program_does_not_read(cli: Cli, tmp_path: Path) -> None:
    from assistant.locations import REVIEW_SCRIPT_FILE

    code, _, err = cli("check")
    assert code == 0, err
    text = REVIEW_SCRIPT_FILE.read_text(encoding="utf-8")
    edited = text.replace("{code: partial,", "{code: half,").replace("    - {code: serious,", "    - {code: grave,")
    bad = tmp_path / "review.yaml"
    bad.write_text(edited, encoding="utf-8")
    code, out, _ = cli("check", "--review-script", str(bad))
    assert code == 1
    assert "[review-codes] 'findings.effect' offers half" in out
    assert "the severity 'serious' (it flags the chart) is missing" in out


def test_a_review_edited_in_the_data_folder_is_named_by_audit_verify(clinic: Cli, tmp_path: Path) -> None:
    """A serious event made mild in the file (TinyDB): the version's hash no longer matches its entry.
    (On the server the workstations' role cannot update a kept version at all.)"""
    if clinic.kind != "tinydb":
        pytest.skip("the data folder is TinyDB's")
    consult_id = given_consult(clinic, tmp_path)
    assert review(clinic, tmp_path, consult_id, SERIOUS)[0] == 0
    assert clinic("audit", "verify")[0] == 0
    edited = 0
    for path in (clinic.data / "consults").rglob("*.json"):
        text = path.read_text(encoding="utf-8")
        if '"severity":"serious"' in text:
            path.write_text(text.replace('"severity":"serious"', '"severity":"mild"'), encoding="utf-8")
            edited += 1
    assert edited == 1
    code, out, err = clinic("audit", "verify")
    assert code == 1 and consult_id in out + err


def test_the_fhir_bundle_carries_the_review_as_observations_and_adverse_events(clinic: Cli, tmp_path: Path) -> None:
    """Validated by fhir.resources as the Bundle is exported; the event's suspects are the doses given."""
    from tests.test_fhir_bundle import exported, resources

    consult_id = given_consult(clinic, tmp_path)
    assert review(clinic, tmp_path, consult_id, REVIEW)[0] == 0
    assert review(clinic, tmp_path, consult_id, SERIOUS)[0] == 0
    bundle = exported(clinic, consult_id)
    observations = resources(bundle, "Observation")
    forehead = next(o for o in observations if o.get("bodySite", {}).get("text") == "forehead")
    assert forehead["valueCodeableConcept"]["text"] == "full" and forehead["status"] == "final"
    parts = {c["code"]["text"]: c.get("valueQuantity", c.get("valueString")) for c in forehead["component"]}
    assert parts["side that still moves more"] == "right"
    assert parts["residual difference at the brow"]["value"] == 1.5
    assert sorted(o["valueInteger"] for o in observations if "valueInteger" in o) == [2, 4]
    mild, serious = resources(bundle, "AdverseEvent")
    assert (mild["event"]["text"], mild["seriousness"]["coding"][0]["code"]) == ("headache", "non-serious")
    assert (serious["event"]["text"], serious["seriousness"]["coding"][0]["code"]) == ("distant_spread", "serious")
    assert serious["severity"]["coding"][0]["code"] == "severe"
    administrations = {
        e["fullUrl"] for e in bundle["entry"] if e["resource"]["resourceType"] == "MedicationAdministration"
    }
    assert {s["instance"]["reference"] for s in serious["suspectEntity"]} == administrations
