"""The trainers' templates checked before a patient's printout meets a mistake in them.

A tryout broke ``patient_explanation.txt.j2`` four ways (``{{ patient.name }``, ``patient.nmae``, an
unknown filter, an unclosed ``{% if %}``): ``check`` said "No problems found", ``rehearse`` passed,
and only printing said it. A mistake in a branch few patients reach (the Korean sheet, the
contraindicated one) would have waited for that patient. Now:

- ``check`` compiles every template (``template_problems``): a syntax error, an unknown filter or test,
  with the template's file and line;
- ``rehearse`` renders each example's documents (``document_problems``): the patient's sheet in every
  language the script offers and the dose summary, as text and HTML, so a misspelt field in any
  branch an example reaches is named with the example.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from jinja2 import TemplateSyntaxError

from assistant import locations
from assistant.core.language_checks import offered_languages
from assistant.core.plan import Plan
from assistant.files.clinic_file import display_path
from assistant.files.resources import Resources
from assistant.files.yaml_source import FileProblem

FORMATS = ("text", "html")
"""What rehearse renders (a PDF is the HTML laid out: its template is the same)."""


def template_problems(folder: Path | None = None) -> list[FileProblem]:
    """Each template of ``folder`` (default: the shipped prompts/templates/) that does not compile."""
    from assistant.documents.render import make_environment

    folder = folder or locations.TEMPLATES_DIR
    env = make_environment(folder)
    problems = []
    for path in sorted(folder.glob("*.j2")):
        try:
            env.get_template(path.name)
        except TemplateSyntaxError as error:
            problems.append(FileProblem(display_path(path), error.lineno or 1, "template-syntax", f"{error.message}."))
    return problems


def document_problems(resources: Resources, plan: Plan, answers: Mapping[str, object]) -> list[str]:
    """Why the documents of one planned example cannot be made, each once ("documents: file:line: ...")."""
    from assistant.documents import RenderError, render_patient, render_summary

    kb, clinic = resources.kb, resources.clinic
    found: list[str] = []
    for fmt in FORMATS:
        makes = [lambda fmt=fmt: render_summary(plan, kb, clinic, fmt, answers=answers, script=resources.script)]
        makes += [
            lambda fmt=fmt, language=language: render_patient(plan, kb, clinic, fmt, language, answers=answers)
            for language in offered_languages(resources.script)
        ]
        for make in makes:
            try:
                make()
            except RenderError as error:
                if (said := f"documents: {error}") not in found:
                    found.append(said)
    return found
