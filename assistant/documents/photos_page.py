"""The photos page of the dose summary (``print --what photos``): each before photo with the after or
review photo beside it, as thumbnails, with the kind, the day it was added and its SHA-256's start.

The thumbnails are inline ``data:`` URLs (the PDF fetches nothing); a photo whose thumbnail the store
no longer holds is listed as missing, never left out silently (``audit verify`` names it too).
"""

from __future__ import annotations

import base64
import itertools
from collections.abc import Sequence
from typing import Any

from assistant.core.lifecycle.photo_refs import PhotoRef


def _cell(ref: PhotoRef, thumbnail: bytes | None) -> dict[str, Any]:
    return {
        "kind": ref.kind,
        "name": ref.name or "",
        "day": ref.at.astimezone().strftime("%Y-%m-%d"),
        "sha": ref.sha256[:12],
        "by": ref.by or "",
        "src": f"data:image/jpeg;base64,{base64.b64encode(thumbnail).decode('ascii')}" if thumbnail else None,
    }


def photo_rows(photos: Sequence[tuple[PhotoRef, bytes | None]]) -> list[dict[str, Any]]:
    """Rows of the page: ``before`` on the left, the after or review photo (in the order added) on
    the right; a side with fewer photos leaves its cell empty."""
    before = [_cell(ref, thumb) for ref, thumb in photos if ref.kind == "before"]
    later = [_cell(ref, thumb) for ref, thumb in photos if ref.kind != "before"]
    return [{"before": left, "later": right} for left, right in itertools.zip_longest(before, later)]
