"""FHIR R4 export: the script as a Questionnaire, kept consults as QuestionnaireResponses.

Everything written is validated with the fhir.resources models (R4B package, see assistant.exchange.fhir);
the checks here add the Questionnaire rules those models do not enforce, and read the answers back.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from ruamel.yaml import YAML

from assistant.cli import main
from assistant.cli.export import cmd_export, cmd_export_script
from assistant.core.dilution import answer_bounds
from assistant.core.script import ChoiceQuestion, RepeatGroup, Script
from assistant.exchange.fhir.common import (
    DATE_OR_NEVER_REGEX,
    EXT_CHOICES_FILTER,
    EXT_DATE_OR_NEVER,
    EXT_ITEM_CONTROL,
    EXT_REQUIRED_WHEN_SHOWN,
    EXT_SHOW_IF,
    FhirExportError,
    code_system,
    questionnaire_url,
)
from assistant.exchange.fhir.questionnaire import enable_when, script_to_questionnaire
from assistant.exchange.fhir.response import questionnaire_response_answers, record_to_questionnaire_response
from assistant.files.resources import Resources
from assistant.locations import EXAMPLES_DIR, SCRIPT_FILE
from assistant.records import ConsultRecord, open_repository

EXAMPLES = ["full_face", "returning_touch_up", "asymmetry_masseter", "contraindicated_pregnant"]

VALUE_KEY = {
    "choice": "valueCoding",
    "boolean": "valueBoolean",
    "integer": "valueInteger",
    "decimal": "valueDecimal",
    "date": "valueDate",
    "string": "valueString",
}


# -- helpers -----------------------------------------------------------------------------------------


def run_saved(capsys: pytest.CaptureFixture[str], answers: Path, data_dir: Path, *extra: str) -> str:
    """Run an answer file through the real command and keep it; the new consult's id."""
    code = main(["run", str(answers), "--data-dir", str(data_dir), "--format", "json", *extra])
    assert code in (0, 3, 4), capsys.readouterr().err
    consult_id = json.loads(capsys.readouterr().out)["consult_id"]
    assert consult_id
    return consult_id


def saved_record(capsys: pytest.CaptureFixture[str], answers: Path, data_dir: Path, *extra: str) -> ConsultRecord:
    consult_id = run_saved(capsys, answers, data_dir, *extra)
    record = open_repository(data_dir).get(consult_id)
    assert record is not None
    return record


def response_in(bundle: dict[str, Any]) -> dict[str, Any]:
    """The QuestionnaireResponse of an exported Bundle."""
    assert bundle["resourceType"] == "Bundle"
    return next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "QuestionnaireResponse")


def example(name: str) -> Path:
    return EXAMPLES_DIR / f"{name}.yaml"


def given_answers(record: ConsultRecord) -> dict[str, Any]:
    """The record's answers without the unanswered (skipped optional) questions."""
    return {k: v for k, v in record.answers.items() if v is not None and v != [] and v != ""}


def items_by_id(questionnaire: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["linkId"]: item for item in questionnaire["item"]}


def extension(item: dict[str, Any], url: str) -> dict[str, Any] | None:
    return next((e for e in item.get("extension", ()) if e["url"] == url), None)


def check_questionnaire_rules(questionnaire: dict[str, Any]) -> None:
    """R4 Questionnaire invariants that fhir.resources' models do not check (que-1 .. que-13)."""
    link_ids: list[str] = []

    def walk(items: list[dict[str, Any]]) -> None:
        for item in items:
            link_ids.append(item["linkId"])
            kind = item["type"]
            if kind == "display":
                assert "required" not in item and "repeats" not in item, item["linkId"]  # que-6
                assert "item" not in item, item["linkId"]  # que-1
            if "answerOption" in item:
                assert kind in ("choice", "open-choice"), item["linkId"]  # que-5 (as this export uses it)
                assert "initial" not in item, item["linkId"]  # que-11
            if "maxLength" in item:
                assert kind in ("boolean", "decimal", "integer", "string", "text", "url", "open-choice")  # que-10
            if len(item.get("initial", ())) > 1:
                assert item.get("repeats") is True  # que-13
            if len(item.get("enableWhen", ())) > 1:
                assert item.get("enableBehavior") in ("all", "any")  # que-12
            for condition in item.get("enableWhen", ()):
                if condition["operator"] == "exists":
                    assert "answerBoolean" in condition  # que-7
            walk(item.get("item", []))

    walk(questionnaire["item"])
    assert len(link_ids) == len(set(link_ids)), "linkIds are unique"  # que-2
    for item in questionnaire["item"]:
        for condition in item.get("enableWhen", ()):
            assert condition["question"] in link_ids


