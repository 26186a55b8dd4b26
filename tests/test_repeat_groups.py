"""Repeat groups in the script language: asked once per entry with "another one?" after each, up to
a maximum; checked by `check` like any question; the same engine for any group a trainer writes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from assistant.core.flow import Flow
from assistant.core.repeat import expand, nest
from assistant.core.script import Script
from assistant.files.resources import Resources
from assistant.services.consult_session import ConsultSession
from assistant.services.lint import lint
from tests.helpers import base_answers
from tests.test_lint import SHIPPED, assert_at, broken, line_with, only

TODAY = date(2026, 11, 24)

# --- the engine, on a group of a trainer's own -------------------------------------------------------------

PETS = Script.model_validate(
    {
        "id": "pets",
        "version": "1",
        "title": "Pets",
        "lists": {"kinds": [{"code": "cat", "label": "Cat"}, {"code": "dog", "label": "Dog"}]},
        "questions": [
            {"id": "name", "type": "text", "prompt": "Name?"},
            {
                "id": "pets",
                "type": "repeat",
                "prompt": "A pet?",
                "another": "Another pet?",
                "entry_label": "Pet",
                "max_entries": 3,
                "unique": ["kind"],
                "questions": [
                    {"id": "kind", "type": "single", "choices": "kinds", "prompt": "Which kind?"},
                    {
                        "id": "lives",
                        "type": "integer",
                        "min": 1,
                        "max": 9,
                        "show_if": "kind == 'cat'",
                        "prompt": "Lives?",
                    },
                ],
            },
            {"id": "pet_note", "type": "text", "required": False, "show_if": "count(pets) >= 2", "prompt": "A note?"},
        ],
    }
)


def ask_all(flow: Flow, given: dict[str, object]) -> tuple[list[str], dict[str, object]]:
    given = expand(flow.script, given).answers
    asked, answers = [], {}
    while (question := flow.next_question(answers)) is not None:
        asked.append(question.id)
        verdict = flow.judge(question.id, given.get(question.id, question.default), answers)
        assert verdict.accepted, (question.id, verdict.errors)
        answers = flow.answer(answers, question.id, verdict.value)
    return asked, answers


def test_each_entry_is_asked_then_another_one_until_no_choice_is_left() -> None:
    flow = Flow(PETS, TODAY)
    asked, answers = ask_all(flow, {"name": "A", "pets": [{"kind": "cat", "lives": 9}, {"kind": "dog"}]})
    assert asked == ["name", "pets.0", "pets.0.kind", "pets.0.lives", "pets.1", "pets.1.kind", "pet_note"], (
        "no 'another one?' once both kinds are taken; the dog is asked no lives; a later question reads the group"
    )
    assert flow.question("pets.1.kind").prompt == "Pet 2: Which kind?"
    assert flow.question("pets.1").prompt == "Another pet? (Pet 2)"
    assert nest(PETS, answers)["pets"] == [{"kind": "cat", "lives": 9}, {"kind": "dog"}]


def test_no_entry_and_the_maximum() -> None:
    flow = Flow(PETS, TODAY)
    asked, answers = ask_all(flow, {"name": "A"})
    assert asked == ["name", "pets.0"] and answers["pets.0"] is False
    assert nest(PETS, answers)["pets"] == []
    assert not flow.knows("pets.3"), "at most 3 entries"
    assert not flow.knows("pets.0.colour") and not flow.knows("pets") and flow.knows("pets.2.kind")


def test_a_unique_answer_is_offered_and_taken_once() -> None:
    flow = Flow(PETS, TODAY)
    answers = {"name": "A", "pets.0": True, "pets.0.kind": "cat", "pets.0.lives": 3, "pets.1": True}
    question = flow.question("pets.1.kind")
    assert [c.code for c in flow.choices(question, answers)] == ["dog"]  # type: ignore[arg-type]
    verdict = flow.judge("pets.1.kind", "cat", answers)
    assert verdict.errors == ("'cat' is already the kind of Pet 1; each kind can have one entry only.",)


def test_a_file_entry_no_choice_is_left_for_is_refused_not_dropped() -> None:
    """A tryout's file gave two asymmetries of the crow's feet, the one sided zone treated: the second
    was dropped with a note and the consult planned (exit 0) as if it had not been measured."""
    from assistant.core.answer_file import read_file

    flow = Flow(PETS, TODAY)
    both_cats = read_file(flow, {"name": "A", "pets": [{"kind": "cat", "lives": 9}, {"kind": "dog"}, {"kind": "cat"}]})
    [problem] = both_cats.problems
    assert (problem.question_id, problem.message) == (
        "pets.2",
        "'cat' is already the kind of Pet 1; each kind can have one entry only, so Pet 3 cannot be taken.",
    )
    assert not [n for n in both_cats.notes if str(n.question_id).startswith("pets.2")], "said once, as a problem"
    assert read_file(flow, {"name": "A", "pets": [{"kind": "cat", "lives": 9}, {"kind": "dog"}]}).ok


def test_a_changed_entry_answer_drops_what_reads_it_in_that_entry_only() -> None:
    flow = Flow(PETS, TODAY)
    _, answers = ask_all(flow, {"name": "A", "pets": [{"kind": "cat", "lives": 9}]})
    assert flow.dependents("pets.0.kind", answers) == {"pets.0.lives", "pet_note"}, (
        "the entry, and what reads the group"
    )
    changed = flow.answer(answers, "pets.0.kind", "dog")
    assert "pets.0.lives" not in changed, "a dog has no lives to count"
    assert flow.answer(changed, "pets.0.kind", "cat")["pets.0.kind"] == "cat"
    assert flow.next_question(flow.answer(changed, "pets.0.kind", "cat")).id == "pets.0.lives", "asked again"


# --- check, on the shipped script's asymmetries ---------------------------------------------------------------


def test_the_shipped_group_is_clean() -> None:
    assert lint() == []


def test_a_question_id_used_twice_in_a_group(tmp_path: Path) -> None:
    path, text = broken(tmp_path, "      - id: extra_units\n", "      - id: stronger_side\n")
    problem = next(p for p in lint(path) if p.code == "duplicate-id")
    assert_at(problem, path, line_with(text, "      - id: stronger_side", occurrence=2))
    assert "group 'asymmetries'" in problem.message


def test_a_group_question_named_like_a_script_question(tmp_path: Path) -> None:
    path, text = broken(tmp_path, "      - id: zone\n", "      - id: zones\n")
    problems = lint(path)
    clash = next(p for p in problems if p.code == "duplicate-id")
    assert_at(clash, path, line_with(text, "      - id: zones"))
    assert "also a question of the script" in clash.message
    assert {"unknown-question", "planner-needs"} <= {p.code for p in problems}, "unique and the planner name 'zone'"


def test_unique_names_a_question_of_the_group(tmp_path: Path) -> None:
    path, text = broken(tmp_path, "    unique: [zone]\n", "    unique: [zonee]\n")
    problem = only(lint(path), "unknown-question")
    assert_at(problem, path, line_with(text, "unique: [zonee]"))
    assert "Did you mean 'zone'?" in problem.message


def test_a_condition_in_an_entry_reads_only_what_was_asked_before_it(tmp_path: Path) -> None:
    path, text = broken(
        tmp_path,
        "        choices: side\n        show_if: answered(zone)\n",
        "        choices: side\n        show_if: answered(extra_units)\n",
    )
    problem = only(lint(path), "later-question")
    assert_at(problem, path, line_with(text, "show_if: answered(extra_units)"))


def test_a_code_in_an_entry_condition_is_checked(tmp_path: Path) -> None:
    path, text = broken(
        tmp_path,
        "        choices: side\n        show_if: answered(zone)\n",
        "        choices: side\n        show_if: zone == 'foreheed'\n",
    )
    problem = only(lint(path), "unknown-code")
    assert_at(problem, path, line_with(text, "zone == 'foreheed'"))
    assert "Did you mean 'forehead'?" in problem.message


def test_an_older_key_the_group_replaces_must_not_be_a_question(tmp_path: Path) -> None:
    path, text = broken(tmp_path, "      gate: asymmetry\n", "      gate: age\n")
    problem = only(lint(path), "duplicate-id")
    assert_at(problem, path, line_with(text, "    replaces:"))


def test_the_planner_reads_left_and_right(tmp_path: Path) -> None:
    path, _ = broken(
        tmp_path,
        "    - {code: right, label: Patient's right}\n",
        "    - {code: right, label: Patient's right}\n    - {code: both, label: Both}\n",
    )
    problem = only(lint(path), "planner-needs")
    assert "'both'" in problem.message and "left, right" in problem.message


def test_a_typo_inside_an_entry_question(tmp_path: Path) -> None:
    path, text = broken(tmp_path, "        prompt: In which zone?\n", "        promt: In which zone?\n")
    problem = next(p for p in lint(path) if p.code == "unknown-key")
    assert_at(problem, path, line_with(text, "promt: In which zone?"))


@pytest.mark.parametrize("zone", ["chin"])
def test_only_zones_with_two_sides_may_be_offered_for_an_asymmetry(tmp_path: Path, zone: str) -> None:
    path, _ = broken(
        tmp_path,
        "    - {code: forehead, label: Forehead (brows)}\n",
        f"    - {{code: forehead, label: Forehead (brows)}}\n    - {{code: {zone}, label: Chin}}\n",
    )
    problem = only(lint(path), "not-paired")
    assert f"'{zone}'" in problem.message and "split_sides" in problem.message
    assert SHIPPED.count("asymmetry_zones:") == 1


# --- drafts: a consult in progress keeps the flat answers; an older script's draft still resumes ---------------


def _draft_start() -> dict[str, object]:
    return {**base_answers(zones=["crows_feet", "masseter"]), "patient_id": None, "patient_language": "en"}


def test_a_draft_resumes_inside_an_entry(resources: Resources) -> None:
    session = ConsultSession(resources, TODAY)
    session.resume({**_draft_start(), "asymmetries.0": True, "asymmetries.0.zone": "masseter"})
    assert session.answers["asymmetries.0.zone"] == "masseter"
    assert session.current is not None and session.current.id == "asymmetries.0.stronger_side"


def test_a_draft_of_the_older_script_resumes_as_its_entry(resources: Resources) -> None:
    session = ConsultSession(resources, TODAY)
    older = {**_draft_start(), "asymmetry": True, "asymmetry_zone": "masseter", "stronger_side": "left"}
    session.resume(older)
    assert {k: v for k, v in session.answers.items() if k.startswith("asymmetries")} == {
        "asymmetries.0": True,
        "asymmetries.0.zone": "masseter",
        "asymmetries.0.stronger_side": "left",
    }
    assert session.current is not None and session.current.id == "asymmetries.0.extra_units"
