"""A workbook cell's value as the script key expects it: text as text, yes/no as a flag, numbers as
numbers, comma-separated names as a list. A value that does not fit is passed on as it is, for the
script's models to refuse with their own message at that cell."""

from __future__ import annotations

import datetime as dt
from typing import Any

from assistant.files.workbook_layout import Column

_YES, _NO = {"yes", "true", "y"}, {"no", "false", "n"}


def cell_text(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _flag(value: Any) -> Any:
    if isinstance(value, str) and value.lower() in _YES | _NO:
        return value.lower() in _YES
    return value


def _number(value: Any, whole: bool) -> Any:
    if isinstance(value, str):
        try:
            value = float(value.replace(",", "")) if "." in value or not whole else int(value)
        except ValueError:
            return value
    if isinstance(value, float) and whole and value.is_integer():
        return int(value)
    return value


def _names(value: Any) -> Any:
    return [part.strip() for part in cell_text(value).split(",") if part.strip()]


def _pairs(value: Any) -> Any:
    pairs = {}
    for part in cell_text(value).split(","):
        key, equals, rest = part.partition("=")
        if not equals:
            return cell_text(value)
        pairs[key.strip()] = rest.strip()
    return pairs


def converted(column: Column, value: Any, question_type: str) -> Any:
    """A cell's value as the script key expects it (a value that does not fit is passed on for the
    models to refuse with their own message)."""
    kind = column.kind
    if kind == "integer":
        return _number(value, whole=True)
    if kind == "number":
        return _number(value, whole=question_type != "decimal")
    if kind == "flag":
        return _flag(value)
    if kind == "names":
        return _names(value)
    if kind == "pairs":
        return _pairs(value)
    if kind == "required":
        return value if isinstance(value, bool) else _flag(cell_text(value))
    if kind == "default":
        if question_type == "multiple":
            return _names(value)
        if question_type == "yes_no":
            return _flag(value)
        if question_type in ("integer", "decimal"):
            return _number(value, whole=question_type == "integer")
        return cell_text(value)
    return cell_text(value)
