"""A photo as the record names it: its kind, its SHA-256 and when it was added.

The bytes live in the store (a file under the data folder on TinyDB, a ``bytea`` row on PostgreSQL);
the record keeps only what identifies them, so ``audit verify`` can re-hash what is stored and name a
photo edited after it was added.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from assistant.core.lifecycle.record_model import RecordModel

PhotoKind = Literal["before", "after", "review"]


class PhotoRef(RecordModel):
    kind: PhotoKind
    sha256: str
    at: dt.datetime
    by: str | None = None
    media_type: str = "image/jpeg"
    size: int = 0
    """Bytes of the kept original."""
    thumbnail_sha256: str | None = None
    """The SHA-256 of its thumbnail (a JPEG made when it was added), re-hashed by ``audit verify`` too."""
    name: str | None = None
    """The file's name when it was added (its folder is not kept), for the practitioner to recognise it."""
