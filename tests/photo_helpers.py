"""Photos for the tests: real JPEGs and PNGs made with Pillow (one with a GPS position), and the photo
consent recorded on a consult as a version of kind ``consented``, through the store."""

from __future__ import annotations

import hashlib
import io
from datetime import datetime
from pathlib import Path

from PIL import Image

from assistant.core.lifecycle.audit import AuditEvent
from assistant.core.lifecycle.consent_given import ConsentGiven
from assistant.core.lifecycle.record import Revision
from assistant.records.repository import ConsultRepository, require

GPS = {1: "N", 2: (37.0, 33.0, 12.5), 3: "E", 4: (126.0, 58.0, 44.1)}
"""Seoul, as a phone writes it in a photo's EXIF GPS block."""


def jpeg_with_gps(
    path: Path, size: tuple[int, int] = (640, 480), colour: tuple[int, int, int] = (210, 160, 140)
) -> Path:
    """A JPEG with an orientation tag and a GPS position, as a phone takes it."""
    image = Image.new("RGB", size, colour)
    exif = Image.Exif()
    exif[0x0112] = 1
    exif[0x8825] = GPS
    image.save(path, "JPEG", exif=exif, quality=90)
    return path


def png(path: Path, size: tuple[int, int] = (400, 300)) -> Path:
    Image.new("RGB", size, (120, 150, 200)).save(path, "PNG")
    return path


def noisy_jpeg(path: Path, side: int) -> Path:
    """A JPEG that compresses badly (random pixels), for the size limits: about side * side * 0.6 bytes."""
    import os

    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    image.save(path, "JPEG", quality=95)
    return path


def gps_of(data: bytes) -> dict:
    return dict(Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825))


def record_photo_consent(repository: ConsultRepository, consult_id: str, at: datetime, photos: bool = True) -> None:
    """The patient signed the consent (with the photo consent when ``photos``), witnessed at the desk."""
    record = require(repository, consult_id)
    text = "I agree to the treatment" + (" and to photos of my face kept in my record." if photos else ".")
    consent = ConsentGiven(
        version="1", at=at, witness="Reception", photos=photos, text=text,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
    )  # fmt: skip
    version = record.version + 1
    revision = Revision(version=version, at=at, by="Reception", kind="consented", change="consent recorded")
    consented = record.model_copy(update={"version": version, "revision": revision, "consent": consent})
    repository.save(consented, AuditEvent.for_version(consented, "Reception", at, f"consent sha256 {consent.sha256}"))
