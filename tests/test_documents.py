"""The printed documents: every template with every shipped example, the PDF's text, and hostile input."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from assistant import locations
from assistant.core.consult import Consult
from assistant.core.flow import Flow
from assistant.core.plan import Plan
from assistant.core.planner import make_plan
from assistant.documents import (
    FORMATS,
    RenderError,
    long_date,
    make_environment,
    patient_context,
    render,
    render_patient,
    render_summary,
    summary_context,
    template_name,
)
from assistant.files.loaders import load_answers
from assistant.files.resources import Resources
from assistant.services.headless import consult_date, run_answer_file
from assistant.settings import ClinicSettings
from tests.helpers import TODAY, base_answers

EXAMPLES = sorted(
    path
    for path in locations.EXAMPLES_DIR.glob("*.yaml")
    if "status: invalid" not in path.read_text(encoding="utf-8")  # refused examples have no documents
)
TEMPLATES = sorted(p.name for p in locations.TEMPLATES_DIR.glob("*.j2") if not p.name.startswith("_"))
PRICED = ClinicSettings(name="Seoul Glow Clinic", phone="+82 2 555 0134", price_per_unit=9.5, currency="USD")
HOSTILE_NAME = "<script>alert(1)</script>"

# What the patient must never read: doses, units, volumes.
DOSE_PATTERNS = [
    re.compile(r"U/point", re.IGNORECASE),
    re.compile(r"units? per point", re.IGNORECASE),
    re.compile(r"\d\s*(U|units?)\b"),
    re.compile(r"\d\s*mL\b", re.IGNORECASE),
    re.compile(r"\bmL\b"),
    re.compile(r"\d\.\d{3}"),  # 0.100, 0.063: mL per point
]


def follow_up_days(plan: Plan) -> list[date]:
    """The dates a plan's follow-up gives (a plan of touch-ups has no touch-up window)."""
    follow = plan.follow_up
    days = [follow.review_date, follow.touch_up_from, follow.touch_up_to, follow.next_full_treatment]
    return [day for day in days if day is not None]


def dose_figures(text: str) -> list[str]:
    return [m.group(0) for pattern in DOSE_PATTERNS for m in pattern.finditer(text)]


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: the PDF's text cannot be checked")
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return " ".join(result.stdout.decode("utf-8").split())


def one_line(text: str) -> str:
    return " ".join(text.split())


def visible(document: str | bytes) -> str:
    """What a reader sees: for HTML the body's text (no CSS, no tags, entities decoded), on one line."""
    text = str(document)
    if text.startswith("<!DOCTYPE"):
        text = re.sub(r"<style>.*?</style>|<title>.*?</title>", " ", text, flags=re.DOTALL)
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return one_line(text)


@pytest.fixture(scope="module")
def example_plans(resources: Resources) -> dict[str, tuple[Plan, dict[str, Any]]]:
    plans = {}
    for path in EXAMPLES:
        loaded = load_answers(path)
        assert loaded.value is not None, loaded.problems
        today = consult_date(loaded.value, None, TODAY)
        assert isinstance(today, date)
        outcome = run_answer_file(resources, loaded.value, today)
        assert outcome.plan is not None and outcome.consult is not None, outcome.problems
        plans[path.stem] = (outcome.plan, outcome.consult.answers)
    return plans


def make(resources: Resources, clinic: ClinicSettings | None = None, **overrides: object) -> Plan:
    flow = Flow(resources.script, TODAY)
    result = flow.read_file(base_answers(**overrides))
    assert result.ok, result.problems
    return make_plan(Consult.from_answers(flow, result.answers), resources.kb, clinic or resources.clinic)


@pytest.fixture(scope="module")
def contraindicated(resources: Resources) -> Plan:
    plan = make(resources, PRICED, pregnant_or_breastfeeding=True, zones=["glabella", "crows_feet"])
    assert plan.status == "contraindicated"
    return plan


@pytest.fixture(scope="module")
def mixed(resources: Resources) -> Plan:
    """Touch-ups, a deferred zone, a full dose with a measured asymmetry, and a price."""
    plan = make(
        resources,
        PRICED,
        patient_name="Ji-woo Kim",
        zones=["glabella", "forehead", "masseter"],
        prior_treatment_date="2026-11-05",
        prior_zones=["glabella"],
        asymmetry=True,
        asymmetry_zone="masseter",
        stronger_side="left",
        extra_units=2,
    )
    assert plan.status == "planned" and plan.cost is not None
    assert {line.kind for line in plan.lines} == {"full", "touch_up"}
    return plan


