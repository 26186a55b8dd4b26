"""Consult and draft ids, and the keys patients are found by.

Patients are looked up by a ``patient_key``: ``id:<patient id>`` when the clinic gave one, otherwise
``name:<name>``, both normalised (Unicode NFKC, case-folded, spaces collapsed). The same person
seen once without an id and later with one therefore has two keys; the look-up by name finds both.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import unicodedata

_CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"
RECORD_ID = re.compile(r"^\d{8}-\d{6}-[0-9a-hjkmnp-tv-z]{8}$")
"""``20261124-101502-k3v9q2xa``: UTC date and time to the second, then 40 random bits in base32."""

ID_PREFIX = "id:"
NAME_PREFIX = "name:"
REGISTER_PREFIX = "pt:"
"""A registered patient's key (``assistant.core.lifecycle.register``); the two above are the keys of
consults kept before the register, made from the clinic number or the name."""
_TOKEN = re.compile(r"\w+")


def new_record_id(at: dt.datetime, *, randomness: int | None = None) -> str:
    """A new consult, draft or vial id, sortable by time: ``YYYYMMDD-HHMMSS-`` + 8 random characters.

    ``at`` is the time to stamp (the caller's clock); an aware time is converted to UTC, a naive one
    is taken as it is. ``randomness`` (40 bits) is for tests that need a fixed id. Forty random bits
    keep ids unique across workstations saving in the same second.
    """
    if at.tzinfo is not None:
        at = at.astimezone(dt.UTC)
    bits = secrets.randbits(40) if randomness is None else randomness & (2**40 - 1)
    suffix = "".join(_CROCKFORD[(bits >> shift) & 31] for shift in range(35, -1, -5))
    return at.strftime("%Y%m%d-%H%M%S-") + suffix


def is_record_id(text: str) -> bool:
    return bool(RECORD_ID.match(text))


def normalise_name(name: str) -> str:
    """How names are compared: NFKC, case-folded, inner spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def normalise_patient_id(patient_id: str) -> str:
    return "".join(unicodedata.normalize("NFKC", patient_id).casefold().split())


def name_tokens(text: str) -> list[str]:
    """The words of a normalised name (letters and digits of any script; punctuation separates)."""
    return _TOKEN.findall(normalise_name(text))


def patient_key(patient_name: str, patient_id: str | None = None) -> str:
    """``id:<normalised id>`` when there is an id, else ``name:<normalised name>``."""
    if patient_id and patient_id.strip():
        return ID_PREFIX + normalise_patient_id(patient_id)
    return NAME_PREFIX + normalise_name(patient_name)


def is_patient_key(text: str) -> bool:
    if text.startswith(REGISTER_PREFIX):
        return len(text) > len(REGISTER_PREFIX)
    return text.startswith((ID_PREFIX, NAME_PREFIX)) and len(text) > len(NAME_PREFIX)