def check_response_against(response: dict[str, Any], questionnaire: dict[str, Any]) -> None:
    """Each answer is of its item's type (and, for a choice, one of its options); a repeating
    group's repetitions hold the answers of its own items."""
    items = items_by_id(questionnaire)
    for entry in response.get("item", ()):
        item = items[entry["linkId"]]
        if item["type"] == "group":
            assert item["repeats"] is True and "answer" not in entry, entry["linkId"]
            check_response_against({"item": entry["item"]}, {"item": item["item"]})
            continue
        assert entry["answer"], entry["linkId"]
        if len(entry["answer"]) > 1:
            assert item.get("repeats") is True, entry["linkId"]
        for answer in entry["answer"]:
            (key,) = answer.keys()
            assert key == VALUE_KEY[item["type"]], (entry["linkId"], key, item["type"])
            if key == "valueCoding":
                options = [o["valueCoding"] for o in item["answerOption"]]
                assert answer[key] in options, (entry["linkId"], answer[key])
            if extension(item, EXT_DATE_OR_NEVER):
                assert re.match(DATE_OR_NEVER_REGEX, answer[key])


# -- fixtures ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def questionnaire(script: Script, resources: Resources) -> dict[str, Any]:
    """As ``export-script`` makes it: the dose questions within the shipped clinic's bounds."""
    return script_to_questionnaire(script, answer_bounds(resources.kb, resources.clinic))


@pytest.fixture(scope="module")
def full_face(tmp_path_factory: pytest.TempPathFactory) -> ConsultRecord:
    """The full-face example run and kept by the real command, once per module: the tests only read it
    (each change is a ``model_copy``)."""
    data_dir = tmp_path_factory.mktemp("full-face")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["run", str(example("full_face")), "--data-dir", str(data_dir), "--format", "json"])
    assert code == 0
    record = open_repository(data_dir).get(json.loads(out.getvalue())["consult_id"])
    assert record is not None
    return record


# -- the Questionnaire ---------------------------------------------------------------------------------


def test_the_questionnaire_validates_and_names_the_script(script: Script, questionnaire: dict[str, Any]) -> None:
    model = Questionnaire.model_validate(questionnaire)
    assert model.get_resource_type() == "Questionnaire"
    assert questionnaire["url"] == questionnaire_url(script.id) == "urn:botulax-consult:questionnaire:botulax-consult"
    assert questionnaire["identifier"] == [{"system": "urn:botulax-consult:script-id", "value": script.id}]
    assert (questionnaire["version"], questionnaire["status"], questionnaire["title"]) == (
        script.version,
        "active",
        script.title,
    )
    assert questionnaire["name"] == "BotulaxConsult"
    assert questionnaire["subjectType"] == ["Patient"]
    check_questionnaire_rules(questionnaire)