@pytest.fixture(scope="module")
def deferred(resources: Resources) -> Plan:
    plan = make(resources, zones=["glabella", "forehead"], prior_treatment_date="2026-11-19", prior_zones=["glabella"])
    assert [d.zone for d in plan.deferred] == ["glabella"] and plan.lines
    return plan


# --- every template, every example ---------------------------------------------------------------------


def test_there_are_examples_and_templates() -> None:
    assert EXAMPLES, "prompts/examples/ has no answer files"
    assert {
        "patient_explanation.txt.j2",
        "patient_explanation.html.j2",
        "dose_summary.txt.j2",
        "dose_summary.html.j2",
    } <= set(TEMPLATES)


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("example", [p.stem for p in EXAMPLES])
def test_every_template_renders_every_example(
    template: str, example: str, resources: Resources, example_plans: dict[str, tuple[Plan, dict[str, Any]]]
) -> None:
    plan, answers = example_plans[example]
    env = make_environment(resources.templates_dir)
    if template.startswith("patient_explanation"):
        context = patient_context(plan, resources.kb, resources.clinic, answers=answers)
    elif template.startswith("consent_form"):  # the consent forms, filled in for the example's patient
        from assistant.core.consent_form import fill
        from assistant.documents.consent import consent_context

        forms = resources.consent_forms()
        zones = ", ".join(dict.fromkeys(line.zone_label for line in plan.lines)) or "-"
        values = {"patient_name": plan.patient_name, "zones": zones, "clinic": resources.clinic.name}
        values |= {"date": plan.today.isoformat(), "product": "Botulax"}
        filled = [fill(form, values) for form in (forms.current("treatment"), forms.current("photos")) if form]
        context = consent_context(filled, resources.clinic, "20261124-100000-abcdefgh")
    else:
        context = summary_context(plan, resources.kb, resources.clinic, staff="Dr Hana Cho", answers=answers)
    text = render(env, template, context)
    assert plan.patient_name in text
    assert resources.clinic.name in text


@pytest.mark.parametrize("fmt", ["text", "html"])
@pytest.mark.parametrize("example", [p.stem for p in EXAMPLES])
def test_patient_explanation_of_each_example(
    fmt: str, example: str, resources: Resources, example_plans: dict[str, tuple[Plan, dict[str, Any]]]
) -> None:
    plan, answers = example_plans[example]
    kb = resources.kb
    text = visible(render_patient(plan, kb, resources.clinic, fmt, answers=answers))
    assert f"Dear {plan.patient_name}" in text
    for zone_id in {line.zone for line in plan.lines}:
        zone = kb.zone(zone_id)
        assert zone.patient_name.en[1:] in text  # the first letter may be capitalised
        assert one_line(zone.patient_text.en) in text
    if plan.lines:
        for day in follow_up_days(plan):
            assert long_date(day) in text
        assert ("Top-up window" in text) is plan.follow_up.touch_up_window, "no second window after a top-up"
        assert ("Next full treatment" in text) is (plan.follow_up.next_full_treatment is not None)
        assert f"day {kb.timing.peak_day.value:g}" in text
        assert f"day {kb.timing.onset_days.value:g}" in text
    assert dose_figures(text) == []


# --- the patient explanation ---------------------------------------------------------------------------


def test_patient_explanation_is_in_plain_words(resources: Resources, mixed: Plan) -> None:
    text = one_line(str(render_patient(mixed, resources.kb, PRICED, "text")))
    assert "Dear Ji-woo Kim" in text
    assert "A small top-up to the earlier treatment" in text  # the touched-up glabella
    assert "Both sides are treated, with a little more on your left side" in text  # the masseter asymmetry
    assert "3 to 4 months" in text
    assert "27 November 2026" in text and "8 December 2026" in text  # day 3 and day 14 from 24 November
    assert "$" in text and "Today's treatment" in text  # the clinic sets a price
    assert "+82 2 555 0134" in text
    assert one_line(resources.kb.safety.spread_warning.en) in text
    for item in resources.kb.aftercare():
        assert one_line(item.text.en) in text
    assert dose_figures(text) == []


