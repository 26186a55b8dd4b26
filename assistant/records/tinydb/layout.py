"""Where each thing lives in a TinyDB data folder (see ``store.py`` for why it is laid out so).

Every path is computed here and nowhere else, so the layout can be read in one place::

    consults/<YYYY-MM>/<consult_id>.json   a consult's versions (table "versions")
    patients/<hh>/<hash>.json              a patient: table "patient" and one summary per consult
    names/<c1>/<c2>/<b>.json               the name index (see ``name_dir``)
    drafts/<draft_id>.json                 an unfinished consult
    staff/accounts.json                    staff accounts (table "staff")
    audit/<nnnnnn>.json, audit/head.json   the audit trail, 256 entries a file, and its last entry
    signing/waiting.json                   consults waiting for a signature (table "waiting")
    vials/<YYYY-MM>/<vial_id>.json         a vial (table "vial"); vials/open.json lists the open ones
    lots/<hh>/<hash>.json                  every treatment that used a lot (table "given"): recall
    treatments/<YYYY-MM>/<DD>.json         the treatments of a day (table "treatments"): due, usage
    register/...                           the patient register (see ``register_files.py``)
    photos/<hh>/<sha256>.jpg|.png          a photo as kept (location stripped); <sha256>.thumb.jpg its thumbnail
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections.abc import Iterator
from pathlib import Path

MONTH = re.compile(r"^\d{4}-\d{2}$")
"""A month folder's name (``2026-11``)."""

_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")

AUDIT_CHUNK = 256
"""Audit entries per file: an append rewrites one small file, never the whole trail."""


def letter(char: str) -> str:
    """A name's letter as a folder name: a-z and 0-9 as they are, any other as u + its code point."""
    return char if char in _PLAIN else f"u{ord(char):04x}"


def data_files(directory: Path) -> Iterator[Path]:
    """The ``*.json`` files of a folder (not temp or lock files); nothing when it does not exist."""
    try:
        names = os.listdir(directory)
    except FileNotFoundError:
        return
    for name in names:
        if name.endswith(".json") and not name.startswith("."):
            yield directory / name


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class Layout:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.consults = data_dir / "consults"
        self.patients = data_dir / "patients"
        self.names = data_dir / "names"
        self.drafts = data_dir / "drafts"
        self.audit = data_dir / "audit"
        self.staff = data_dir / "staff"
        self.staff_file = self.staff / "accounts.json"
        self.vials = data_dir / "vials"
        self.open_vials_file = self.vials / "open.json"
        self.lots = data_dir / "lots"
        self.treatments = data_dir / "treatments"
        self.signing = data_dir / "signing"
        self.to_sign_file = self.signing / "waiting.json"
        self.register = data_dir / "register"
        self.photos = data_dir / "photos"

    def consult_path(self, consult_id: str) -> Path:
        """The month comes from the id, so ``get`` opens exactly one file."""
        return self.consults / f"{consult_id[:4]}-{consult_id[4:6]}" / f"{consult_id}.json"

    def patient_path(self, key: str) -> Path:
        digest = _digest(key)[:32]
        return self.patients / digest[:2] / f"{digest}.json"

    def name_dir(self, token: str) -> Path:
        """The name index folder of a (normalised) name word: its first two letters ("_" for the
        second of a one-letter word)."""
        second = letter(token[1]) if len(token) > 1 else "_"
        return self.names / letter(token[0]) / second

    def name_path(self, token: str, key: str) -> Path:
        """The name index file listing patient ``key`` under a word of their name: one of 16 files
        by the first hex digit of the key's hash, so adding a patient rewrites a sixteenth of a prefix."""
        return self.name_dir(token) / f"{_digest(key)[0]}.json"

    def draft_path(self, draft_id: str) -> Path:
        return self.drafts / f"{draft_id}.json"

    def vial_path(self, vial_id: str) -> Path:
        return self.vials / f"{vial_id[:4]}-{vial_id[4:6]}" / f"{vial_id}.json"

    def lot_path(self, lot_key: str) -> Path:
        digest = _digest(lot_key)[:32]
        return self.lots / digest[:2] / f"{digest}.json"

    def treatments_path(self, day: dt.date) -> Path:
        return self.treatments / day.strftime("%Y-%m") / f"{day.day:02d}.json"

    def photo_path(self, sha256: str, suffix: str) -> Path:
        """A photo's file (``suffix``: ``.jpg``, ``.png`` or ``.thumb.jpg``), named by its SHA-256."""
        return self.photos / sha256[:2] / f"{sha256}{suffix}"

    def audit_chunk(self, seq: int) -> Path:
        return self.audit / f"{(seq - 1) // AUDIT_CHUNK:06d}.json"

    @property
    def audit_head(self) -> Path:
        return self.audit / "head.json"