def test_one_item_per_question_with_its_type(script: Script, questionnaire: dict[str, Any]) -> None:
    """Questions in the script's order; a repeat group's questions inside its group item."""
    assert [item["linkId"] for item in questionnaire["item"]] == [q.id for q in script.questions]
    expected = {
        "single": "choice",
        "multiple": "choice",
        "yes_no": "boolean",
        "integer": "integer",
        "decimal": "decimal",
        "date": "date",
        "text": "string",
    }
    seen = set()
    pairs = []
    for question, item in zip(script.questions, questionnaire["item"], strict=True):
        if isinstance(question, RepeatGroup):
            assert (item["type"], item["repeats"], item["text"]) == ("group", True, question.label)
            asked = [child for child in item["item"] if child["type"] != "display"]
            pairs += zip(question.questions, asked, strict=True)
        else:
            pairs.append((question, item))
    for question, item in pairs:
        seen.add(question.type)
        assert item["text"] == question.prompt
        if question.type == "date" and question.allow_never:
            assert item["type"] == "string"
        else:
            assert item["type"] == expected[question.type], question.id
        assert item.get("repeats", False) is (question.type == "multiple")
        assert item["linkId"] in (question.id, f"asymmetries.{question.id}")
    assert seen == set(expected), "the shipped script uses every question type"
    items = items_by_id(questionnaire)
    assert items["lot_expiry"]["type"] == "date"
    assert items["patient_id"]["required"] is False and items["patient_name"]["required"] is True


def test_choice_items_list_the_script_codes(script: Script, questionnaire: dict[str, Any]) -> None:
    items = items_by_id(questionnaire)
    group = script.question("asymmetries")
    assert isinstance(group, RepeatGroup)
    items |= {item["linkId"]: item for item in items["asymmetries"]["item"]}
    for question in [*script.questions, *group.questions]:
        if isinstance(question, RepeatGroup):
            continue
        if question in group.questions:
            question = question.model_copy(update={"id": f"asymmetries.{question.id}"})
        if not isinstance(question, ChoiceQuestion):
            assert "answerOption" not in items[question.id]
            continue
        codings = [option["valueCoding"] for option in items[question.id]["answerOption"]]
        assert codings == [
            {"system": code_system(script.id, question.choices), "code": c.code, "display": c.label}
            for c in script.choices_for(question)
        ]
    zones = [o["valueCoding"]["code"] for o in items["zones"]["answerOption"]]
    assert zones[:3] == ["glabella", "forehead", "crows_feet"]
    assert (
        items["zones"]["answerOption"][0]["valueCoding"]["system"] == "urn:botulax-consult:codes:botulax-consult:zones"
    )
    # a default is the option selected at first
    selected = [o["valueCoding"]["code"] for o in items["skin_thickness"]["answerOption"] if o.get("initialSelected")]
    assert selected == ["normal"]
    zone_codes = [o["valueCoding"]["code"] for o in items["asymmetries.zone"]["answerOption"]]
    assert zone_codes[:2] == ["forehead", "crows_feet"], "the forehead can take an asymmetry"


def test_help_is_a_nested_help_display_item(script: Script, questionnaire: dict[str, Any]) -> None:
    items = items_by_id(questionnaire)
    for question in script.questions:
        children = items[question.id].get("item", [])
        if isinstance(question, RepeatGroup):
            assert children[0]["type"] == "display" and children[0]["text"] == question.help
            assert [c["linkId"] for c in children[1:]] == [f"asymmetries.{q.id}" for q in question.questions]
            assert all(c["item"][0]["linkId"] == c["linkId"] + ".help" for c in children[1:])
            continue
        if not question.help:
            assert children == []
            continue
        (child,) = children
        assert child["type"] == "display" and child["text"] == question.help
        assert child["linkId"] == f"{question.id}.help"
        control = extension(child, EXT_ITEM_CONTROL)
        assert control is not None and control["valueCodeableConcept"]["coding"][0]["code"] == "help"