def test_patient_explanation_names_deferred_zones_and_why(resources: Resources, deferred: Plan) -> None:
    for fmt in ("text", "html"):
        text = visible(render_patient(deferred, resources.kb, resources.clinic, fmt))
        assert "The frown lines between your eyebrows" in text
        assert "it was treated 5 days ago and has not reached its full effect yet" in text
        assert long_date(deferred.deferred[0].not_before) == "7 December 2026"
        assert "It can be treated from 7 December 2026" in text


def test_no_cost_when_the_clinic_sets_no_price(resources: Resources, deferred: Plan) -> None:
    assert deferred.cost is None
    text = str(render_patient(deferred, resources.kb, resources.clinic, "text"))
    assert "COST" not in text and "$" not in text


@pytest.mark.parametrize("fmt", ["text", "html"])
def test_contraindicated_plans_give_no_doses(resources: Resources, contraindicated: Plan, fmt: str) -> None:
    patient = visible(render_patient(contraindicated, resources.kb, PRICED, fmt))
    assert "not treating you today" in patient.lower()
    assert "it is not used during pregnancy or breastfeeding" in patient.lower()
    assert "What we treated" not in patient and "WHAT WE TREATED" not in patient
    assert dose_figures(patient) == []
    summary = visible(render_summary(contraindicated, resources.kb, PRICED, fmt, staff="Dr Hana Cho"))
    assert "CONTRAINDICATED" in summary and "no dose is planned" in summary.lower()
    assert dose_figures(summary) == []


def test_refused_plans_keep_the_reason_from_the_patient(resources: Resources) -> None:
    small_cap = ClinicSettings(session_max_units=30)
    plan = make(resources, small_cap, zones=["glabella", "forehead", "crows_feet"])
    assert plan.status == "refused"
    patient = one_line(str(render_patient(plan, resources.kb, small_cap, "text")))
    assert "not giving you a treatment today" in patient
    assert dose_figures(patient) == []
    summary = str(render_summary(plan, resources.kb, small_cap, "text"))
    assert "REFUSED" in summary and "session maximum" in summary


def test_patient_context_holds_no_dose(resources: Resources, mixed: Plan) -> None:
    context = patient_context(mixed, resources.kb, PRICED)
    assert dose_figures(repr(context)) == []
    assert [z["sides"] for z in context["zones"]] == ["center", "center", "both"]
    assert context["zones"][2]["more_on"] == "left"
    assert context["follow_up"]["review_date"] == "8 December 2026"


def test_language_falls_back_to_english_texts_and_spells_dates_for_the_locale(
    resources: Resources, mixed: Plan
) -> None:
    context = patient_context(mixed, resources.kb, PRICED, language="ko")
    assert context["follow_up"]["review_date"] == "2026년 12월 8일"
    assert context["zones"][0]["name"] == resources.kb.zone("glabella").patient_name.get("ko")
    assert template_name(locations.TEMPLATES_DIR, "patient_explanation", "html", "ko").startswith(
        "patient_explanation."
    )


def test_the_language_comes_from_the_answers_and_a_translated_template_is_preferred(
    tmp_path: Path, resources: Resources, mixed: Plan
) -> None:
    for name in ("patient_explanation.txt.j2", "_patient_words.j2"):
        shutil.copy(locations.TEMPLATES_DIR / name, tmp_path / name)
    (tmp_path / "patient_explanation.ko.txt.j2").write_text("{{ language }}: {{ follow_up.review_date }}\n")
    korean = render_patient(
        mixed, resources.kb, PRICED, "text", answers={"patient_language": "ko"}, templates_dir=tmp_path
    )
    assert korean == "ko: 2026년 12월 8일\n"
    english = render_patient(
        mixed, resources.kb, PRICED, "text", answers={"patient_language": "en"}, templates_dir=tmp_path
    )
    assert "Dear Ji-woo Kim" in str(english)


