"""The repository contract for photos, on each store: ``add_photos`` keeps the version and the bytes
together, ``photo`` gives them back as stored; a version that loses its race keeps nothing."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest

from assistant.core.lifecycle.audit import AuditEvent
from assistant.core.lifecycle.photo_rules import PhotoBytes, add_photos, audit_detail
from assistant.core.lifecycle.staff import StaffAccount
from assistant.records import ConsultRepository
from assistant.records.errors import VersionConflict
from tests.conftest import MakeRecord
from tests.helpers import keep

AT = datetime(2026, 11, 24, 11, 0, tzinfo=UTC)
INJECTOR = StaffAccount(name="Ina Choi", role="injector", pin_hash="$argon2id$x", created_at=AT)


def _photo(seed: bytes) -> PhotoBytes:
    return PhotoBytes.of("image/png", b"\x89PNG" + seed * 100, b"\xff\xd8thumb" + seed)


def test_photos_added_are_read_back_with_their_version_and_entry(
    repository: ConsultRepository, make_record: MakeRecord
) -> None:
    record = keep(repository, make_record("Kim Ji-woo"))
    photos = [("a.png", _photo(b"a")), ("b.png", _photo(b"b"))]
    added = add_photos(record, photos, "before", INJECTOR, AT)
    event = AuditEvent.for_version(added, INJECTOR.name, AT, audit_detail(added.photos))
    assert repository.add_photos(added, event, [p for _, p in photos]) == added
    assert repository.get(record.consult_id) == added
    assert [ref.sha256 for ref in added.photos] == [p.sha256 for _, p in photos]
    for _, photo in photos:
        kept = repository.photo(photo.sha256)
        assert kept is not None and (kept.data, kept.thumbnail, kept.media_type) == (
            photo.data,
            photo.thumbnail,
            "image/png",
        )
        assert hashlib.sha256(kept.data).hexdigest() == photo.sha256
    [entry] = [e for e in repository.audit_entries(record.consult_id) if e.action == "photo added"]
    assert entry.version == 2 and all(p.sha256 in (entry.detail or "") for _, p in photos)


def test_unknown_or_malformed_photo_names_give_none(repository: ConsultRepository) -> None:
    assert repository.photo("0" * 64) is None
    assert repository.photo("../../etc/passwd") is None


def test_a_version_that_lost_its_race_keeps_no_photo_row(
    repository: ConsultRepository, make_record: MakeRecord
) -> None:
    record = keep(repository, make_record("Kim Ji-woo"))
    photo = _photo(b"late")
    first = add_photos(record, [("a.png", _photo(b"first"))], "before", INJECTOR, AT)
    repository.add_photos(first, AuditEvent.for_version(first, INJECTOR.name, AT), [_photo(b"first")])
    late = add_photos(record, [("late.png", photo)], "before", INJECTOR, AT)  # made from version 1 too
    with pytest.raises(VersionConflict):
        repository.add_photos(late, AuditEvent.for_version(late, INJECTOR.name, AT), [photo])
    assert repository.get(record.consult_id) == first
    if type(repository).__name__ == "PostgresStore":
        assert repository.photo(photo.sha256) is None, "the row went with the transaction"