def test_simple_show_ifs_become_enable_when(script: Script, questionnaire: dict[str, Any]) -> None:
    items = items_by_id(questionnaire)
    assert items["pregnant_or_breastfeeding"]["enableWhen"] == [
        {
            "question": "sex",
            "operator": "=",
            "answerCoding": {"system": code_system(script.id, "sex"), "code": "female"},
        }
    ]
    entry = {item["linkId"]: item for item in items["asymmetries"]["item"]}
    for linked in ("asymmetries.zone", "asymmetries.stronger_side", "asymmetries.extra_units"):
        assert entry[linked]["required"] is True, "required in each repetition"
        assert extension(entry[linked], EXT_SHOW_IF) is None
    zone_chosen = {"question": "asymmetries.zone", "operator": "exists", "answerBoolean": True}
    for linked in ("asymmetries.stronger_side", "asymmetries.extra_units"):  # the entry's own zone, by its linkId
        assert entry[linked]["enableWhen"] == [zone_chosen]
    assert items["lot_expiry"]["enableWhen"] == [
        {"question": "lot_number", "operator": "exists", "answerBoolean": True}
    ]


def test_other_show_ifs_keep_their_text_and_are_not_required_always(questionnaire: dict[str, Any]) -> None:
    items = items_by_id(questionnaire)
    item = items["prior_zones"]
    text = "prior_treatment_date != never and answered(prior_treatment_date)"
    assert "enableWhen" not in item
    assert extension(item, EXT_SHOW_IF) == {"url": EXT_SHOW_IF, "valueString": text}
    # FHIR would enable the item always, so "required" would demand it of every consult
    assert item["required"] is False
    assert extension(item, EXT_REQUIRED_WHEN_SHOWN) == {"url": EXT_REQUIRED_WHEN_SHOWN, "valueBoolean": True}
    group = items["asymmetries"]
    shown = "selected(zones, 'forehead', 'crows_feet', 'bunny_lines', 'gummy_smile', 'marionette', 'masseter')"
    assert extension(group, EXT_SHOW_IF) == {"url": EXT_SHOW_IF, "valueString": shown}
    assert group["required"] is False and extension(group, EXT_REQUIRED_WHEN_SHOWN) is None, "no entry is needed"
    zone = next(i for i in group["item"] if i["linkId"] == "asymmetries.zone")
    assert extension(zone, EXT_CHOICES_FILTER)["valueString"] == "selected(zones, choice)"


def test_a_repeat_group_is_a_repeating_group_with_a_maximum(questionnaire: dict[str, Any]) -> None:
    group = items_by_id(questionnaire)["asymmetries"]
    assert (group["type"], group["repeats"]) == ("group", True)
    assert extension(group, "http://hl7.org/fhir/StructureDefinition/questionnaire-maxOccurs") == {
        "url": "http://hl7.org/fhir/StructureDefinition/questionnaire-maxOccurs",
        "valueInteger": 6,
    }
    assert extension(group, "urn:botulax-consult:extension:repeat-unique")["valueString"] == "asymmetries.zone"


def test_a_date_that_accepts_never_is_a_checked_string(questionnaire: dict[str, Any]) -> None:
    item = items_by_id(questionnaire)["prior_treatment_date"]
    assert item["type"] == "string"
    assert extension(item, EXT_DATE_OR_NEVER)["valueBoolean"] is True
    regex = extension(item, "http://hl7.org/fhir/StructureDefinition/regex")["valueString"]
    for good in ("never", "2026-11-05"):
        assert re.match(regex, good)
    for bad in ("yesterday", "05/11/2026", "never2"):
        assert not re.match(regex, bad)


def test_numbers_carry_bounds_and_units(questionnaire: dict[str, Any]) -> None:
    age = items_by_id(questionnaire)["age"]
    assert extension(age, "http://hl7.org/fhir/StructureDefinition/minValue") == {
        "url": "http://hl7.org/fhir/StructureDefinition/minValue",
        "valueInteger": 18,
    }
    assert extension(age, "http://hl7.org/fhir/StructureDefinition/maxValue")["valueInteger"] == 100
    extra = next(
        i for i in items_by_id(questionnaire)["asymmetries"]["item"] if i["linkId"] == "asymmetries.extra_units"
    )
    assert extension(extra, "http://hl7.org/fhir/StructureDefinition/maxValue")["valueDecimal"] == 4
    assert extension(extra, "http://hl7.org/fhir/StructureDefinition/questionnaire-unit")["valueCoding"] == {
        "display": "U"
    }
    assert items_by_id(questionnaire)["goals"]["maxLength"] == 500


