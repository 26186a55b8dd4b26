"""Reading a photo file for the record: Pillow says it is a JPEG or a PNG, its location is stripped,
and a thumbnail is made.

A phone's or camera's photo carries its GPS position in its EXIF data: a patient's face with the
place it was taken is more than the record needs, so the GPS block is removed before anything is
kept (the orientation stays, so the photo still shows upright). The photo is written again by
Pillow with the EXIF left (a JPEG at its own quality tables, ``quality="keep"``); its other
metadata (XMP, comments, PNG text chunks) is not carried over. What is kept is hashed as kept.

Anything that is not a JPEG or a PNG is refused with a sentence naming the file and what it is.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from assistant.core.lifecycle.photo_rules import PhotoBytes
from assistant.files.reading import UnreadableFile, read_limited

KINDS = {"JPEG": "image/jpeg", "PNG": "image/png"}
"""The formats kept, by Pillow's name, with their media type."""

GPS_IFD = 0x8825
"""The EXIF tag of the GPS block (latitude, longitude, altitude, time)."""

THUMBNAIL_PIXELS = 320
"""The thumbnail's longer side: sharp enough beside another on an A4 page at 2 x 3 per row."""

MOST_PIXELS = 60_000_000
"""A 60-megapixel photo is larger than any clinic camera's; past it the file is refused, not decoded
(a small file may claim a huge image: a decompression bomb)."""


class NotAPhoto(ValueError):
    """A file refused; ``str()`` is the sentence naming it and saying why."""


def _what_it_is(data: bytes) -> str:
    """What a file Pillow cannot read seems to be, in words."""
    if not data:
        return "an empty file"
    if data.startswith(b"%PDF"):
        return "a PDF document"
    if data[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftyphevc"):
        return "a HEIC photo (export it as JPEG first)"
    try:
        data[:4096].decode("utf-8")
    except UnicodeDecodeError:
        return "not an image Pillow can read"
    return "a text file"


def _stripped(image: Image.Image, fmt: str) -> bytes:
    exif = image.getexif()
    if GPS_IFD in exif:
        del exif[GPS_IFD]
    out = io.BytesIO()
    if fmt == "JPEG":
        image.save(out, "JPEG", quality="keep", exif=exif.tobytes(), optimize=False)
    else:
        image.save(out, "PNG", exif=exif.tobytes() if len(exif) else None)
    return out.getvalue()


def _thumbnail(image: Image.Image) -> bytes:
    small = ImageOps.exif_transpose(image)
    small.thumbnail((THUMBNAIL_PIXELS, THUMBNAIL_PIXELS))
    if small.mode not in ("RGB", "L"):
        small = small.convert("RGB")
    out = io.BytesIO()
    small.save(out, "JPEG", quality=80)
    return out.getvalue()


def photo_from_bytes(name: str, data: bytes) -> PhotoBytes:
    """The photo as kept (``NotAPhoto`` with a sentence when it is not a JPEG or PNG Pillow can decode)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as image:
                fmt = image.format or ""
                if fmt not in KINDS:
                    raise NotAPhoto(f"{name} is not a JPEG or PNG photo: it is a {fmt or 'different'} image.")
                if image.width * image.height > MOST_PIXELS:
                    raise NotAPhoto(
                        f"{name} is {image.width} x {image.height} pixels, larger than any clinic photo "
                        f"({MOST_PIXELS // 1_000_000} megapixels at most)."
                    )
                image.load()
                return PhotoBytes.of(KINDS[fmt], _stripped(image, fmt), _thumbnail(image))
        except UnidentifiedImageError:
            raise NotAPhoto(f"{name} is not a JPEG or PNG photo: it is {_what_it_is(data)}.") from None
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise NotAPhoto(f"{name} claims more pixels than any photo has; it is not read.") from None
        except (OSError, SyntaxError, ValueError) as error:
            if isinstance(error, NotAPhoto):
                raise
            raise NotAPhoto(f"{name} is a damaged or cut-off image: Pillow cannot decode it ({error}).") from None


def read_photo(path: Path, most_bytes: int) -> PhotoBytes:
    """The photo file at ``path``, of at most ``most_bytes`` (the clinic's limit per photo);
    ``NotAPhoto`` with a sentence naming it otherwise (missing, a folder, too big, not an image)."""
    try:
        data = read_limited(path, most_bytes)
    except UnreadableFile as error:
        raise NotAPhoto(str(error)) from None
    except FileNotFoundError:
        raise NotAPhoto(f"{path}: there is no such file.") from None
    except OSError as error:
        raise NotAPhoto(f"{path} cannot be read: {error.strerror or error}.") from None
    return photo_from_bytes(str(path), data)


def photos_in(folder: Path, most: int = 200) -> list[Path]:
    """The JPEG and PNG files of ``folder`` (by their names' endings), newest first, at most ``most``:
    where the camera or tablet syncs, for the UI to pick from. A folder that cannot be read gives none."""
    try:
        found = [
            entry
            for entry in folder.iterdir()
            if entry.suffix.lower() in (".jpg", ".jpeg", ".png") and not entry.name.startswith(".") and entry.is_file()
        ]
    except OSError:
        return []
    return sorted(found, key=lambda path: (-path.stat().st_mtime, path.name))[:most]
