"""Issue 23.3 on the command line, on both stores: ``photo add`` checks, strips and keeps photos;
``audit verify`` names a photo edited in the data folder or in its row; refusals say why."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.media import Media

from assistant.core.lifecycle.photo_refs import PhotoRef
from tests.helpers import INJECTOR, JUNIOR, PINS, Cli
from tests.pdf_pages import page_count, page_texts
from tests.photo_helpers import gps_of, jpeg_with_gps, noisy_jpeg, png, record_photo_consent
from tests.test_cli_lifecycle import clinic, run_consult

__all__ = ["clinic"]  # the fixture, used by name

NOW = datetime.now(UTC)


def photographed(clinic: Cli, tmp_path: Path) -> tuple[str, PhotoRef]:
    consult_id = run_consult(clinic)
    record_photo_consent(clinic.repository(), consult_id, NOW)
    before = jpeg_with_gps(tmp_path / "before.jpg")
    code, out, err = clinic(
        "photo", "add", consult_id, str(before), "--kind", "before", "--by", INJECTOR, "--pin-stdin",
        pins=(PINS[INJECTOR],),
    )  # fmt: skip
    assert code == 0, err
    assert "Added 1 before photo to consult" in out and "before.jpg" in out
    record = clinic.repository().get(consult_id)
    return consult_id, record.photos[-1]


def test_a_photo_added_is_kept_without_its_location_and_shown(clinic: Cli, tmp_path: Path) -> None:
    consult_id, ref = photographed(clinic, tmp_path)
    kept = clinic.repository().photo(ref.sha256)
    assert kept is not None and hashlib.sha256(kept.data).hexdigest() == ref.sha256
    assert gps_of((tmp_path / "before.jpg").read_bytes()), "the file given had a GPS position"
    assert gps_of(kept.data) == {}, "the kept photo has none"
    assert kept.thumbnail.startswith(b"\xff\xd8") and ref.thumbnail_sha256 == hashlib.sha256(kept.thumbnail).hexdigest()
    view = clinic.json("show", consult_id)
    assert view["photos"] == [{"kind": "before", "sha256": ref.sha256, "at": ref.at.isoformat()}]
    assert view["versions"][-1]["kind"] == "photographed"
    code, out, err = clinic("audit", consult_id)
    assert code == 0, err
    assert f"photo added {consult_id}" in out and ref.sha256 in out
    code, out, err = clinic("audit", "verify")
    assert code == 0, out + err


def test_a_photo_edited_in_the_store_is_named_by_audit_verify(clinic: Cli, tmp_path: Path) -> None:
    consult_id, ref = photographed(clinic, tmp_path)
    if clinic.kind == "tinydb":
        path = clinic.data / "photos" / ref.sha256[:2] / f"{ref.sha256}.jpg"
        data = bytearray(path.read_bytes())
        data[-10] ^= 0xFF
        path.write_bytes(bytes(data))
    else:
        from sqlalchemy import create_engine, text

        engine = create_engine(clinic.server.url(clinic.database_name))  # type: ignore[attr-defined]
        with engine.begin() as connection:
            connection.execute(
                text("UPDATE photos SET data = data || '\\x00'::bytea WHERE sha256 = :sha"), {"sha": ref.sha256}
            )
        engine.dispose()
    code, out, err = clinic("audit", "verify")
    assert code != 0
    assert (
        f"the before photo {ref.sha256[:12]} (before.jpg) of consult {consult_id} was changed outside the program"
        in (out + err)
    )


def test_a_file_that_is_not_a_jpeg_or_png_is_refused_and_nothing_is_added(clinic: Cli, tmp_path: Path) -> None:
    consult_id = run_consult(clinic)
    record_photo_consent(clinic.repository(), consult_id, NOW)
    notes = tmp_path / "notes.txt"
    notes.write_text("not a photo\n", encoding="utf-8")
    good = png(tmp_path / "face.png")
    code, _out, err = clinic(
        "photo", "add", consult_id, str(good), str(notes), "--kind", "before", "--by", INJECTOR, "--pin-stdin",
        pins=(PINS[INJECTOR],),
    )  # fmt: skip
    assert code == 2
    assert f"{notes} is not a JPEG or PNG photo: it is a text file." in err
    assert "no photo was added" in err
    assert clinic.json("show", consult_id)["photos"] == []


def test_without_the_photo_consent_a_photo_is_refused(clinic: Cli, tmp_path: Path) -> None:
    consult_id = run_consult(clinic)
    record_photo_consent(clinic.repository(), consult_id, NOW, photos=False)
    code, _out, err = clinic(
        "photo", "add", consult_id, str(png(tmp_path / "a.png")), "--kind", "before", "--by", INJECTOR,
        "--pin-stdin", pins=(PINS[INJECTOR],),
    )  # fmt: skip
    assert code == 5
    assert "has not signed the photo consent" in err and "no photo was added" in err


def test_photos_over_the_clinic_limits_are_refused(clinic: Cli, tmp_path: Path) -> None:
    consult_id = run_consult(clinic)
    record_photo_consent(clinic.repository(), consult_id, NOW)
    settings = tmp_path / "clinic.toml"
    settings.write_text('name = "Test"\n[photos]\nmax_photo_mb = 0.5\nmax_consult_mb = 0.6\n', encoding="utf-8")
    big = noisy_jpeg(tmp_path / "big.jpg", 760)  # about 0.65 MB
    code, _, err = clinic(
        "photo", "add", consult_id, str(big), "--kind", "before", "--by", INJECTOR, "--clinic", str(settings),
        "--pin-stdin", pins=(PINS[INJECTOR],),
    )  # fmt: skip
    assert code == 2 and "larger than 512 KB" in err, err
    small = [noisy_jpeg(tmp_path / f"s{n}.jpg", 420) for n in range(4)]  # about 0.2 MB each
    code, _out, err = clinic(
        "photo", "add", consult_id, *map(str, small), "--kind", "before", "--by", INJECTOR, "--clinic", str(settings),
        "--pin-stdin", pins=(PINS[INJECTOR],),
    )  # fmt: skip
    assert code == 4, err
    assert f"Consult {consult_id} would hold" in err and "over the clinic's limit of 0.6 MB per consult" in err
    assert clinic.json("show", consult_id)["photos"] == []


def test_a_junior_may_add_photos_and_a_wrong_pin_adds_none(clinic: Cli, tmp_path: Path) -> None:
    consult_id = run_consult(clinic)
    record_photo_consent(clinic.repository(), consult_id, NOW)
    photo = str(png(tmp_path / "a.png"))
    args = ("photo", "add", consult_id, photo, "--kind", "before", "--by", JUNIOR, "--pin-stdin")
    assert clinic(*args, pins=("000000",))[0] == 5
    code, _out, err = clinic(*args, pins=(PINS[JUNIOR],))
    assert code == 0, err
    assert [p["kind"] for p in clinic.json("show", consult_id)["photos"]] == ["before"]


def test_print_what_photos_puts_the_thumbnails_on_a_page_after_the_summary(clinic: Cli, tmp_path: Path) -> None:
    consult_id, before = photographed(clinic, tmp_path)
    after = jpeg_with_gps(tmp_path / "after.jpg", colour=(150, 120, 110))
    code, _, err = clinic(
        "photo", "add", consult_id, str(after), "--kind", "after", "--by", INJECTOR, "--pin-stdin",
        pins=(PINS[INJECTOR],),
    )  # fmt: skip
    assert code == 0, err
    summary_only = tmp_path / "summary.pdf"
    assert clinic("print", consult_id, "--what", "summary", "--output", str(summary_only))[0] == 0
    output = tmp_path / "photos.pdf"
    code, out, err = clinic("print", consult_id, "--what", "photos", "--output", str(output))
    assert code == 0, err
    pdf = output.read_bytes()
    assert page_count(pdf) == page_count(summary_only.read_bytes()) + 1, "one page of photos after the summary"
    last = page_texts(pdf, tmp_path)[-1]
    assert "Photos: " in last and "Before After or review" in last
    assert f"sha256 {before.sha256[:12]}" in last and "before.jpg" in last and "after.jpg" in last
    assert pdf.count(b"/Subtype /Image") + pdf.count(b"/Subtype/Image") >= 2, "both thumbnails are drawn"
    code, out, err = clinic("print", consult_id, "--what", "photos", "--format", "text")
    assert code == 0 and "Photos (before | after or review)" in out and "After, " in out


def test_print_what_photos_of_a_consult_without_photos_says_so(clinic: Cli, tmp_path: Path) -> None:
    consult_id = run_consult(clinic)
    code, _, err = clinic("print", consult_id, "--what", "photos", "--output", str(tmp_path / "x.pdf"))
    assert code == 2 and f"consult {consult_id} has no photos" in err
    assert not (tmp_path / "x.pdf").exists()


def test_the_fhir_export_carries_each_photo_as_a_valid_media(clinic: Cli, tmp_path: Path) -> None:
    consult_id, before = photographed(clinic, tmp_path)
    code, out, err = clinic("export", consult_id, "--fhir")
    assert code == 0, err
    bundle = json.loads(out)
    Bundle.model_validate(bundle)
    [media] = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Media"]
    Media.model_validate(media)
    assert media["identifier"] == [{"system": "urn:botulax-consult:photo-sha256", "value": before.sha256}]
    assert media["view"]["text"] == "before" and media["content"]["contentType"] == "image/jpeg"
    data = base64.b64decode(media["content"]["data"])
    assert hashlib.sha256(data).hexdigest() == before.sha256 and gps_of(data) == {}
    patient = next(e["fullUrl"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient")
    assert media["subject"]["reference"] == patient


def test_a_photo_removed_or_a_thumbnail_changed_is_named_by_audit_verify(clinic: Cli, tmp_path: Path) -> None:
    consult_id, ref = photographed(clinic, tmp_path)
    if clinic.kind == "tinydb":
        folder = clinic.data / "photos" / ref.sha256[:2]
        (folder / f"{ref.sha256}.jpg").unlink()
        (folder / f"{ref.sha256}.thumb.jpg").write_bytes(b"\xff\xd8 not the thumbnail")
        code, out, err = clinic("audit", "verify")
        assert code == 1
        assert f"the before photo {ref.sha256[:12]} (before.jpg) of consult {consult_id} is missing" in out + err
        (folder / f"{ref.sha256}.jpg").write_bytes(clinic_photo_bytes(tmp_path))
        code, out, err = clinic("audit", "verify")
        assert code == 1 and "the thumbnail of the before photo" in out + err
        return
    from sqlalchemy import create_engine, text

    engine = create_engine(clinic.server.url(clinic.database_name))  # type: ignore[attr-defined]
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM photos WHERE sha256 = :sha"), {"sha": ref.sha256})
    engine.dispose()
    code, out, err = clinic("audit", "verify")
    assert code == 1
    assert f"the before photo {ref.sha256[:12]} (before.jpg) of consult {consult_id} is missing" in out + err


def clinic_photo_bytes(tmp_path: Path) -> bytes:
    """The photo as ``photo add`` kept it (the same file read the same way)."""
    from assistant.files.photos import read_photo

    return read_photo(tmp_path / "before.jpg", 10**8).data


def test_a_review_photo_is_added_after_the_record_is_signed_and_it_still_verifies(clinic: Cli, tmp_path: Path) -> None:
    consult_id, _ = photographed(clinic, tmp_path)
    assert clinic("give", consult_id, "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))[0] == 0
    assert clinic("sign", consult_id, "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))[0] == 0
    review = png(tmp_path / "day14.png")
    code, out, err = clinic(
        "photo", "add", consult_id, str(review), "--kind", "review", "--by", INJECTOR, "--pin-stdin",
        pins=(PINS[INJECTOR],),
    )  # fmt: skip
    assert code == 0, err
    view = clinic.json("show", consult_id)
    assert view["state"] == "signed" and [p["kind"] for p in view["photos"]] == ["before", "review"]
    code, out, err = clinic("audit", "verify")
    assert code == 0, out + err