# --- the dose summary ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "html"])
def test_dose_summary_is_the_practitioners_record(resources: Resources, mixed: Plan, fmt: str) -> None:
    text = visible(
        render_summary(
            mixed,
            resources.kb,
            PRICED,
            fmt,
            staff="Dr Hana Cho",
            lot_number="BTX-24A117",
            lot_expiry=date(2027, 6, 30),
            answers={"patient_id": "P-1042"},
        )
    )
    for expected in (
        "Dr Hana Cho",
        "BTX-24A117",
        "30 June 2027",
        "P-1042",
        "botulax-consult 1.4.1",
        "botulax-kb 1.5.4",
        "Dose per point",
        "Masseter",
        "Signature",
        "2.5 mL saline per 100 U vial",
        f"{mixed.total_units:g} U",
    ):
        assert expected in text, expected
    for warning in mixed.warnings:
        assert warning.code in text
    for m in mixed.modifiers:
        assert m.reason in text


def test_missing_lot_is_not_recorded_and_an_expired_one_is_flagged(resources: Resources, mixed: Plan) -> None:
    text = str(render_summary(mixed, resources.kb, PRICED, "text"))
    assert "lot: not recorded | expiry: not recorded" in text
    assert "Practitioner: not recorded" in text
    expired = str(render_summary(mixed, resources.kb, PRICED, "html", lot_number="X1", lot_expiry="2026-01-31"))
    assert "EXPIRED" in expired and "31 January 2026" in expired


# --- PDF -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("example", [p.stem for p in EXAMPLES])
def test_pdfs_are_valid_and_hold_the_zones_and_dates(
    example: str, resources: Resources, example_plans: dict[str, tuple[Plan, dict[str, Any]]], tmp_path: Path
) -> None:
    plan, answers = example_plans[example]
    patient = render_patient(plan, resources.kb, resources.clinic, "pdf", answers=answers)
    summary = render_summary(plan, resources.kb, resources.clinic, "pdf", answers=answers, paper="letter")
    assert isinstance(patient, bytes) and isinstance(summary, bytes)
    for pdf in (patient, summary):
        assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    patient_text = pdf_text(patient, tmp_path)
    summary_text = pdf_text(summary, tmp_path)
    assert plan.patient_name in patient_text
    born = answers.get("date_of_birth")  # two identifiers on the sheet she takes home, not her name alone
    assert born is None or f"{'생년월일' if answers.get('patient_language') == 'ko' else 'born'} {born}" in patient_text
    for zone_id in {line.zone for line in plan.lines}:
        assert resources.kb.zone(zone_id).patient_name.en[1:] in patient_text
        assert resources.kb.zone(zone_id).label in summary_text
    if plan.lines:
        for day in follow_up_days(plan):
            assert long_date(day) in patient_text
            assert long_date(day) in summary_text
    assert dose_figures(patient_text) == []


def test_contraindicated_pdf_has_no_doses(resources: Resources, contraindicated: Plan, tmp_path: Path) -> None:
    pdf = render_patient(contraindicated, resources.kb, PRICED, "pdf")
    assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF-")
    text = pdf_text(pdf, tmp_path)
    assert "not treating you today" in text and dose_figures(text) == []


def test_paper_size_is_a4_or_letter(resources: Resources, mixed: Plan) -> None:
    a4 = str(render_patient(mixed, resources.kb, PRICED, "html"))
    letter = str(render_patient(mixed, resources.kb, PRICED, "html", paper="letter"))
    assert "size: A4" in a4 and "size: letter" in letter
    with pytest.raises(RenderError, match="paper"):
        render_patient(mixed, resources.kb, PRICED, "html", paper="a3")


def test_html_documents_are_self_contained(resources: Resources, mixed: Plan) -> None:
    for page in (
        str(render_patient(mixed, resources.kb, PRICED, "html")),
        str(render_summary(mixed, resources.kb, PRICED, "html")),
    ):
        assert page.startswith("<!DOCTYPE html>")
        assert "@page" in page
        for external in ("http://", "https://", "url(", "<link", "<img", "<script", "@import", "@font-face"):
            assert external not in page, external


def test_pdf_module_does_not_import_weasyprint_at_import_time() -> None:
    code = (
        "import sys, assistant.documents, assistant.documents.pdf;"
        "assert 'weasyprint' not in sys.modules, 'imported at import time'"
    )
    subprocess.run([_python(), "-c", code], check=True)


def test_a_missing_weasyprint_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    from assistant.documents.pdf import PdfUnavailable, html_to_pdf

    real_import = builtins.__import__

    def no_weasyprint(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "weasyprint" or name.startswith("weasyprint."):
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_weasyprint)
    with pytest.raises(PdfUnavailable, match=r"WeasyPrint and its system libraries.*libpango"):
        html_to_pdf("<p>x</p>")
    assert issubclass(PdfUnavailable, RenderError)


