"""Korean patient explanations: the templates, Korean dates and money, the PDF's Korean text and font,
and the checks that keep a translation from going missing on paper."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from assistant import locations
from assistant.cli import main
from assistant.core.knowledge_checks import check_knowledge
from assistant.core.plan import Plan
from assistant.documents import (
    PdfUnavailable,
    RenderError,
    long_date,
    money,
    patient_context,
    render_patient,
    render_summary,
    template_name,
)
from assistant.documents import pdf as pdf_module
from assistant.files.loaders import load_answers, load_script
from assistant.files.resources import Resources
from assistant.services.headless import consult_date, run_answer_file
from assistant.services.lint import language_template_problems, lint
from tests.helpers import TODAY
from tests.test_documents import EXAMPLES, PRICED, dose_figures, make, one_line, pdf_text, visible

HANGUL = re.compile("[\uac00-\ud7a3]")
KOREAN = {"patient_language": "ko"}
FONT_PACKAGE = "fonts-noto-cjk"


def korean_font_or_skip() -> None:
    if pdf_module.korean_font_available() is not True:
        pytest.skip(f"no installed font covers Hangul (Debian/Ubuntu: apt-get install {FONT_PACKAGE})")


@pytest.fixture(scope="module")
def korean_plans(resources: Resources) -> dict[str, tuple[Plan, dict[str, Any]]]:
    """Every shipped example, answered with patient_language: ko."""
    plans = {}
    for path in EXAMPLES:
        loaded = load_answers(path)
        assert loaded.value is not None, loaded.problems
        loaded.value.answers["patient_language"] = "ko"
        today = consult_date(loaded.value, None, TODAY)
        assert isinstance(today, date)
        outcome = run_answer_file(resources, loaded.value, today)
        assert outcome.plan is not None and outcome.consult is not None, outcome.problems
        assert outcome.consult.answers["patient_language"] == "ko"
        plans[path.stem] = (outcome.plan, outcome.consult.answers)
    return plans


@pytest.fixture(scope="module")
def mixed(resources: Resources) -> Plan:
    """Touch-ups, a full dose with a measured asymmetry, and a price (as in test_documents)."""
    return make(
        resources,
        PRICED,
        patient_name="김지우",
        patient_language="ko",
        zones=["glabella", "forehead", "masseter"],
        prior_treatment_date="2026-11-05",
        prior_zones=["glabella"],
        asymmetry=True,
        asymmetry_zone="masseter",
        stronger_side="left",
        extra_units=2,
    )


# --- the script and the knowledge base -------------------------------------------------------------------


def test_the_script_asks_the_patients_language_after_the_patient_id(resources: Resources) -> None:
    script = resources.script
    ids = [q.id for q in script.questions]
    assert ids.index("patient_language") == ids.index("patient_id") + 1
    question = script.question("patient_language")
    assert question.type == "single" and question.default == "en" and question.section == "Patient"
    assert [c.code for c in script.choices_for(question)] == ["en", "ko"]
    assert script.version == "1.4.1"


def test_the_knowledge_base_is_written_in_english_and_korean(resources: Resources) -> None:
    knowledge = resources.kb.knowledge
    assert knowledge.languages == ("en", "ko") and knowledge.version == "1.5.4"
    assert [f for f in check_knowledge(knowledge) if f.code == "missing-translation"] == []
    for zone in knowledge.zones:
        assert HANGUL.search(zone.patient_name.get("ko")) and HANGUL.search(zone.patient_text.get("ko"))


def test_an_answer_file_without_a_language_is_english(resources: Resources) -> None:
    loaded = load_answers(locations.EXAMPLES_DIR / "full_face.yaml")
    assert loaded.value is not None and "patient_language" not in loaded.value.answers
    outcome = run_answer_file(resources, loaded.value, TODAY)
    assert outcome.consult is not None and outcome.consult.answers["patient_language"] == "en"


# --- Korean dates and money ------------------------------------------------------------------------------


def test_korean_dates_are_spelled_out_and_money_is_formatted_for_korea() -> None:
    assert long_date(date(2026, 12, 8), "ko") == "2026년 12월 8일"
    assert long_date(date(2027, 1, 31), "ko") == "2027년 1월 31일"
    assert money(520, "KRW", "ko") == "₩520"
    assert money(520, "USD", "ko") == "US$520.00"


def test_the_korean_context_holds_korean_words_and_dates(resources: Resources, mixed: Plan) -> None:
    context = patient_context(mixed, resources.kb, PRICED, answers=KOREAN)
    assert context["language"] == "ko"
    assert context["today"] == "2026년 11월 24일"
    assert context["follow_up"] == {
        "review_date": "2026년 12월 8일",
        "touch_up_from": "2026년 12월 12일",
        "touch_up_to": "2026년 12월 15일",
        "next_full_treatment": "2027년 2월 3일",  # the glabella touched up today: 2026-11-05 + 90 days
    }
    assert context["zones"][0]["name"] == "눈썹 사이의 미간 주름"
    assert context["cost"] == money(mixed.cost or 0, "USD", "ko")
    assert dose_figures(repr(context)) == []


# --- the Korean templates --------------------------------------------------------------------------------


def test_korean_templates_are_chosen_for_a_korean_consult() -> None:
    for fmt, name in (("text", "patient_explanation.ko.txt.j2"), ("html", "patient_explanation.ko.html.j2")):
        assert template_name(locations.TEMPLATES_DIR, "patient_explanation", fmt, "ko") == name  # type: ignore[arg-type]
        assert template_name(locations.TEMPLATES_DIR, "patient_explanation", fmt, "en") != name  # type: ignore[arg-type]


@pytest.mark.parametrize("fmt", ["text", "html"])
@pytest.mark.parametrize("example", [p.stem for p in EXAMPLES])
def test_korean_patient_explanation_of_each_example(
    fmt: str, example: str, resources: Resources, korean_plans: dict[str, tuple[Plan, dict[str, Any]]]
) -> None:
    plan, answers = korean_plans[example]
    kb = resources.kb
    text = visible(render_patient(plan, kb, resources.clinic, fmt, answers=answers))
    assert f"{plan.patient_name} 님" in text
    for zone_id in {line.zone for line in plan.lines} | {item.zone for item in plan.deferred}:
        zone = kb.zone(zone_id)
        assert one_line(zone.patient_name.get("ko")) in text
        assert zone.patient_name.en[1:] not in text, "no English fallback on a Korean sheet"
    for zone_id in {line.zone for line in plan.lines}:
        assert one_line(kb.zone(zone_id).patient_text.get("ko")) in text
    if plan.lines:
        follow = plan.follow_up
        days = [follow.review_date, follow.touch_up_from, follow.touch_up_to, follow.next_full_treatment]
        for day in [day for day in days if day is not None]:
            assert long_date(day, "ko") in text
            assert long_date(day) not in text
        for item in kb.aftercare():
            assert one_line(item.text.get("ko")) in text
            assert one_line(item.text.en) not in text
        assert one_line(kb.safety.spread_warning.get("ko")) in text
        assert "효과가 나타나기 시작합니다" in text and "3~4개월" in text
    for rule in kb.contraindications():
        if rule.patient_message and any(r.code == rule.id for r in plan.reasons):
            assert one_line(rule.patient_message.get("ko")) in text
    assert "Dear" not in text and "What we treated" not in text
    assert dose_figures(text) == []


def test_korean_text_explains_sides_touch_ups_and_cost(resources: Resources, mixed: Plan) -> None:
    text = one_line(str(render_patient(mixed, resources.kb, PRICED, "text", answers=KOREAN)))
    assert text.startswith("Seoul Glow Clinic - 2026년 11월 24일")
    assert "김지우 님께" in text
    assert "이전 시술에 더하는 소량의 보충 시술입니다." in text  # the touched-up glabella
    assert "좌우 균형을 맞추기 위해 본인 기준 왼쪽에 조금 더 시술합니다." in text  # the masseter asymmetry
    assert "시술 후 약 3일째(2026년 11월 27일)부터" in text and "14일째(2026년 12월 8일) 무렵" in text
    assert "보충 시술 기간: 2026년 12월 12일부터 2026년 12월 15일까지" in text
    assert f"오늘 시술 비용: {money(mixed.cost or 0, 'USD', 'ko')}" in text
    assert "전화: +82 2 555 0134" in text
    assert dose_figures(text) == []


def test_korean_text_never_splits_a_date_or_a_word_across_lines(resources: Resources, mixed: Plan) -> None:
    text = str(render_patient(mixed, resources.kb, PRICED, "text", answers=KOREAN))
    for day in ("2026년 11월 27일", "2026년 12월 8일", "2026년 12월 12일", "2026년 12월 15일"):
        assert day in text
    assert "\u00a0" not in text, "the no-break spaces that hold dates together are gone from the output"
    for line in text.splitlines():
        assert len(line) <= 60, line


def test_korean_html_is_korean_and_keeps_words_whole(resources: Resources, mixed: Plan) -> None:
    page = str(render_patient(mixed, resources.kb, PRICED, "html", answers=KOREAN))
    assert '<html lang="ko">' in page
    assert "<title>Seoul Glow Clinic: 시술 안내문, 2026년 11월 24일</title>" in page
    assert '"Noto Sans CJK KR"' in page
    assert '<span class="kw">부드럽게</span>' in page, "words are kept whole: WeasyPrint has no keep-all"
    text = visible(page)
    assert "오늘의 시술 안내" in text and "시술 후 관리" in text
    assert "경과 확인: 2026년 12월 8일" in text
    assert dose_figures(text) == []


def test_korean_deferred_zones_give_the_reason_with_the_days(resources: Resources) -> None:
    plan = make(resources, zones=["glabella", "forehead"], prior_treatment_date="2026-11-19", prior_zones=["glabella"])
    for fmt in ("text", "html"):
        text = visible(render_patient(plan, resources.kb, resources.clinic, fmt, answers=KOREAN))  # type: ignore[arg-type]
        assert "이번에는 시술하지 않는 부위" in text
        assert "5일 전에 시술한 부위로, 아직 효과가 충분히 나타나지 않았습니다." in text
        assert re.search(r"2026년 12월 7일 ?부터 시술받으실 수 있습니다\.", text), text  # HTML: a tag between


@pytest.mark.parametrize("fmt", ["text", "html"])
def test_korean_contraindicated_sheet_gives_the_reason_and_no_dose(resources: Resources, fmt: str) -> None:
    plan = make(resources, PRICED, pregnant_or_breastfeeding=True, zones=["glabella", "crows_feet"])
    text = visible(render_patient(plan, resources.kb, PRICED, fmt, answers=KOREAN))  # type: ignore[arg-type]
    assert "오늘 시술하지 않는 이유" in text or "오늘 시술을 하지 않는 이유" in text
    assert "임신 중이거나 모유 수유 중에는 이 시술을 하지 않습니다." in text
    assert "오늘 시술한 부위" not in text and "비용" not in text
    assert dose_figures(text) == []


def test_a_hostile_name_is_escaped_in_the_korean_html(resources: Resources) -> None:
    plan = make(resources, patient_name="<script>alert(1)</script>", zones=["glabella"])
    page = str(render_patient(plan, resources.kb, resources.clinic, "html", answers=KOREAN))
    assert "<script" not in page and "&lt;script&gt;" in page


@pytest.mark.parametrize("fmt", ["text", "html"])
def test_the_dose_summary_of_a_korean_consult_stays_in_english(resources: Resources, fmt: str) -> None:
    plan = make(resources, PRICED, patient_name="Ji-woo Kim", patient_language="ko", zones=["glabella", "masseter"])
    answers = {"patient_id": "P-1042", "patient_language": "ko"}
    text = visible(render_summary(plan, resources.kb, PRICED, fmt, staff="Dr Hana Cho", answers=answers))  # type: ignore[arg-type]
    assert "Dose summary" in text or "DOSE SUMMARY" in text
    assert "Glabella" in text and "Masseter" in text
    assert "Ji-woo Kim" in text and "P-1042" in text
    assert not HANGUL.search(text), "the practitioner's record is in the clinic's working language"


# --- the PDF ---------------------------------------------------------------------------------------------


def test_the_korean_pdf_holds_the_korean_text(resources: Resources, mixed: Plan, tmp_path: Path) -> None:
    korean_font_or_skip()
    pdf = render_patient(mixed, resources.kb, PRICED, "pdf", answers=KOREAN)
    assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF-")
    text = pdf_text(pdf, tmp_path)
    assert "김지우 님" in text
    for zone_id in ("glabella", "forehead", "masseter"):
        zone = resources.kb.zone(zone_id)
        assert zone.patient_name.get("ko") in text
    assert "눈썹을 안쪽으로 모으는 작은 근육을 이완시켜" in text
    assert "2026년 12월 8일" in text
    assert "오늘은 시술 부위를 문지르거나 마사지하지 마세요." in text
    assert dose_figures(text) == []


@pytest.mark.parametrize("example", ["contraindicated_pregnant", "too_soon", "returning_touch_up"])
def test_korean_pdfs_of_examples(
    example: str, resources: Resources, korean_plans: dict[str, tuple[Plan, dict[str, Any]]], tmp_path: Path
) -> None:
    korean_font_or_skip()
    plan, answers = korean_plans[example]
    pdf = render_patient(plan, resources.kb, resources.clinic, "pdf", answers=answers)
    text = pdf_text(pdf, tmp_path)  # type: ignore[arg-type]
    assert f"{plan.patient_name} 님" in text
    for item in plan.deferred:
        assert resources.kb.zone(item.zone).patient_name.get("ko") in text
    assert dose_figures(text) == []


def test_a_missing_korean_font_is_a_clear_error(
    resources: Resources, mixed: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf_module, "korean_font_available", lambda: False)
    with pytest.raises(PdfUnavailable) as caught:
        render_patient(mixed, resources.kb, PRICED, "pdf", answers=KOREAN)
    message = str(caught.value)
    assert message.startswith("Korean PDFs need a font that covers Hangul")
    assert f"install the system package {FONT_PACKAGE}" in message
    assert isinstance(caught.value, RenderError)
    english = make(resources, PRICED, patient_name="Mina Park", zones=["glabella"])
    assert isinstance(render_patient(english, resources.kb, PRICED, "pdf"), bytes), "English needs no Korean font"


def test_the_font_check_asks_fontconfig(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    silent = tmp_path / "fc-list"
    silent.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    silent.chmod(0o755)
    monkeypatch.setattr(pdf_module, "_korean_font_found", False)
    monkeypatch.setattr(pdf_module.shutil, "which", lambda name: str(silent))
    assert pdf_module.korean_font_available() is False, "fontconfig lists no Korean font"
    with pytest.raises(PdfUnavailable, match=FONT_PACKAGE):
        pdf_module.check_fonts("<p>안녕하세요</p>")
    pdf_module.check_fonts("<p>Hello</p>")  # no Hangul: no Korean font needed
    monkeypatch.setattr(pdf_module.shutil, "which", lambda name: None)
    assert pdf_module.korean_font_available() is None, "without fc-list nobody can tell"
    pdf_module.check_fonts("<p>안녕하세요</p>")  # left to WeasyPrint


# --- check: a missing translation is a problem, not a blank on paper -------------------------------------


def knowledge_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "knowledge"
    shutil.copytree(locations.KNOWLEDGE_DIR, folder)
    return folder


def line_number(text: str, needle: str, after: int = 0) -> int:
    """1-based number of the first line holding ``needle`` after line ``after``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if number > after and needle in line:
            return number
    raise AssertionError(needle)