@pytest.mark.parametrize(
    ("expression", "conditions", "behavior"),
    [
        ("sex == 'male'", [{"question": "sex", "operator": "=", "answerCoding": {"code": "male"}}], None),
        ("'male' == sex", [{"question": "sex", "operator": "=", "answerCoding": {"code": "male"}}], None),
        ("toxin_allergy == False", [{"question": "toxin_allergy", "operator": "=", "answerBoolean": False}], None),
        ("toxin_allergy == true", [{"question": "toxin_allergy", "operator": "=", "answerBoolean": True}], None),
        ("age == 40", [{"question": "age", "operator": "=", "answerInteger": 40}], None),
        ("goals == 'less frowning'", [{"question": "goals", "operator": "=", "answerString": "less frowning"}], None),
        (
            "prior_treatment_date == never",
            [{"question": "prior_treatment_date", "operator": "=", "answerString": "never"}],
            None,
        ),
        ("not answered(goals)", [{"question": "goals", "operator": "exists", "answerBoolean": False}], None),
        (
            "sex == 'female' and answered(goals)",
            [
                {"question": "sex", "operator": "=", "answerCoding": {"code": "female"}},
                {"question": "goals", "operator": "exists", "answerBoolean": True},
            ],
            "all",
        ),
        (
            "toxin_allergy == True or age == 40",
            [
                {"question": "toxin_allergy", "operator": "=", "answerBoolean": True},
                {"question": "age", "operator": "=", "answerInteger": 40},
            ],
            "any",
        ),
    ],
)
def test_enable_when_for_plain_conditions(
    script: Script, expression: str, conditions: list[dict[str, Any]], behavior: str | None
) -> None:
    found = enable_when(script, expression)
    assert found is not None
    got, got_behavior = found
    for condition in got:  # the code system is the script's list; compare the code
        if "answerCoding" in condition:
            assert condition["answerCoding"]["system"] == code_system(script.id, "sex")
            condition["answerCoding"] = {"code": condition["answerCoding"]["code"]}
    assert (got, got_behavior) == (conditions, behavior)


@pytest.mark.parametrize(
    "expression",
    [
        "age >= 75",
        "sex != 'female'",
        "zones == 'glabella'",  # a list is never equal to one code
        "lot_expiry == '2027-01-01'",  # dates compare as dates, never with text
        "selected(zones, 'masseter')",
        "sex == 'female' and age > 40",
        "(sex == 'female' and age == 3) or toxin_allergy == True",
        "asymmetries == True",  # a group's id holds its entries, not yes or no
        "unknown_question == 'x'",
        "sex == other_name",
        "count(zones) == 2",
        "answered(zones, 'x')",
    ],
)
def test_other_conditions_have_no_enable_when(script: Script, expression: str) -> None:
    assert enable_when(script, expression) is None


