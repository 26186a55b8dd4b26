"""Writing the clinic's own settings (the user's ``clinic.toml``), from what staff typed.

Shared by the first-run dialog of the UI and ``botulax-consult setup``, so both accept and refuse
the same values with the same sentences. Validation is the settings model's own; only the turning
of typed text into numbers happens here, and one check of typed text: a phone number is made of a
phone number's characters and is not a date (a date of birth typed into the first-run dialog by
someone who thought they were answering the consult was saved as the clinic's phone). A phone
already in a clinic.toml is not judged again: that file is edited on purpose.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import ValidationError

from assistant import locations
from assistant.files import private
from assistant.settings import ClinicSettings

FIELDS: dict[str, str] = {
    "name": "Clinic name",
    "phone": "Phone patients call",
    "saline_ml": "Saline per vial (mL)",
    "price_per_unit": "Price per unit",
    "currency": "Currency (3 letters)",
}
"""The settings asked at first run, in order, with the words that ask for them."""

ABOUT = (
    "The clinic's name is printed on every document and the phone number on the patient's explanation. "
    "Saline per vial sets the dilution (mL per point); leave the price empty to show no cost. "
    "The currency is a three-letter code such as USD, EUR or KRW."
)

NUMBERS = ("saline_ml", "price_per_unit")

PHONE = re.compile(r"\+?[\d ()./-]+((ext\.?|x) ?\d+)?", re.IGNORECASE)
"""Digits with the usual separators, a leading + and an extension: +82 2 555 0101, (02) 555-0101 x12."""

DATE = re.compile(r"\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{4}")
"""A date as people type one: 1990-05-12, 12/05/1990, 12.05.1990."""

PHONE_DIGITS = 5
"""Fewer digits than this is no number a patient can call (the shortest service numbers have 4 and
take no area code; a clinic's number is longer)."""


def defaults(current: ClinicSettings, label_saline_ml: float) -> dict[str, str]:
    """What each field shows before anything is typed: the settings in use, the label's dilution."""
    saline = current.saline_ml if current.saline_ml is not None else label_saline_ml
    return {
        "name": current.name,
        "phone": current.phone or "",
        "saline_ml": f"{saline:g}",
        "price_per_unit": f"{current.price_per_unit:g}" if current.price_per_unit is not None else "",
        "currency": current.currency,
    }


def settings_from(typed: Mapping[str, str], base: ClinicSettings) -> tuple[ClinicSettings | None, list[str]]:
    """Settings from typed text (fields left out keep ``base``'s values), or the problems found,
    each a sentence naming its field."""
    data = base.model_dump(exclude_none=True)
    problems = []
    for field, text in typed.items():
        text = text.strip()
        if field in NUMBERS:
            if not text:
                data.pop(field, None)
                continue
            try:
                data[field] = float(text.replace(",", "."))
            except ValueError:
                problems.append(f"{_label(field)}: '{text}' is not a number.")
        elif field == "phone" and not text:
            data.pop(field, None)
        elif field == "phone" and (problem := phone_problem(text)) is not None:
            problems.append(f"{_label(field)}: {problem}")
        elif not text:
            problems.append(f"{_label(field)}: cannot be left empty.")
        elif field == "currency":
            data[field] = text.upper()
        else:
            data[field] = text
    if problems:
        return None, problems
    try:
        return ClinicSettings.model_validate(data), []
    except ValidationError as error:
        return None, [f"{_label(str(e['loc'][0]) if e['loc'] else '')}: {_refused(e)}" for e in error.errors()]


_LIMITS = {
    "greater_than": "must be more than {gt}",
    "greater_than_equal": "must be {ge} or more",
    "less_than": "must be less than {lt}",
    "less_than_equal": "must be {le} or less",
    "string_too_long": "must be at most {max_length} characters",
    "string_too_short": "must be at least {min_length} characters",
}


def _refused(error: Any) -> str:
    """A setting refused, in the words of the setting ("must be more than 0; -1 was typed"), not the
    validation library's ("Input should be greater than 0")."""
    limit = _LIMITS.get(error["type"])
    if limit is None:
        return f"{error['msg']}."
    limits = {key: _shown(value) for key, value in error.get("ctx", {}).items()}
    typed = error.get("input")
    return f"{limit.format(**limits)}; {_shown(typed)} was typed." if typed not in (None, "") else f"{limit}."


def _shown(value: object) -> str:
    """A number as typed (0, -1, 2.5), text in quotes."""
    return f"{value:g}" if isinstance(value, float) else repr(value) if isinstance(value, str) else str(value)


def phone_problem(text: str) -> str | None:
    """Why typed text is not a phone number patients can call, or None."""
    if DATE.fullmatch(text):
        return f"'{text}' is a date, not a phone number."
    if not PHONE.fullmatch(text) or sum(c.isdigit() for c in text) < PHONE_DIGITS:
        return f"'{text}' is not a phone number: type its digits, e.g. +82 2 555 0101."
    return None


def _label(field: str) -> str:
    return FIELDS.get(field, field)


def _to_write(settings: ClinicSettings) -> dict[str, object]:
    """The settings asked at setup (when set), then any other that differs from its default."""
    data = settings.model_dump(exclude_none=True)
    others = settings.model_dump(exclude_none=True, exclude_defaults=True)
    return {**{k: data[k] for k in FIELDS if k in data}, **{k: v for k, v in others.items() if k not in FIELDS}}


def write_clinic(settings: ClinicSettings, path: Path | None = None) -> Path:
    """Save as TOML for the owner only (folder 0700, file 0600, whatever the umask), replacing the
    file in one step; a folder others could change is refused (``UnsafePath``, an ``OSError``)."""
    target = path or locations.user_clinic_file()
    body = (
        "# This clinic's settings for botulax-consult (written by `botulax-consult setup` or the first-run\n"
        "# dialog). Edit freely; see assistant/clinic.default.toml for every setting.\n"
        + tomli_w.dumps(_to_write(settings))
    )
    private.write_private(target, body.encode("utf-8"), durable=True)
    return target
