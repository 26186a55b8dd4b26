"""Issue 22 items 5 and 6 on the command line, on both stores: a medical director who signs first
completes a record the clinic asks a co-signature for; ``amend --answers`` takes only the answers
that change; ``show`` gives the consult's answers (JSON, and as an answer file that ``run`` and
``amend`` take back)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import DIRECTOR, INJECTOR, JUNIOR, PINS, Cli
from tests.test_cli_lifecycle import FULL_FACE, clinic, run_consult

__all__ = ["clinic"]  # the fixture, used by name


def test_a_director_who_signs_first_completes_a_cosigned_record(clinic: Cli, tmp_path: Path) -> None:
    clinic_file = tmp_path / "clinic.toml"
    clinic_file.write_text('name = "Test"\nrequire_cosign = true\n', encoding="utf-8")
    code, out, err = clinic(
        "run", FULL_FACE, "--staff", JUNIOR, "--clinic", str(clinic_file), "--format", "json",
        "--pin-stdin", pins=(PINS[JUNIOR],),
    )  # fmt: skip
    assert code == 0, err
    consult_id = json.loads(out)["consult_id"]
    assert clinic("give", consult_id, "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))[0] == 0
    code, out, err = clinic(
        "sign", consult_id, "--by", DIRECTOR, "--clinic", str(clinic_file), "--pin-stdin", pins=(PINS[DIRECTOR],)
    )
    assert code == 0, err
    assert out.startswith("Signed by Dr Mina Seo, reviewed and approved the treatment given, as medical director")
    assert "co-signature is still needed" not in out
    assert clinic.repository().to_sign() == []
    view = clinic.json("show", consult_id)
    assert view["awaiting_cosign"] is False and [s["role"] for s in view["signatures"]] == ["medical_director"]


def test_amend_answers_takes_only_the_answers_that_change(clinic: Cli, tmp_path: Path) -> None:
    """The issue's case: a file with one answer no longer brings 8 "missing" errors; the merged
    answers are read as a whole (a date of birth that disagrees with the kept age is said) and
    planned again."""
    consult_id = run_consult(clinic)
    assert clinic("give", consult_id, "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))[0] == 0
    changes = tmp_path / "changes.yaml"
    changes.write_text("date_of_birth: 1971-05-14  # typed wrong: 55, not 38\n", encoding="utf-8")
    code, _, err = clinic(
        "amend", consult_id, "--by", INJECTOR, "--reason", "date of birth typed wrong", "--answers", str(changes),
        "--pin-stdin", pins=(PINS[INJECTOR],),
    )  # fmt: skip
    assert code == 0, err
    assert "missing" not in err
    view = clinic.json("show", consult_id)
    assert view["version"] == 4 and "38 -> 55" in view["versions"][-1]["change"]  # v2: the consent
    assert view["answers"]["date_of_birth"] == "1971-05-14" and view["answers"]["age"] == 55
    assert view["answers"]["zones"] == ["glabella", "forehead", "crows_feet"], "the rest kept as it was"

    wrong = tmp_path / "wrong.yaml"
    wrong.write_text("age: 34\n", encoding="utf-8")
    code, _, err = clinic(
        "amend", consult_id, "--by", INJECTOR, "--reason", "x", "--answers", str(wrong), "--pin-stdin",
        pins=(PINS[INJECTOR],),
    )  # fmt: skip
    assert code == 2 and "does not agree with the date of birth" in err and "missing" not in err
    assert "nothing was amended" in err and clinic.json("show", consult_id)["version"] == 4

    same = tmp_path / "same.yaml"
    same.write_text("sex: female\n", encoding="utf-8")
    code, _, err = clinic(
        "amend", consult_id, "--by", INJECTOR, "--reason", "x", "--answers", str(same), "--pin-stdin",
        pins=(PINS[INJECTOR],),
    )  # fmt: skip
    assert code == 2 and "changes no answer" in err


def test_show_writes_the_answers_as_a_file_run_and_amend_take(clinic: Cli, tmp_path: Path) -> None:
    consult_id = run_consult(clinic)
    view = clinic.json("show", consult_id)
    assert view["answers"]["patient_name"] == "Mina Park" and view["answers"]["age"] == 38
    written = tmp_path / "out" / "answers.yaml"
    code, out, err = clinic("show", consult_id, "--answers-file", str(written))
    assert code == 0, err
    assert str(written) in out and written.read_text(encoding="utf-8").startswith("# The answers of consult")
    assert (written.stat().st_mode & 0o077) == 0, "patient data: private"
    code, out, err = clinic("run", str(written), "--no-save", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["total_units"] == view["plan"]["total_units"]
    assert clinic("give", consult_id, "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))[0] == 0
    edited = written.read_text(encoding="utf-8").replace("zones: [glabella, forehead, crows_feet]", "zones: [glabella]")
    written.write_text(edited, encoding="utf-8")
    code, _, err = clinic(
        "amend", consult_id, "--by", INJECTOR, "--reason", "only the frown was treated", "--answers", str(written),
        "--pin-stdin", pins=(PINS[INJECTOR],),
    )  # fmt: skip
    assert code == 0, err
    assert clinic.json("show", consult_id)["plan"]["total_units"] == 20


def test_a_second_consult_the_same_day_is_flagged_or_refused(clinic: Cli) -> None:
    """Issue 22.4 on the command line: ``run`` keeps a second consult for the patient's day with a
    warning naming the first (JSON ``same_day_consult``); ``--one-consult-per-visit`` keeps nothing."""
    first = run_consult(clinic)
    code, out, err = clinic(
        "run", FULL_FACE, "--staff", JUNIOR, "--format", "json", "--pin-stdin", pins=(PINS[JUNIOR],)
    )
    assert code == 0, err
    assert "Mina Park already has a consult today, planned at " in err and f"(consult {first})" in err
    assert json.loads(out)["same_day_consult"] == first
    code, out, err = clinic(
        "run", FULL_FACE, "--staff", JUNIOR, "--one-consult-per-visit", "--pin-stdin", pins=(PINS[JUNIOR],)
    )
    assert code == 2 and "one visit is one consult, so nothing was kept" in err
    assert len(clinic.json("history", "Mina Park")) == 2


def test_amending_a_given_consults_answers_to_a_contraindication_says_so(clinic: Cli, tmp_path: Path) -> None:
    """A pregnancy learnt after the injection: the amendment is kept (the record must say it), and the
    command says the patient is contraindicated and that the doses given stay recorded; it said only
    "Amended", as for a typo (a tryout)."""
    consult_id = run_consult(clinic)
    assert clinic("give", consult_id, "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))[0] == 0
    given = sum(line["units"] for line in clinic.json("show", consult_id)["given"])
    learnt = tmp_path / "learnt.yaml"
    learnt.write_text("pregnant_or_breastfeeding: true\n", encoding="utf-8")
    code, _, err = clinic(
        "amend", consult_id, "--by", INJECTOR, "--reason", "pregnancy told after the treatment",
        "--answers", str(learnt), "--pin-stdin", pins=(PINS[INJECTOR],),
    )  # fmt: skip
    assert code == 0, err
    assert "warning: With these answers the patient is contraindicated (pregnancy or breastfeeding" in err, err
    assert f"{given:g} U were recorded as given by {INJECTOR}: those doses stay on the record as given" in err
    view = clinic.json("show", consult_id)
    assert view["status"] == "contraindicated" and sum(line["units"] for line in view["given"]) == given

    # Her papers keep the doses given (a tryout's said "we are not giving you a treatment today" to a
    # patient given 79 U, without the warnings, and the summary had no doses).
    code, summary, err = clinic("print", consult_id, "--what", "summary", "--format", "text")
    assert code == 0, err
    assert "CONTRAINDICATED BY THE ANSWERS NOW KEPT: THE DOSES BELOW WERE GIVEN BEFORE THAT WAS RECORDED" in summary
    assert "NO DOSE IS PLANNED" not in summary and "Glabella" in summary
    assert f"Total given{' ' * 10}" in summary or f"{given:g} U" in summary
    assert "touch-up window" not in summary, "no touch-up for a patient the answers now contraindicate"
    assert "Dilution: 2.5 mL saline per 100 U vial" in summary and "Session maximum:" in summary
    assert "[]" not in summary, "a line given without a planned one has no sources to cite"
    code, sheet, err = clinic("print", consult_id, "--what", "patient", "--format", "text")
    assert code == 0, err
    assert "not giving you a treatment" not in sheet and "explains the treatment you had" in sheet, sheet
    assert "trouble swallowing" in sheet.lower() or "swallow" in sheet.lower(), "the spread-of-toxin warning"
    # Who is due: her review only, never a touch-up or a retreatment (a tryout's listed a touch-up window).
    due = clinic.json("due", "--on", "2026-11-24", "--days", "200", "--all", "--format", "json")
    assert [row["reason"] for row in due if row["consult_id"] == consult_id] == ["review"], due


def test_an_amendment_does_not_rename_a_registered_patients_consult(clinic: Cli, tmp_path: Path) -> None:
    """A tryout renamed Kim Ji-woo's consult to another patient's name: her sheet said "Dear Park
    Hye-jin" above Kim's number and date of birth, and ``history "Park Hye-jin"`` listed it."""
    consult_id = run_consult(clinic)
    kept = clinic.json("show", consult_id)
    renamed = tmp_path / "renamed.yaml"
    renamed.write_text("patient_name: Park Hye-jin\n", encoding="utf-8")
    code, _, err = clinic(
        "amend", consult_id, "--by", INJECTOR, "--reason", "x", "--answers", str(renamed), "--pin-stdin",
        pins=(PINS[INJECTOR],),
    )  # fmt: skip
    assert code == 2 and "Traceback" not in err
    said = " ".join(err.split())
    assert f"consult {consult_id}: the register names her {kept['patient_name']} (born" in said, said
    assert "the answers amended name Park Hye-jin" in said and "nothing was amended" in said
    assert clinic.json("show", consult_id)["version"] == kept["version"]
    assert "No consults found" in clinic("history", "Park Hye-jin")[1]
    # the service that keeps an amendment refuses it too, whoever planned it (a tryout's plan screen E
    # renamed a signed consult, which the command line refused)
    from assistant.core.lifecycle.staff import NotPermitted
    from assistant.files.resources import load_resources
    from assistant.services import treatment
    from assistant.services.desk import Desk

    repository = clinic.repository()
    record = repository.get(consult_id)
    assert record is not None
    script = load_resources().value.script  # type: ignore[union-attr]
    with pytest.raises(NotPermitted, match="the answers amended name Park Hye-jin"):
        treatment.amend_answers(
            Desk(repository), consult_id, INJECTOR, PINS[INJECTOR], "x", script, record.plan,
            {**record.answers, "patient_name": "Park Hye-jin"},
        )  # fmt: skip
    assert repository.get(consult_id).version == kept["version"]  # type: ignore[union-attr]
    born = tmp_path / "born.yaml"
    born.write_text("date_of_birth: 1971-05-14\n", encoding="utf-8")
    code, _, err = clinic(
        "amend", consult_id, "--by", INJECTOR, "--reason", "typed wrong", "--answers", str(born), "--pin-stdin",
        pins=(PINS[INJECTOR],),
    )  # fmt: skip
    assert code == 0, "a date of birth typed wrong is still corrected by amending"


def test_the_consults_date_given_before_run_is_its_date_and_other_commands_refuse_it(
    clinic: Cli, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A tryout's ``--today 2026-11-18 run x.yaml`` dated the consult the day it was typed: run's own
    default overwrote the date given before the command word."""
    answers = tmp_path / "undated.yaml"
    answers.write_text(Path(FULL_FACE).read_text(encoding="utf-8").replace("today: 2026-11-24", ""), encoding="utf-8")
    code, out, err = clinic(
        "--today", "2026-11-18", "run", str(answers), "--staff", JUNIOR, "--format", "json", "--pin-stdin",
        pins=(PINS[JUNIOR],),
    )  # fmt: skip
    assert code == 0, err
    assert clinic.json("show", json.loads(out)["consult_id"])["date"] == "2026-11-18"
    with pytest.raises(SystemExit) as usage:
        clinic("--today", "2026-11-18", "history")
    assert usage.value.code == 2 and "the command history does not take it" in capsys.readouterr().err