def test_a_missing_korean_text_is_reported_at_its_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = knowledge_copy(tmp_path)
    zones = folder / "zones.yaml"
    text = zones.read_text(encoding="utf-8")
    removed = "      ko: 턱끝이 오돌토돌한 '귤껍질'처럼 보이는 것을 매끈하게 합니다.\n"
    assert text.count(removed) == 1
    zones.write_text(text.replace(removed, ""), encoding="utf-8")
    expected_line = line_number(text, "patient_text:", after=line_number(text, "- id: chin"))

    problems = [p for p in lint(knowledge=folder, data_dir=tmp_path / "data") if p.code == "missing-translation"]
    assert len(problems) == 1, problems
    problem = problems[0]
    assert Path(problem.file).resolve() == zones.resolve()
    assert problem.line == expected_line
    assert problem.severity == "error"
    assert "zones[6].patient_text ('chin')" in problem.message and "'ko'" in problem.message

    assert main(["check", "--knowledge", str(folder), "--data-dir", str(tmp_path / "data")]) == 1
    out = capsys.readouterr().out
    assert f"{problem.file}:{expected_line}: [missing-translation] " in out


def test_a_plain_english_string_lacks_its_korean_text(tmp_path: Path) -> None:
    folder = knowledge_copy(tmp_path)
    aftercare = folder / "aftercare.yaml"
    text = aftercare.read_text(encoding="utf-8")
    old = (
        "    text:\n      en: Do not rub or massage the treated areas today.\n"
        "      ko: 오늘은 시술 부위를 문지르거나 마사지하지 마세요.\n"
    )
    assert text.count(old) == 1
    aftercare.write_text(text.replace(old, "    text: Do not rub or massage the treated areas today.\n"), "utf-8")
    problems = [p for p in lint(knowledge=folder, data_dir=tmp_path / "data") if p.code == "missing-translation"]
    assert [(Path(p.file).name, p.line) for p in problems] == [("aftercare.yaml", 4)]
    assert "aftercare[0].text ('no_rubbing')" in problems[0].message