def _python() -> str:
    import sys

    return sys.executable


# --- hostile input ---------------------------------------------------------------------------------------


def test_a_patient_named_script_is_escaped_in_html(resources: Resources) -> None:
    plan = make(resources, patient_name=HOSTILE_NAME, zones=["glabella"])
    for page in (
        str(render_patient(plan, resources.kb, resources.clinic, "html")),
        str(render_summary(plan, resources.kb, resources.clinic, "html")),
    ):
        assert "<script" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert HOSTILE_NAME in str(render_patient(plan, resources.kb, resources.clinic, "text"))


def test_a_hostile_clinic_name_is_escaped_too(resources: Resources, mixed: Plan) -> None:
    clinic = ClinicSettings(name='Evil</style><script>alert("x")</script>', phone="<b>1</b>")
    html = str(render_patient(mixed, resources.kb, clinic, "html"))
    assert "<script" not in html and "</style><" not in html and "<b>1</b>" not in html


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ plan.__class__ }}",
        "{{ plan.__class__.__init__.__globals__ }}",
        "{% for c in ''.__class__.__mro__[1].__subclasses__() %}{{ c }}{% endfor %}",
    ],
)
def test_the_sandbox_refuses_python_internals(source: str, tmp_path: Path, resources: Resources, mixed: Plan) -> None:
    (tmp_path / "evil.html.j2").write_text("<p>line one</p>\n" + source + "\n", encoding="utf-8")
    env = make_environment(tmp_path)
    with pytest.raises(RenderError) as caught:
        render(env, "evil.html.j2", {"plan": mixed})
    message = str(caught.value)
    assert message.startswith("evil.html.j2:2: ")
    assert "may not use" in message
    assert "Traceback" not in message


def test_an_undefined_name_names_the_template_and_line(tmp_path: Path) -> None:
    (tmp_path / "typo.txt.j2").write_text("Hello {{ patient.name }}\n\nReview: {{ follow_up.reveiw_date }}\n")
    env = make_environment(tmp_path)
    with pytest.raises(RenderError, match=r"^typo\.txt\.j2:3: .*reveiw_date"):
        render(env, "typo.txt.j2", {"patient": {"name": "A"}, "follow_up": {"review_date": "x"}})
    with pytest.raises(RenderError, match=r"^typo\.txt\.j2:1: .*'patient' is undefined"):
        render(env, "typo.txt.j2", {})


def test_an_error_in_an_included_template_names_that_template(tmp_path: Path) -> None:
    (tmp_path / "_part.j2").write_text("one\ntwo {{ missing }}\n")
    (tmp_path / "page.html.j2").write_text("<p>\n{% include '_part.j2' %}\n</p>\n")
    with pytest.raises(RenderError, match=r"^_part\.j2:2: .*'missing' is undefined"):
        render(make_environment(tmp_path), "page.html.j2", {})


def test_syntax_errors_and_missing_templates_are_render_errors(tmp_path: Path) -> None:
    (tmp_path / "broken.txt.j2").write_text("ok\n{% if x %}\nno endif\n")
    env = make_environment(tmp_path)
    with pytest.raises(RenderError, match=r"^broken\.txt\.j2:\d+: the template has a syntax error"):
        render(env, "broken.txt.j2", {"x": True})
    with pytest.raises(RenderError, match=r"no template named 'nope\.txt\.j2'"):
        render(env, "nope.txt.j2", {})


def test_unknown_format_is_a_render_error(resources: Resources, mixed: Plan) -> None:
    assert set(FORMATS) == {"text", "html", "pdf"}
    with pytest.raises(RenderError, match="unknown document format"):
        render_patient(mixed, resources.kb, PRICED, "docx")  # type: ignore[arg-type]


def test_a_trainers_template_folder_is_used(tmp_path: Path, resources: Resources, mixed: Plan) -> None:
    for name in ("patient_explanation.txt.j2", "_patient_words.j2"):
        shutil.copy(locations.TEMPLATES_DIR / name, tmp_path / name)
    (tmp_path / "patient_explanation.txt.j2").write_text("Custom for {{ patient.name }}\n")
    assert render_patient(mixed, resources.kb, PRICED, "text", templates_dir=tmp_path) == "Custom for Ji-woo Kim\n"