# -- QuestionnaireResponses ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", EXAMPLES)
def test_shipped_examples_validate_and_read_back_the_same(
    name: str, script: Script, questionnaire: dict[str, Any], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    record = saved_record(capsys, example(name), tmp_path)
    response = record_to_questionnaire_response(record, script)
    model = QuestionnaireResponse.model_validate(response)
    assert model.get_resource_type() == "QuestionnaireResponse"
    assert response["id"] == record.consult_id
    assert response["identifier"] == {"system": "urn:botulax-consult:consult-id", "value": record.consult_id}
    assert response["questionnaire"] == f"{questionnaire['url']}|{record.script_version}"
    assert response["status"] == "completed"
    assert response["subject"]["display"] == record.patient_name
    assert response["authored"].startswith(record.date.isoformat())  # the consult's date, not the clock's
    assert "author" not in response  # no staff name given
    check_response_against(response, questionnaire)
    assert questionnaire_response_answers(response, script) == given_answers(record)
    # answered in script order; skipped optional questions are left out
    linked = [item["linkId"] for item in response["item"]]
    assert linked == [q.id for q in script.questions if q.id in given_answers(record)]
    assert "lot_number" not in linked


def test_answers_have_the_right_value_types(
    script: Script, full_face: ConsultRecord, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    response = record_to_questionnaire_response(full_face, script)
    answers = {item["linkId"]: item["answer"] for item in response["item"]}
    assert answers["patient_name"] == [{"valueString": "Mina Park"}]
    assert answers["sex"] == [
        {"valueCoding": {"system": code_system(script.id, "sex"), "code": "female", "display": "Female"}}
    ]
    assert [a["valueCoding"]["code"] for a in answers["zones"]] == ["glabella", "forehead", "crows_feet"]
    assert answers["pregnant_or_breastfeeding"] == [{"valueBoolean": False}]
    assert answers["age"] == [{"valueInteger": 38}]
    assert answers["prior_treatment_date"] == [{"valueString": "never"}]
    assert response["subject"] == {"display": "Mina Park", "identifier": {"value": "P-1042"}}

    touch_up = record_to_questionnaire_response(saved_record(capsys, example("returning_touch_up"), tmp_path), script)
    dates = {item["linkId"]: item["answer"] for item in touch_up["item"]}["prior_treatment_date"]
    assert dates == [{"valueString": "2026-11-05"}]

    masseter = record_to_questionnaire_response(saved_record(capsys, example("asymmetry_masseter"), tmp_path), script)
    answered = {item["linkId"]: item.get("answer") for item in masseter["item"]}
    [entry] = [item for item in masseter["item"] if item["linkId"] == "asymmetries"]
    inner = {item["linkId"]: item["answer"] for item in entry["item"]}
    assert inner["asymmetries.extra_units"] == [{"valueDecimal": 3.0}]
    assert inner["asymmetries.stronger_side"][0]["valueCoding"]["code"] == "left"
    assert "identifier" not in masseter["subject"] and "patient_id" not in answered


def test_several_asymmetries_are_repetitions_of_the_group(
    script: Script, questionnaire: dict[str, Any], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    record = saved_record(capsys, example("asymmetry_several"), tmp_path)
    assert record.answers["asymmetries"] == [
        {"zone": "crows_feet", "stronger_side": "right", "extra_units": 2.0},
        {"zone": "masseter", "stronger_side": "left", "extra_units": 1.0},
    ], "a record keeps the group as its entries"
    response = record_to_questionnaire_response(record, script)
    QuestionnaireResponse.model_validate(response)
    check_response_against(response, questionnaire)
    repetitions = [item for item in response["item"] if item["linkId"] == "asymmetries"]
    assert len(repetitions) == 2
    assert questionnaire_response_answers(response, script)["asymmetries"] == record.answers["asymmetries"]
    assert response["status"] == "completed"


def test_lot_expiry_is_a_date_and_the_staff_the_author(
    script: Script, questionnaire: dict[str, Any], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    answers = example("full_face").read_text(encoding="utf-8")
    with_lot = tmp_path / "lot.yaml"
    with_lot.write_text(answers + "lot_number: BX2311\nlot_expiry: 2027-05-31\n", encoding="utf-8")
    record = saved_record(capsys, with_lot, tmp_path / "data", "--staff", "Dr Lee")
    response = record_to_questionnaire_response(record, script)
    QuestionnaireResponse.model_validate(response)
    answered = {item["linkId"]: item["answer"] for item in response["item"]}
    assert answered["lot_number"] == [{"valueString": "BX2311"}]
    assert answered["lot_expiry"] == [{"valueDate": "2027-05-31"}]
    assert response["author"] == {"display": "Dr Lee"}
    check_response_against(response, questionnaire)
    back = questionnaire_response_answers(response, script)
    assert back == given_answers(record)
    assert back["lot_expiry"] == "2027-05-31" and back["zones"] == ["glabella", "forehead", "crows_feet"]


def test_a_korean_name_is_kept_as_it_is(script: Script, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    answers = example("full_face").read_text(encoding="utf-8").replace("Mina Park", "박미나")
    korean = tmp_path / "korean.yaml"
    korean.write_text(answers, encoding="utf-8")
    consult_id = run_saved(capsys, korean, tmp_path)
    assert cmd_export(argparse.Namespace(consult_id=consult_id, fhir=True, data_dir=tmp_path)) == 0
    out = capsys.readouterr().out
    assert "박미나" in out
    assert response_in(json.loads(out))["subject"]["display"] == "박미나"


def test_a_consult_stopped_early_is_stopped_not_completed(script: Script, full_face: ConsultRecord) -> None:
    # the UI can stop at a contraindication and record what was answered so far
    partial = {k: full_face.answers[k] for k in ("patient_name", "patient_id", "sex")}
    stopped = full_face.model_copy(update={"answers": {**partial, "pregnant_or_breastfeeding": True}})
    response = record_to_questionnaire_response(stopped, script)
    QuestionnaireResponse.model_validate(response)
    assert response["status"] == "stopped"
    assert questionnaire_response_answers(response, script) == given_answers(stopped)


def test_a_record_of_another_script_is_refused(script: Script, full_face: ConsultRecord) -> None:
    other = full_face.model_copy(update={"script_id": "another-script"})
    with pytest.raises(FhirExportError, match="another-script"):
        record_to_questionnaire_response(other, script)


def test_an_answer_of_the_wrong_kind_is_refused(script: Script, full_face: ConsultRecord) -> None:
    wrong = full_face.model_copy(update={"answers": {**full_face.answers, "age": "thirty"}})
    with pytest.raises(FhirExportError, match="'age'"):
        record_to_questionnaire_response(wrong, script)


def test_answers_to_questions_the_script_dropped_are_kept(script: Script, full_face: ConsultRecord) -> None:
    older = full_face.model_copy(update={"answers": {**full_face.answers, "old_question": True, "old_count": 2}})
    response = record_to_questionnaire_response(older, script)
    QuestionnaireResponse.model_validate(response)
    answered = {item["linkId"]: item["answer"] for item in response["item"]}
    assert answered["old_question"] == [{"valueBoolean": True}] and answered["old_count"] == [{"valueInteger": 2}]
    assert questionnaire_response_answers(response, script) == given_answers(older)


def test_the_questionnaire_version_named_is_the_records(script: Script, full_face: ConsultRecord) -> None:
    older = full_face.model_copy(update={"script_version": "0.9"})
    response = record_to_questionnaire_response(older, script)
    assert response["questionnaire"].endswith("|0.9")
    assert response["status"] == "completed"


# -- the commands ----------------------------------------------------------------------------------------------


def export_args(consult_id: str, data_dir: Path, **extra: Any) -> argparse.Namespace:
    return argparse.Namespace(**{"consult_id": consult_id, "fhir": True, "output": None, "data_dir": data_dir, **extra})


def test_export_writes_the_response_to_stdout(
    script: Script, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    consult_id = run_saved(capsys, example("asymmetry_masseter"), tmp_path)
    assert cmd_export(export_args(consult_id, tmp_path)) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    response = response_in(json.loads(captured.out))
    QuestionnaireResponse.model_validate(response)
    assert response["id"] == consult_id
    record = open_repository(tmp_path).get(consult_id)
    assert record is not None
    assert questionnaire_response_answers(response, script) == given_answers(record)


def test_export_writes_an_owner_only_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    consult_id = run_saved(capsys, example("full_face"), tmp_path)
    target = tmp_path / "out" / "consult.json"
    assert cmd_export(export_args(consult_id, tmp_path, output=target)) == 0
    assert capsys.readouterr().out.strip() == str(target)
    QuestionnaireResponse.model_validate(response_in(json.loads(target.read_text(encoding="utf-8"))))
    assert target.stat().st_mode & 0o777 == 0o600
    # a folder gets a file named after the consult
    folder = tmp_path / "exports"
    folder.mkdir()
    assert cmd_export(export_args(consult_id, tmp_path, output=folder)) == 0
    assert (folder / f"{consult_id}.fhir.json").is_file()


def test_export_without_fhir_says_which_format(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    consult_id = run_saved(capsys, example("full_face"), tmp_path)
    args = export_args(consult_id, tmp_path)
    args.fhir = False
    assert cmd_export(args) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "--fhir" in captured.err and len(captured.err.strip().splitlines()) == 1


def test_export_of_an_unknown_consult_is_a_clear_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    for unknown in ("20990101-000000-zzzzzzzz", "not-an-id"):
        assert cmd_export(export_args(unknown, tmp_path)) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        assert captured.err.strip() == f"botulax-consult: no consult '{unknown}' (see: botulax-consult history)."


def test_export_of_a_damaged_record_names_the_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    consult_id = run_saved(capsys, example("full_face"), tmp_path)
    (stored,) = (tmp_path / "consults").rglob(f"{consult_id}.json")
    stored.write_text("{ not json", encoding="utf-8")
    assert cmd_export(export_args(consult_id, tmp_path)) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert str(stored) in captured.err and "damaged" in captured.err
    assert len(captured.err.strip().splitlines()) == 1
    assert stored.read_text(encoding="utf-8") == "{ not json"


def test_export_with_a_broken_script_stops(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    consult_id = run_saved(capsys, example("full_face"), tmp_path)
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x\nversion: 1\n", encoding="utf-8")
    assert cmd_export(export_args(consult_id, tmp_path, script=broken)) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "cannot export" in captured.err


def test_export_script_writes_the_questionnaire(
    script: Script, questionnaire: dict[str, Any], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert cmd_export_script(argparse.Namespace(fhir=True, output=None)) == 0
    printed = json.loads(capsys.readouterr().out)
    Questionnaire.model_validate(printed)
    assert printed == questionnaire
    target = tmp_path / "q.json"
    assert cmd_export_script(argparse.Namespace(fhir=True, output=target, script=None)) == 0
    assert capsys.readouterr().out.strip() == str(target)
    assert json.loads(target.read_text(encoding="utf-8")) == questionnaire
    assert cmd_export_script(argparse.Namespace(fhir=True, output=tmp_path)) == 0
    assert (tmp_path / "botulax-consult.questionnaire.json").is_file()


def test_export_script_of_another_script_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = YAML(typ="safe").load(SCRIPT_FILE.read_text(encoding="utf-8"))
    data["id"], data["version"] = "clinic_script", 2
    data["questions"].append(
        {"id": "when", "type": "date", "prompt": "When?", "show_if": "sex == 'male'", "required": False}
    )
    own = tmp_path / "own.yaml"
    with own.open("w", encoding="utf-8") as handle:
        YAML(typ="safe").dump(data, handle)
    assert cmd_export_script(argparse.Namespace(fhir=True, output=None, script=own)) == 0
    printed = json.loads(capsys.readouterr().out)
    Questionnaire.model_validate(printed)
    assert printed["id"] == "clinic-script" and printed["version"] == "2" and printed["name"] == "ClinicScript"
    assert printed["url"] == "urn:botulax-consult:questionnaire:clinic_script"
    when = items_by_id(printed)["when"]
    assert when["type"] == "date" and when["required"] is False
    assert when["enableWhen"][0]["answerCoding"] == {"system": code_system("clinic_script", "sex"), "code": "male"}


def test_export_script_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert cmd_export_script(argparse.Namespace(fhir=False, output=None)) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "--fhir" in captured.err
    assert cmd_export_script(argparse.Namespace(fhir=True, output=None, script=tmp_path / "missing.yaml")) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "cannot export" in captured.err
    blocked = tmp_path / "file"
    blocked.write_text("", encoding="utf-8")
    assert cmd_export_script(argparse.Namespace(fhir=True, output=blocked / "q.json")) == 2
    assert "cannot write" in capsys.readouterr().err
