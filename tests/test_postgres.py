"""The PostgreSQL store as a clinic with several workstations meets it: many saving at once, a
process killed mid-save, two signing one consult, an append-only trail, schema versions, moving a
TinyDB folder in, and a password that is never shown. A real server (see ``postgres_server``)."""

from __future__ import annotations

import json
import random
import signal
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from assistant.core.lifecycle import rules
from assistant.core.lifecycle.given import lines_from_plan
from assistant.core.lifecycle.staff import StaffAccount
from assistant.records import ConsultRepository, TinyDBStore, open_repository
from assistant.records.errors import SchemaOutdated, StoreUnavailable
from assistant.records.postgres.schema import SCHEMA_VERSION
from assistant.records.postgres.store import PostgresStore
from assistant.records.postgres.url import BadDatabaseUrl, parse_database_url
from assistant.services import audit_trail
from assistant.services.desk import Desk
from assistant.services.staff import authenticate
from assistant.services.treatment import keep
from tests.conftest import RUN, MakeRecord
from tests.helpers import DIRECTOR, PINS, Cli
from tests.helpers import keep as save
from tests.postgres_server import TemporaryServer
from tests.test_records_concurrency import assert_all_kept, saved_lines, start_worker
from tests.test_records_concurrency import template as template

AT = datetime(2026, 11, 24, 11, tzinfo=UTC)
IMPORT = ("--by", DIRECTOR, "--pin-stdin")
"""``db import`` is a medical director's act, with their PIN."""


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    """The command line on a TinyDB folder, each test naming the server with --database itself."""
    return Cli(tmp_path / "data", capsys, monkeypatch)


def store(url: str) -> PostgresStore:
    return PostgresStore(parse_database_url(url))


def test_eight_workstations_saving_at_once_lose_nothing_and_the_chain_never_forks(
    postgres_url: str,
    template: Path,
    tmp_path: Path,
) -> None:
    go = tmp_path / "go"
    workers = [start_worker(postgres_url, template, str(n), 50, go) for n in range(8)]
    go.touch()
    saved: list[tuple[str, str]] = []
    for process in workers:
        output, _ = process.communicate(timeout=300)
        assert process.returncode == 0
        saved += saved_lines(output)
    assert len(saved) == 8 * (50 + 10) and len({c for c, _ in saved}) == len(saved)
    server = store(postgres_url)
    assert len(server.history("P-0042")) == 400
    assert_all_kept(server, saved)
    verdict = audit_trail.check(server)
    assert verdict.ok and verdict.entries == len(saved), verdict.problem


def test_a_save_killed_twenty_times_loses_nothing_committed(postgres_url: str, template: Path) -> None:
    rng = random.Random(20261201)
    saved: list[tuple[str, str]] = []
    for _ in range(20):
        process = start_worker(postgres_url, template, "k", -1, None)
        assert process.stdout is not None
        finished = "".join(process.stdout.readline() for _ in range(rng.randint(1, 4)))
        time.sleep(rng.uniform(0, 0.03))
        process.send_signal(signal.SIGKILL)
        saved += saved_lines(finished + process.stdout.read())
        process.wait(timeout=10)
    assert len(saved) >= 20
    server = store(postgres_url)
    assert_all_kept(server, saved)
    assert audit_trail.check(server).ok  # transactional: not even a version without its entry


