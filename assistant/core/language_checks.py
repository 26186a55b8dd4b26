"""Checks of the languages patients read: every patient text of the knowledge base has a text in
each language it offers, and the script's language question offers only languages the knowledge
base (and so the patient's explanation) can be printed in."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel

from assistant.core.findings import Finding, Loc, hint
from assistant.core.knowledge_model import Knowledge, LocalText
from assistant.core.script import ChoiceQuestion, Script

_hint = hint

#: The languages a knowledge text can be written in (the fields of ``LocalText``).
TEXT_LANGUAGES: tuple[str, ...] = tuple(LocalText.model_fields)

#: The script question that chooses the language of the patient's explanation.
LANGUAGE_QUESTION = "patient_language"


def _local_texts(value: object, loc: Loc, owner: str | None) -> Iterable[tuple[Loc, str | None, LocalText]]:
    """Every ``LocalText`` inside a knowledge model: (location, id of the item it belongs to, text)."""
    if isinstance(value, LocalText):
        yield loc, owner, value
    elif isinstance(value, BaseModel):
        item_id = getattr(value, "id", None)
        owner = item_id if isinstance(item_id, str) else owner
        for name in type(value).model_fields:
            yield from _local_texts(getattr(value, name), (*loc, name), owner)
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            yield from _local_texts(item, (*loc, index), owner)


def _where(loc: Loc, owner: str | None) -> str:
    """A text's place as a trainer reads it: "zones[0] 'glabella' patient_text"."""
    path = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc).lstrip(".")
    return f"{path} ('{owner}')" if owner else path


def check_translations(knowledge: Knowledge) -> list[Finding]:
    """Every patient-facing text must be written in every language of ``languages`` (a missing one
    would fall back to English on a translated printout), and each such language must be one a text
    can hold."""
    findings: list[Finding] = []
    listed = ", ".join(knowledge.languages)
    unknown = [lang for lang in knowledge.languages if lang not in TEXT_LANGUAGES]
    for lang in unknown:
        findings.append(
            Finding(
                ("languages",),
                "unknown-language",
                f"language '{lang}' is listed, but knowledge texts can only be written in "
                f"{', '.join(TEXT_LANGUAGES)}.{_hint(lang, TEXT_LANGUAGES)}",
            )
        )
    wanted = tuple(lang for lang in knowledge.languages if lang not in unknown)
    for loc, owner, text in _local_texts(knowledge, (), None):
        for lang in text.missing(wanted):
            findings.append(
                Finding(
                    (*loc, lang),
                    "missing-translation",
                    f"{_where(loc, owner)} has no '{lang}' text; every patient text needs one in each "
                    f"language listed in `languages` ({listed}).",
                )
            )
    return findings


def offered_languages(script: Script) -> list[str]:
    """The codes of the script's ``patient_language`` question (none when it has no such question)."""
    if not script.has_question(LANGUAGE_QUESTION):
        return []
    question = script.question(LANGUAGE_QUESTION)
    if not isinstance(question, ChoiceQuestion):
        return []
    return [choice.code for choice in script.choices_for(question)]


def check_patient_languages(script: Script, knowledge: Knowledge) -> list[Finding]:
    """Every language the script offers for the patient's explanation is one the knowledge base is
    written in (``languages``), so no patient text falls back to English on the printout."""
    if not script.has_question(LANGUAGE_QUESTION):
        return []
    question = script.question(LANGUAGE_QUESTION)
    if not isinstance(question, ChoiceQuestion) or question.choices not in script.lists:
        return []
    findings = []
    for index, choice in enumerate(script.lists[question.choices]):
        if choice.code not in knowledge.languages:
            findings.append(
                Finding(
                    ("lists", question.choices, index, "code"),
                    "missing-translation",
                    f"the script offers the patient language '{choice.code}', but the knowledge base is written "
                    f"only in {', '.join(knowledge.languages)}: add '{choice.code}' to `languages` in "
                    "knowledge/sources.yaml and translate its patient texts.",
                )
            )
    return findings
