"""Consent forms as the trainers write them (prompts/consent/<form>.<language>.yaml), filled in for
one patient: the exact text the patient reads and signs.

Pure: the files are read by ``assistant.files.consent_forms``. A form has an id (``treatment``, or
``photos`` for the separate photo consent), a ``version`` that trainers raise when they change the
words (a consent recorded under another version no longer counts, so the patient is asked again), a
language, a title and its sections. Placeholders in braces (``{patient_name}``) are the only thing
filled in; ``form_problems`` names an unknown one, a missing section, or a form whose languages carry
different versions, for ``check``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from pydantic import BaseModel, ConfigDict, Field, field_validator

PLACEHOLDERS = ("patient_name", "zones", "clinic", "date", "product")
"""What a form may name in braces, and what fills it."""

REQUIRED_SECTIONS: dict[str, tuple[str, ...]] = {
    "treatment": ("product", "risks", "alternatives", "aftercare", "agreement"),
    "photos": ("use", "keeping", "agreement"),
}
"""The sections each form must have: the issue asks the treatment form for the product, its risks,
the alternatives and the aftercare (and the patient's agreement); the photo form for what photos are
for, how they are kept, and the agreement."""

TREATMENT, PHOTOS = "treatment", "photos"

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


class FormSection(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, max_length=40)
    heading: str = Field(min_length=1, max_length=200)
    text: str = Field(min_length=1, max_length=5000)


class ConsentForm(BaseModel):
    """One form in one language."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    form: str = Field(min_length=1, max_length=40)
    version: str = Field(min_length=1, max_length=20)
    language: str = Field(min_length=2, max_length=10)
    title: str = Field(min_length=1, max_length=200)
    sections: tuple[FormSection, ...]
    signature_line: str = Field(default="Signature of the patient", max_length=200)
    witness_line: str = Field(default="Witness", max_length=200)
    date_word: str = Field(default="Date", max_length=40)

    @field_validator("version", mode="before")
    @classmethod
    def _number_as_text(cls, value: object) -> object:
        """``version: 2`` in YAML is the number 2: kept as the text "2"."""
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class FilledForm(BaseModel):
    """A form with the patient's details in it: what is printed and, as ``text``, what is frozen."""

    model_config = ConfigDict(frozen=True)

    form: str
    version: str
    language: str
    title: str
    sections: tuple[FormSection, ...]
    signature_line: str
    witness_line: str
    date_word: str = "Date"

    @property
    def text(self) -> str:
        """The form as plain text, the same every time for the same words (the SHA-256 is of this)."""
        parts = [self.title, f"({self.form}, version {self.version}, {self.language})"]
        parts += [f"{section.heading}\n{section.text.strip()}" for section in self.sections]
        return "\n\n".join(parts) + "\n"


def placeholders_in(text: str) -> list[str]:
    return _PLACEHOLDER.findall(text)


def fill(form: ConsentForm, values: Mapping[str, str]) -> FilledForm:
    """``form`` with each placeholder replaced by its value (every one of ``PLACEHOLDERS`` is given)."""

    def one(text: str) -> str:
        return _PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), text)

    sections = tuple(FormSection(id=s.id, heading=one(s.heading), text=one(s.text.strip())) for s in form.sections)
    return FilledForm(
        form=form.form,
        version=form.version,
        language=form.language,
        title=one(form.title),
        sections=sections,
        signature_line=form.signature_line,
        witness_line=form.witness_line,
        date_word=form.date_word,
    )


def form_problems(form: ConsentForm) -> list[tuple[tuple[str | int, ...], str, str]]:
    """(where in the file, code, message) for each problem of one form file."""
    problems: list[tuple[tuple[str | int, ...], str, str]] = []
    have = {section.id for section in form.sections}
    for section_id in REQUIRED_SECTIONS.get(form.form, ()):
        if section_id not in have:
            problems.append((("sections",), "missing-section", f"the {form.form} form has no '{section_id}' section."))
    texts: list[tuple[tuple[str | int, ...], str]] = [(("title",), form.title)]
    for index, section in enumerate(form.sections):
        texts += [(("sections", index, "heading"), section.heading), (("sections", index, "text"), section.text)]
    known = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
    for where, text in texts:
        for name in placeholders_in(text):
            if name not in PLACEHOLDERS:
                message = f"unknown placeholder {{{name}}}: a form may use {known}."
                problems.append((where, "unknown-placeholder", message))
    return problems


def version_mismatches(forms: Iterable[ConsentForm]) -> dict[tuple[str, str], str]:
    """(form, language) -> message, for each language whose version is not the English one's."""
    english = {f.form: f.version for f in forms if f.language == "en"}
    return {
        (f.form, f.language): (
            f"the {f.form} form in '{f.language}' is version {f.version} but the English one is version "
            f"{english[f.form]}: translate the change and give both the same version."
        )
        for f in forms
        if f.language != "en" and f.form in english and f.version != english[f.form]
    }
