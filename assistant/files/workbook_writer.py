"""Writing the question script as an .xlsx workbook (``script export --xlsx``) and a workbook back as
YAML (``script import``).

The workbook holds what the script's file says and nothing more (a key left out stays empty), so
that reading it back gives the same script; every text cell is stored as text, so Excel does not
turn a version "1.10" into the number 1.1 or a condition starting with "=" into a formula.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from assistant.core.script import RepeatGroup, Script
from assistant.files.output import write_output
from assistant.files.workbook_layout import (
    CHECK_COLUMNS,
    CHECKS,
    CHOICE_COLUMNS,
    CHOICES,
    GROUP_COLUMN,
    QUESTION_COLUMNS,
    QUESTIONS,
    SETTING_COLUMNS,
    SETTING_KEYS,
    SETTINGS,
    Column,
)

_WIDTHS = {"prompt": 60, "help": 60, "show-if": 40, "label": 40, "message": 60, "when": 40, "value": 60}


def workbook_bytes(script: Script) -> bytes:
    """The script as an .xlsx workbook's bytes."""
    from openpyxl import Workbook  # only when a workbook is written
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    sheets = {
        title: book.create_sheet(title)
        for title, columns in (
            (QUESTIONS, QUESTION_COLUMNS),
            (CHOICES, CHOICE_COLUMNS),
            (SETTINGS, SETTING_COLUMNS),
            (CHECKS, CHECK_COLUMNS),
        )
    }
    for title, columns in (
        (QUESTIONS, QUESTION_COLUMNS),
        (CHOICES, CHOICE_COLUMNS),
        (SETTINGS, SETTING_COLUMNS),
        (CHECKS, CHECK_COLUMNS),
    ):
        sheet = sheets[title]
        sheet.append([c.header for c in columns])
        for index, column in enumerate(columns, start=1):
            sheet.cell(1, index).font = Font(bold=True)
            letter = sheet.cell(1, index).column_letter
            sheet.column_dimensions[letter].width = _WIDTHS.get(column.header, max(12, len(column.header) + 2))
        sheet.freeze_panes = "B2"
    data = script.model_dump(mode="json", exclude_unset=True)
    for key in SETTING_KEYS:
        if key in data:
            _append(sheets[SETTINGS], [key, data[key]])
    for name, choices in (data.get("lists") or {}).items():
        for choice in choices:
            _append(sheets[CHOICES], [name, choice.get("code"), choice.get("label")])
    for item, raw in zip(script.questions, data.get("questions") or [], strict=True):
        _append(sheets[QUESTIONS], _question_row(raw, None))
        _append_checks(sheets[CHECKS], str(raw.get("id")), raw)
        if isinstance(item, RepeatGroup):
            for member in raw.get("questions") or []:
                _append(sheets[QUESTIONS], _question_row(member, str(raw.get("id"))))
                _append_checks(sheets[CHECKS], f"{raw.get('id')}.{member.get('id')}", member)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def _append(sheet: Any, values: list[Any]) -> None:
    """A row whose texts stay texts (never a formula, never a number Excel guessed)."""
    sheet.append([None if v is None else v for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
            cell.number_format = "@"


def _question_row(raw: dict[str, Any], group: str | None) -> list[Any]:
    return [group if column.header == GROUP_COLUMN else _cell(column, raw) for column in QUESTION_COLUMNS]


def _cell(column: Column, raw: dict[str, Any]) -> Any:
    value: Any = raw
    for key in column.key.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    if value is None:
        return None
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items())
    return value


def _append_checks(sheet: Any, name: str, raw: dict[str, Any]) -> None:
    for check in raw.get("checks") or []:
        _append(sheet, [name, check.get("when"), check.get("severity"), check.get("message")])


def write_workbook(path: Path, script: Script) -> Path:
    return write_output(path, workbook_bytes(script), private_data=False)


def script_yaml(script: Script, source: str) -> str:
    """The script as the YAML a trainer would write, with a line saying which workbook it came from."""
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.sort_base_mapping_type_on_output = False  # type: ignore[assignment]
    yaml.width = 100
    yaml.allow_unicode = True
    stream = io.StringIO()
    yaml.dump(script.model_dump(mode="json", exclude_unset=True), stream)
    return f"# Written by `botulax-consult script import` from {source}.\n" + stream.getvalue()
