"""The question script's workbook layout: which sheet and column holds which key of the script.

Shared by the writer (``script export --xlsx``) and the reader (``--script FILE.xlsx``), so that a
workbook written by one is read back by the other to the same script. The sheets follow the form
tools trainers may know (XLSForm's survey, choices and settings): one row per question on
``questions``, one row per choice on ``choices``, one row per setting on ``settings``, and one row per
answer check on ``checks``. Headers are words a trainer reads ("show-if"), each mapped to the
script's key (``show_if``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["text", "integer", "number", "flag", "names", "pairs", "default", "required"]
"""How a cell becomes a script value: text as is, whole numbers, numbers, yes/no, a comma-separated
list of names, ``a=b, c=d`` pairs, a default read by the question's type, or ``required`` (yes, no, or
the message shown when the answer is missing)."""


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    kind: Kind = "text"


QUESTIONS = "questions"
CHOICES = "choices"
SETTINGS = "settings"
CHECKS = "checks"
SHEETS = (QUESTIONS, CHOICES, SETTINGS, CHECKS)

GROUP_COLUMN = "repeat group"
"""The column naming the repeat group a question belongs to; the group's own row comes first."""

QUESTION_COLUMNS: tuple[Column, ...] = (
    Column("id", "id"),
    Column("section", "section"),
    Column("type", "type"),
    Column("prompt", "prompt"),
    Column("help", "help"),
    Column("show-if", "show_if"),
    Column("min", "min", "number"),
    Column("max", "max", "number"),
    Column("step", "step", "number"),
    Column("required", "required", "required"),
    Column("default", "default", "default"),
    Column(GROUP_COLUMN, ""),
    Column("choices", "choices"),
    Column("choices filter", "choices_filter"),
    Column("min selected", "min_selected", "integer"),
    Column("unit", "unit"),
    Column("years since", "years_since"),
    Column("min days from today", "min_days_from_today", "integer"),
    Column("max days from today", "max_days_from_today", "integer"),
    Column("allow never", "allow_never", "flag"),
    Column("max length", "max_length", "integer"),
    Column("label", "label"),
    Column("entry label", "entry_label"),
    Column("another", "another"),
    Column("max entries", "max_entries", "integer"),
    Column("unique", "unique", "names"),
    Column("replaces gate", "replaces.gate"),
    Column("replaces fields", "replaces.fields", "pairs"),
)

CHOICE_COLUMNS: tuple[Column, ...] = (Column("list", ""), Column("code", "code"), Column("label", "label"))

CHECK_COLUMNS: tuple[Column, ...] = (
    Column("question", ""),
    Column("when", "when"),
    Column("severity", "severity"),
    Column("message", "message"),
)

SETTING_COLUMNS: tuple[Column, ...] = (Column("setting", ""), Column("value", ""))

SETTING_KEYS = ("id", "version", "title", "intro")
"""The rows of the settings sheet, in order: the script's own keys."""

COLUMNS: dict[str, tuple[Column, ...]] = {
    QUESTIONS: QUESTION_COLUMNS,
    CHOICES: CHOICE_COLUMNS,
    SETTINGS: SETTING_COLUMNS,
    CHECKS: CHECK_COLUMNS,
}


def header_of(key: str) -> str:
    """The header a trainer sees for a script key (``show_if`` -> ``show-if``), or the key itself."""
    return next((c.header for c in QUESTION_COLUMNS if c.key == key), key)


def column_letter(index: int) -> str:
    """Spreadsheet letters of a 0-based column: 0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
