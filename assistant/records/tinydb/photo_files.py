"""Photos in a TinyDB data folder: one file per photo and one per thumbnail, named by the photo's SHA-256.

A photo's files are written (atomically, owner-only, like every file of the folder) before the record
version that names them, so a record never names a photo that is not there; a save that then fails
leaves the photo's files unnamed, and a later add of the same photo writes them again. A file is
named by the hash of what was written, not of what is there now: ``audit verify`` re-hashes it.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.core.lifecycle.photo_rules import PhotoBytes
from assistant.files import private
from assistant.records.tinydb.atomic import check_inside, write_atomic
from assistant.records.tinydb.layout import Layout

SUFFIXES = {"image/jpeg": ".jpg", "image/png": ".png"}
THUMBNAIL = ".thumb.jpg"


class PhotoFiles:
    def __init__(self, layout: Layout, *, durable: bool = True) -> None:
        self.layout = layout
        self.durable = durable

    def put(self, photos: Sequence[PhotoBytes]) -> None:
        for photo in photos:
            path = self.layout.photo_path(photo.sha256, SUFFIXES[photo.media_type])
            write_atomic(path, photo.data, durable=self.durable)
            write_atomic(self.layout.photo_path(photo.sha256, THUMBNAIL), photo.thumbnail, durable=self.durable)

    def get(self, sha256: str) -> PhotoBytes | None:
        """The photo kept under ``sha256`` (its bytes as they are now), or None when its file is gone;
        a missing thumbnail reads as empty bytes (``audit verify`` names it)."""
        if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
            return None
        for media_type, suffix in SUFFIXES.items():
            data = self._read(suffix, sha256)
            if data is not None:
                thumbnail = self._read(THUMBNAIL, sha256)
                return PhotoBytes(sha256=sha256, media_type=media_type, data=data, thumbnail=thumbnail or b"")
        return None

    def _read(self, suffix: str, sha256: str) -> bytes | None:
        path = self.layout.photo_path(sha256, suffix)
        check_inside(path)
        try:
            return private.read_private(path, follow=False)
        except FileNotFoundError:
            return None