def test_two_workstations_signing_one_consult_at_once_one_wins_the_other_is_told(
    postgres_url: str, make_record: MakeRecord
) -> None:
    first, second = store(postgres_url), store(postgres_url)
    injectors = [
        StaffAccount(name=name, role="injector", pin_hash="x", created_at=AT) for name in ("Ina Choi", "Min Seo")
    ]
    record = save(first, make_record("Kim Ji-woo"))
    given = keep(
        Desk(first), rules.give(record, lines_from_plan(record.plan, None, None), injectors[0], AT), "Ina Choi"
    )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def sign(repository: ConsultRepository, who: StaffAccount) -> None:
        signed = rules.sign(given, who, AT)
        barrier.wait()
        try:
            keep(Desk(repository), signed, who.name)
            outcomes.append(f"signed by {who.name}")
        except rules.AlreadyDone as error:
            outcomes.append(str(error))

    threads = [threading.Thread(target=sign, args=pair) for pair in zip((first, second), injectors, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wins = [o for o in outcomes if o.startswith("signed by")]
    assert len(wins) == 1, outcomes
    winner = wins[0].removeprefix("signed by ")
    [told] = [o for o in outcomes if not o.startswith("signed by")]
    assert f"already signed by {winner} at" in told
    assert first.get(record.consult_id).signatures[0].name == winner  # type: ignore[union-attr]
    assert audit_trail.check(first).ok


def test_audit_rows_cannot_be_changed_or_removed(
    postgres_url: str, postgres_server: TemporaryServer, make_record: MakeRecord
) -> None:
    server = store(postgres_url)
    save(server, make_record("Kim Ji-woo"))
    database = parse_database_url(postgres_url).database
    for sql in ("UPDATE audit SET actor = 'someone'", "DELETE FROM audit", "TRUNCATE audit"):
        with pytest.raises(RuntimeError, match="append-only"):
            postgres_server.psql(sql, database)
    assert [e.actor for e in server.audit_entries()] == ["Dr Test"]


def test_an_old_or_empty_schema_is_said_plainly_and_db_upgrade_is_idempotent(
    postgres_server: TemporaryServer, cli: Cli
) -> None:
    url = postgres_server.create_database(f"empty_{RUN}_{id(cli)}")
    with pytest.raises(SchemaOutdated, match=r"has no botulax-consult tables yet.*db upgrade"):
        store(url)
    code, _, err = cli("history", "--database", url)
    assert code == 2 and "db upgrade" in err
    code, out, _ = cli("db", "status", "--database", url)
    assert code == 2 and "Schema: none yet" in out
    assert cli("db", "upgrade", "--database", url)[0] == 0
    code, out, _ = cli("db", "upgrade", "--database", url)
    assert code == 0 and "nothing to do" in out
    code, out, _ = cli("db", "status", "--database", url)
    assert code == 0 and f"version {SCHEMA_VERSION} (current)" in out and "consults" in out


def test_a_password_is_never_printed(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = "s3cr3t-Pa55"
    url = f"postgresql://nobody:{secret}@127.0.0.1:1/botulax"
    code, out, err = cli("history", "--database", url)
    assert code == 2 and secret not in out + err
    assert "The record server at 127.0.0.1:1 (database botulax) cannot be reached" in err
    password_file = tmp_path / "db-password"
    password_file.write_text(secret + "\n", encoding="utf-8")
    password_file.chmod(0o644)
    code, _, err = cli(
        "history", "--database", f"postgresql://nobody@127.0.0.1:1/botulax?password_file={password_file}"
    )
    assert code == 2 and "chmod 600" in err and secret not in err
    password_file.chmod(0o600)
    address = parse_database_url(f"postgresql://nobody@127.0.0.1:1/botulax?password_file={password_file}")
    assert address.password == secret and secret not in address.shown + repr(address)
    with pytest.raises(BadDatabaseUrl, match="password_file"):
        parse_database_url(url, from_settings=True)
    monkeypatch.setenv("BOTULAX_CONSULT_DATABASE", url)
    from assistant.cli import build_parser

    assert "--database" in build_parser().format_help() and secret not in build_parser().format_help()
    code, _, err = cli("history")  # from the environment: still not shown
    assert code == 2 and secret not in err and "127.0.0.1:1" in err


def test_the_url_forms_libpq_knows(monkeypatch: pytest.MonkeyPatch) -> None:
    tcp = parse_database_url("postgresql://clinic@records.local:5433/botulax")
    assert (tcp.user, tcp.host, tcp.port, tcp.database) == ("clinic", "records.local", 5433, "botulax")
    assert tcp.sqlalchemy_url().drivername == "postgresql+psycopg"
    socket = parse_database_url("postgresql://clinic@/botulax?host=/run/postgresql&port=5434")
    assert (socket.host, socket.port) == ("/run/postgresql", 5434)
    assert socket.sqlalchemy_url().query == {"host": "/run/postgresql", "port": "5434"}
    for bad in ("mysql://x@y/z", "postgresql://x@y", "postgresql://x@y:99999/z"):
        with pytest.raises(BadDatabaseUrl):
            parse_database_url(bad)


def test_the_store_is_chosen_by_flag_then_environment_then_settings(
    postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert isinstance(open_repository(tmp_path), TinyDBStore)
    monkeypatch.setenv("BOTULAX_CONSULT_DATABASE", postgres_url)
    assert isinstance(open_repository(tmp_path), PostgresStore)
    assert isinstance(open_repository(tmp_path, None, "postgresql://x@y/unused"), PostgresStore)
    monkeypatch.delenv("BOTULAX_CONSULT_DATABASE")
    assert isinstance(open_repository(tmp_path, None, postgres_url), PostgresStore)


@pytest.mark.stops_postgres
def test_a_server_that_is_down_is_a_sentence_naming_it(postgres_server: TemporaryServer, postgres_url: str) -> None:
    server = store(postgres_url)
    postgres_server.stop()
    try:
        with pytest.raises(StoreUnavailable, match="cannot be reached") as raised:
            server.history("anyone")
        assert str(raised.value).startswith("The record server on the socket in")
    finally:
        postgres_server.start_again()
    assert server.history("anyone") == []  # the pool reconnects once it is back


def test_db_import_copies_a_folder_once_and_names_a_damaged_file(
    cli: Cli, postgres_url: str, tmp_path: Path, make_record: MakeRecord
) -> None:
    from tests.helpers import INJECTOR

    assert cli("staff", "add", DIRECTOR, "--role", "medical_director", "--pin-stdin", pins=(PINS[DIRECTOR],))[0] == 0
    args = ("staff", "add", INJECTOR, "--role", "injector", "--by", DIRECTOR, "--pin-stdin")
    assert cli(*args, pins=(PINS[INJECTOR], PINS[DIRECTOR]))[0] == 0
    folder = TinyDBStore(cli.data)
    records = [save(folder, make_record(name)) for name in ("Kim Ji-woo", "Lee Bora", "Park Mina")]
    given = rules.give(records[0], lines_from_plan(records[0].plan, "BX1", None), folder.staff()[1], AT)
    desk = Desk(folder)
    authenticate(desk, INJECTOR, PINS[INJECTOR], "give")  # her key unsealed: the act is signed
    keep(desk, given, "Ina Choi")
    broken = folder.layout.consult_path(records[2].consult_id)
    broken.write_bytes(broken.read_bytes()[:100])

    code, out, err = cli("db", "import", str(cli.data), *IMPORT, "--database", postgres_url, pins=(PINS[DIRECTOR],))
    assert code == 1 and f"db import refused: The data file {broken}" in err, "a damaged folder is refused"
    assert store(postgres_url).staff() == [], "nothing was imported"
    unverified = ("--accept-unverified", "--reason", "the laptop's disk failed; the rest is needed")
    code, out, err = cli(
        "db", "import", str(cli.data), *IMPORT, *unverified, "--database", postgres_url, pins=(PINS[DIRECTOR],)
    )  # fmt: skip
    assert code == 2  # one file was skipped
    assert str(broken) in err and "damaged" in err
    assert "2 consults, 3 versions" in out and "2 staff" in out
    server = store(postgres_url)
    assert server.get(records[0].consult_id) == given and server.get(records[1].consult_id) == records[1]
    assert server.get(records[2].consult_id) is None
    assert [a.name for a in server.staff()] == [a.name for a in folder.staff()]
    assert audit_trail.check(server).ok
    actions = [e.action for e in server.audit_entries()]
    assert set(actions) == {"imported", "staff added"}, "the staff accounts are stated, for verify's register"
    act = list(server.audit_entries())[-1]
    assert act.actor == DIRECTOR and act.signature and "accepted unverified" in (act.detail or "")
    assert "the laptop's disk failed" in (act.detail or "")

    code, out, _ = cli(
        "db", "import", str(cli.data), *IMPORT, *unverified, "--database", postgres_url, pins=(PINS[DIRECTOR],)
    )  # fmt: skip
    assert "0 consults, 0 versions" in out and "already on the server" in out
    assert len(list(server.audit_entries())) == len(actions) + 1, "only the director's act of importing again"
    assert (
        json.loads(json.dumps([r.model_dump(mode="json") for r in server.history("Kim Ji-woo")]))[0]["state"] == "given"
    )


def test_db_import_brings_the_register_and_joins_a_patient_the_server_knows(
    cli: Cli, postgres_url: str, tmp_path: Path
) -> None:
    """A laptop's patients come over; one the server registered too (same name, date of birth and
    number) is joined to the server's, so her consults from both count as one patient's."""
    import datetime as dt

    from assistant.core.lifecycle.register import Identifiers
    from assistant.services import patients

    at = dt.datetime(2026, 11, 24, 10, tzinfo=dt.UTC)
    folder = TinyDBStore(cli.data)
    server = store(postgres_url)
    minji = Identifiers(name="Kim Minji", date_of_birth=dt.date(1990, 3, 2), clinic_number="P-1")
    sora = Identifiers(name="Lee Sora", date_of_birth=dt.date(1979, 12, 1))
    on_laptop = patients.attach(folder, patients.identify(folder, minji), at)
    patients.attach(folder, patients.identify(folder, sora), at)
    on_server = patients.attach(server, patients.identify(server, minji), at)
    clash = Identifiers(name="Park Jiyeon", date_of_birth=dt.date(1993, 8, 8), clinic_number="P-2")
    patients.attach(folder, patients.identify(folder, clash), at)
    patients.attach(server, patients.identify(server, clash.model_copy(update={"name": "Choi Yuna"})), at)

    assert cli("staff", "add", DIRECTOR, "--role", "medical_director", "--pin-stdin", pins=(PINS[DIRECTOR],))[0] == 0
    code, out, err = cli("db", "import", str(cli.data), *IMPORT, "--database", postgres_url, pins=(PINS[DIRECTOR],))
    assert code == 2 and "clinic number P-2 belongs to Choi Yuna" in err, "the clash is named"
    assert "2 patients" in out
    assert patients.group(server, on_server) == [on_server, on_laptop], "her laptop record joined hers"
    assert patients.identify(server, sora).matched is not None, "a patient the server did not know came over"
    assert "patients merged" in [e.action for e in server.audit_entries()]
    code, out, _ = cli("db", "import", str(cli.data), *IMPORT, "--database", postgres_url, pins=(PINS[DIRECTOR],))
    assert "0 patients" in out
    assert audit_trail.check(server).problems == [], "the server's register is the one its trail states"


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("postgresql://clinic@records.local/botulax%00", "control character"),
        ("postgresql://clinic@records.local/botulax\x00x", "control character"),
        ("postgresql://clinic@records.local/botulax?hostaddr=203.0.113.9", "hostaddr is not taken"),
        ("postgresql://clinic@records.local/botulax?service=elsewhere", "service is not taken"),
        ("postgresql://clinic@/botulax?host=/run/postgresql&host=other.example", "host twice"),
        ("postgresql://clinic@/botulax?host=/run/postgresql,other.example", "several hosts"),
        ("postgresql://clinic@records.local/botulax?options=-c%20timezone%3DAsia/Seoul", "options is not taken"),
    ],
)
def test_a_url_hiding_a_nul_another_host_or_session_settings_is_refused(url: str, words: str) -> None:
    with pytest.raises(BadDatabaseUrl, match=words):
        parse_database_url(url)


def test_audit_verify_gives_the_same_answer_in_any_time_zone(
    cli: Cli,
    postgres_url: str,
    postgres_server: TemporaryServer,
    make_record: MakeRecord,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An untouched trail verifies whatever zone the session would read times in (PGTZ, the role's
    or the database's setting): the program reads them in UTC."""
    server = store(postgres_url)
    save(server, make_record("Kim Ji-woo"))
    server.close()
    database = parse_database_url(postgres_url).database
    postgres_server.psql(f"ALTER DATABASE \"{database}\" SET timezone TO 'Asia/Seoul'")
    monkeypatch.setenv("PGTZ", "America/Los_Angeles")
    code, out, err = cli("audit", "verify", "--database", postgres_url)
    assert code == 0, err
    assert "every one and every record version match" in out