def test_a_language_offered_by_the_script_must_be_in_the_knowledge_base(tmp_path: Path) -> None:
    folder = knowledge_copy(tmp_path)
    sources = folder / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8").replace("languages: [en, ko]", "languages: [en]"), "utf-8")
    problems = [p for p in lint(knowledge=folder, data_dir=tmp_path / "data") if p.code == "missing-translation"]
    assert len(problems) == 1, problems
    script_text = locations.SCRIPT_FILE.read_text(encoding="utf-8")
    assert Path(problems[0].file).resolve() == locations.SCRIPT_FILE.resolve()
    assert problems[0].line == line_number(script_text, "{code: ko, label:")
    assert "the script offers the patient language 'ko'" in problems[0].message


def test_a_language_listed_that_texts_cannot_hold(tmp_path: Path) -> None:
    folder = knowledge_copy(tmp_path)
    sources = folder / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    sources.write_text(text.replace("languages: [en, ko]", "languages: [en, ko, ja]"), "utf-8")
    problems = lint(knowledge=folder, data_dir=tmp_path / "data")
    unknown = [p for p in problems if p.code == "unknown-language"]
    assert [(Path(p.file).name, p.line) for p in unknown] == [("sources.yaml", line_number(text, "languages:"))]
    assert not [p for p in problems if p.code == "missing-translation"], "reported once, not for every text"


