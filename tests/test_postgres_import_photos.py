"""``db import`` brings a data folder's photos to the server with the versions that name them, and the
server's ``audit verify`` then re-hashes them there (issue 23.3)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, text

from assistant.records import TinyDBStore
from tests.helpers import INJECTOR, PINS, Cli
from tests.photo_helpers import jpeg_with_gps, record_photo_consent
from tests.test_cli_lifecycle import run_consult
from tests.test_postgres_import_checks import cli, db_import, server_of

__all__ = ["cli"]  # the fixture, used by name


def test_imported_photos_are_on_the_server_and_verified_there(
    cli: Cli, postgres_url: str, postgres_server: object, tmp_path: Path
) -> None:
    consult_id = run_consult(cli, staff=INJECTOR)
    record_photo_consent(TinyDBStore(cli.data), consult_id, datetime.now(UTC))
    photo = jpeg_with_gps(tmp_path / "before.jpg")
    code, _, err = cli(
        "photo", "add", consult_id, str(photo), "--kind", "before", "--by", INJECTOR, "--pin-stdin",
        pins=(PINS[INJECTOR],),
    )  # fmt: skip
    assert code == 0, err
    [ref] = TinyDBStore(cli.data).get(consult_id).photos  # type: ignore[union-attr]
    code, _, err = db_import(cli, postgres_url)
    assert code == 0, err
    server = server_of(postgres_url)
    kept = server.photo(ref.sha256)
    assert kept is not None and kept == TinyDBStore(cli.data).photo(ref.sha256)
    code, out, err = cli("audit", "verify", "--database", postgres_url)
    assert code == 0, out + err
    database = server.address.database
    engine = create_engine(postgres_server.url(database))  # type: ignore[attr-defined]
    with engine.begin() as connection:  # the tables' owner edits the row
        connection.execute(text("UPDATE photos SET data = data || '\\x00'::bytea WHERE sha256 = :s"), {"s": ref.sha256})
    engine.dispose()
    code, out, err = cli("audit", "verify", "--database", postgres_url)
    assert (
        code == 1
        and f"the before photo {ref.sha256[:12]} (before.jpg) of consult {consult_id} was changed" in out + err
    )