def test_a_language_offered_by_the_script_needs_its_templates(tmp_path: Path) -> None:
    script_text = locations.SCRIPT_FILE.read_text(encoding="utf-8")
    script_path = tmp_path / "consult.yaml"
    script_path.write_text(script_text, encoding="utf-8")
    loaded = load_script(script_path)
    assert loaded.value is not None
    templates = tmp_path / "templates"
    shutil.copytree(locations.TEMPLATES_DIR, templates)
    assert language_template_problems(loaded.value, templates) == []
    (templates / "patient_explanation.ko.html.j2").unlink()
    problems = language_template_problems(loaded.value, templates)
    assert [(p.code, p.line, p.severity) for p in problems] == [
        ("missing-template", line_number(script_text, "{code: ko, label:"), "error")
    ]
    assert "patient_explanation.ko.html.j2" in problems[0].message
    assert "patient_explanation.ko.txt.j2" not in problems[0].message


# --- the command line ------------------------------------------------------------------------------------


def test_run_and_print_a_korean_consult(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers = tmp_path / "korean.yaml"
    source = (locations.EXAMPLES_DIR / "full_face.yaml").read_text(encoding="utf-8")
    answers.write_text(source.replace("patient_id: P-1042\n", "patient_id: P-1042\npatient_language: ko\n"), "utf-8")
    data = str(tmp_path / "data")

    assert main(["run", str(answers), "--data-dir", data]) == 0
    captured = capsys.readouterr()
    assert "DOSE SUMMARY - Mina Park - 2026-11-24" in captured.out, "the practitioner's summary stays English"
    found = re.search(r"Saved as consult (\S+)\.", captured.err)
    assert found, captured.err
    consult_id = found.group(1)

    assert main(["print", consult_id, "--what", "patient", "--format", "text", "--data-dir", data]) == 0
    sheet = one_line(capsys.readouterr().out)
    assert "Mina Park 님께" in sheet
    assert "눈썹 사이의 미간 주름" in sheet and "이마 주름" in sheet
    assert "2026년 12월 8일" in sheet
    assert dose_figures(sheet) == []
