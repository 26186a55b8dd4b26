"""The server's two roles: the owner runs ``db upgrade``; the workstations' role runs the program and
cannot rewrite history with plain SQL.

Real roles on the throwaway server (trust authentication on its Unix socket, so a URL names the
user); every refusal is the server's own permission error, not the program's.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant import locations
from assistant.records.postgres import roles, schema
from tests.helpers import DIRECTOR, INJECTOR, PINS, Cli
from tests.postgres_server import TemporaryServer

FULL_FACE = str(locations.EXAMPLES_DIR / "full_face.yaml")
_names = (f"{os.getpid()}_{n}" for n in itertools.count())  # roles are the whole server's


@dataclass
class Clinic:
    """A database as README sets it up: ``owner`` owns it and runs ``db upgrade``; ``workstations``
    is the role every workstation's URL names."""

    server: TemporaryServer
    database: str
    owner: str
    workstations: str

    def url(self, user: str) -> str:
        return f"postgresql://{user}@/{self.database}?host={self.server.socket}&port={self.server.port}"

    def psql_as(self, user: str, sql: str) -> str:
        """Plain SQL as ``user`` (a person with the workstations' password and psql)."""
        result = subprocess.run(
            [str(self.server.bin / "psql"), "-h", str(self.server.socket), "-p", str(self.server.port), "-U", user,
             "-d", self.database, "-v", "ON_ERROR_STOP=1", "-qAt", "-c", sql],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        if result.returncode != 0:
            raise PermissionError(result.stderr.strip())
        return result.stdout

    def grants(self) -> str:
        """Every grant on every table, as the catalogue keeps them."""
        return self.server.psql("SELECT relname, relacl FROM pg_class WHERE relkind = 'r' ORDER BY 1", self.database)

    def rights(self, user: str) -> dict[str, set[str]]:
        """What ``user`` may do to each of the program's tables, as the server says."""
        found: dict[str, set[str]] = {}
        for table in roles.program_tables():
            rows = self.server.psql(
                f"SELECT p FROM unnest(ARRAY{list(roles.PRIVILEGES)}) p "
                f"WHERE has_table_privilege('{user}', '\"{table}\"', p)",
                self.database,
            )
            found[table] = set(rows.split())
        return found


@pytest.fixture
def clinic(postgres_server: TemporaryServer) -> Clinic:
    n = next(_names)
    owner, workstations, database = f"clinic_owner_{n}", f"clinic_ws_{n}", f"clinic_{n}"
    postgres_server.psql(f"CREATE ROLE {owner} LOGIN; CREATE ROLE {workstations} LOGIN")
    postgres_server.psql(f"CREATE DATABASE {database} OWNER {owner}")
    return Clinic(postgres_server, database, owner, workstations)


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    """The command line; each test names the server (and so the role) with --database."""
    return Cli(tmp_path / "data", capsys, monkeypatch)


def test_every_table_has_its_workstations_rights_stated() -> None:
    stated = roles.RIGHTS
    assert set(schema.metadata.tables) <= set(stated), set(schema.metadata.tables) - set(stated)
    assert set(stated) <= set(roles.program_tables())
    assert stated["audit"][0] == ("SELECT", "INSERT") and stated["consult_versions"][0] == ("SELECT", "INSERT")
    for table, (rights, why) in stated.items():
        assert set(rights) <= set(roles.PRIVILEGES) and "TRUNCATE" not in rights and why, table


def test_the_workstations_role_runs_the_program_and_cannot_rewrite_the_trail(clinic: Clinic, cli: Cli) -> None:
    code, out, err = cli("db", "upgrade", "--database", clinic.url(clinic.owner), "--workstations", clinic.workstations)
    assert code == 0, err
    assert f"The workstations' role {clinic.workstations} may read the record and add to it" in out
    workstation = ("--database", clinic.url(clinic.workstations))

    def ok(*args: str, pins: tuple[str, ...] = ()) -> str:
        code, out, err = cli(*args, *workstation, pins=pins)
        assert code == 0, err
        return out

    ok("staff", "add", DIRECTOR, "--role", "medical_director", "--pin-stdin", pins=(PINS[DIRECTOR],))
    ok("staff", "add", INJECTOR, "--role", "injector", "--by", DIRECTOR, "--pin-stdin", pins=(PINS[INJECTOR], PINS[DIRECTOR]))  # noqa: E501  # fmt: skip
    consult_id = json.loads(ok("run", FULL_FACE, "--staff", INJECTOR, "--format", "json"))["consult_id"]
    ok("give", consult_id, "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))
    ok("sign", consult_id, "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))
    assert "every one and every record version match" in ok("audit", "verify")
    entries = int(clinic.psql_as(clinic.workstations, "SELECT count(*) FROM audit"))

    attempts = [
        "DELETE FROM audit",
        "UPDATE audit SET actor = 'someone else'",
        "TRUNCATE audit",
        "ALTER TABLE audit DISABLE TRIGGER ALL",
        "ALTER TABLE audit DISABLE TRIGGER audit_append_only",
        "DROP TABLE audit CASCADE",
        "CREATE OR REPLACE FUNCTION botulax_audit_is_append_only() RETURNS trigger AS $$ BEGIN RETURN OLD; END $$ "
        "LANGUAGE plpgsql",
        f"UPDATE consult_versions SET record = record - 'signatures' WHERE consult_id = '{consult_id}'",
        f"DELETE FROM consult_versions WHERE consult_id = '{consult_id}' AND version = 4",
        "TRUNCATE consult_versions CASCADE",
        "DELETE FROM consults",
        "TRUNCATE staff",
        "ALTER TABLE consult_versions DISABLE TRIGGER ALL",
    ]
    for sql in attempts:
        with pytest.raises(PermissionError, match=r"permission denied|must be owner") as refused:
            clinic.psql_as(clinic.workstations, sql)
        assert "append-only" not in str(refused.value), f"{sql}: refused by the grants, before any trigger"
    assert int(clinic.psql_as(clinic.workstations, "SELECT count(*) FROM audit")) == entries
    [signature] = json.loads(
        clinic.psql_as(
            clinic.workstations,
            f"SELECT record -> 'signatures' FROM consult_versions WHERE consult_id = '{consult_id}' AND version = 4",
        )
    )
    assert signature["name"] == INJECTOR
    assert "every one and every record version match" in ok("audit", "verify")


def test_db_upgrade_workstations_twice_grants_exactly_the_same(clinic: Clinic, cli: Cli) -> None:
    owner = clinic.url(clinic.owner)
    assert cli("db", "upgrade", "--database", owner)[0] == 0
    clinic.server.psql(f"GRANT ALL ON audit, consult_versions TO {clinic.workstations}", clinic.database)
    clinic.server.psql("GRANT UPDATE ON audit TO PUBLIC", clinic.database)
    code, out, err = cli("db", "upgrade", "--database", owner, "--workstations", clinic.workstations)
    assert code == 0 and "nothing to do" in out, err
    first = clinic.rights(clinic.workstations)
    assert first == {t: set(roles.RIGHTS[t][0]) for t in roles.program_tables()}, "what it had before is gone"
    acl = clinic.grants()
    code, out, err = cli("db", "upgrade", "--database", owner, "--workstations", clinic.workstations)
    assert code == 0 and "nothing to do" in out, err
    assert clinic.rights(clinic.workstations) == first
    assert clinic.grants() == acl

    # a later upgrade grants again to the role set up before (a table a new migration adds is covered)
    clinic.server.psql(f"REVOKE ALL ON drafts FROM {clinic.workstations}", clinic.database)
    code, out, _ = cli("db", "upgrade", "--database", owner)
    assert code == 0 and f"The workstations' role {clinic.workstations}" in out
    assert clinic.rights(clinic.workstations) == first


def test_db_status_names_the_role_and_warns_the_owner_and_a_superuser(clinic: Clinic, cli: Cli) -> None:
    owner = clinic.url(clinic.owner)
    assert cli("db", "upgrade", "--database", owner, "--workstations", clinic.workstations)[0] == 0
    code, out, err = cli("db", "status", "--database", owner)
    assert code == 0 and f"Connected as: {clinic.owner} (owns the tables)" in out
    [warning] = [line for line in err.splitlines() if line.startswith("warning:")]
    assert f"connected as {clinic.owner}, which owns" in warning
    assert "botulax-consult db upgrade --workstations ROLE" in warning

    code, out, err = cli("db", "status", "--database", clinic.url(clinic.workstations))
    assert code == 0 and f"Connected as: {clinic.workstations} (does not own the tables)" in out
    assert "warning" not in err and f"version {schema.SCHEMA_VERSION} (current)" in out

    code, out, err = cli("db", "status", "--database", clinic.url(clinic.server.user))  # the tests' superuser
    assert code == 0 and "is a superuser" in err and err.startswith("warning:")

    clinic.server.psql(f"GRANT DELETE ON audit TO {clinic.workstations}", clinic.database)
    code, out, err = cli("db", "status", "--database", clinic.url(clinic.workstations))
    assert code == 0 and err.startswith("warning:") and "DELETE on audit" in err


@pytest.mark.parametrize(
    ("make_role", "words"),
    [
        ("", "There is no role"),
        ("CREATE ROLE {ws} LOGIN SUPERUSER", "is a superuser"),
        ("CREATE ROLE {ws} LOGIN CREATEROLE", "may create roles"),
        ("CREATE ROLE {ws} LOGIN IN ROLE {owner}", "owns (or acts as the owner of) alembic_version, audit"),
        ("CREATE ROLE {ws} LOGIN; ALTER DATABASE {database} OWNER TO {ws}", "owns the database"),
    ],
)
def test_a_role_that_could_rewrite_the_trail_is_refused_and_nothing_changes(
    clinic: Clinic, cli: Cli, make_role: str, words: str
) -> None:
    owner = clinic.url(clinic.owner)
    assert cli("db", "upgrade", "--database", owner)[0] == 0
    ws = f"{clinic.workstations}_x"
    if make_role:
        clinic.server.psql(make_role.format(ws=ws, owner=clinic.owner, database=clinic.database))
    before = clinic.grants()
    connect_as = clinic.owner if "DATABASE" not in make_role else "postgres"
    code, _, err = cli("db", "upgrade", "--database", clinic.url(connect_as), "--workstations", ws)
    assert code == 2 and words in err, err
    assert "Traceback" not in err
    assert clinic.grants() == before, "a refused role leaves every grant as it was"


def test_the_workstations_role_cannot_name_itself(clinic: Clinic, cli: Cli) -> None:
    owner = clinic.url(clinic.owner)
    assert cli("db", "upgrade", "--database", owner, "--workstations", clinic.workstations)[0] == 0
    code, _, err = cli("db", "upgrade", "--database", owner, "--workstations", clinic.owner)
    assert code == 2 and f"You are connected as {clinic.owner}" in err
    workstation = clinic.url(clinic.workstations)
    code, _, err = cli("db", "upgrade", "--database", workstation, "--workstations", clinic.workstations)
    assert code == 2 and f"You are connected as {clinic.workstations}" in err
    other = f"{clinic.workstations}_other"
    clinic.server.psql(f"CREATE ROLE {other} LOGIN")
    code, _, err = cli("db", "upgrade", "--database", workstation, "--workstations", other)
    assert code == 2 and f"must run as the tables' owner; {clinic.workstations} does not own them" in err
    code, out, _ = cli("db", "upgrade", "--database", workstation)
    assert code == 0 and "nothing to do" in out and "workstations' role" not in out


def test_a_clinic_set_up_with_one_role_moves_to_two_as_readme_says(postgres_server: TemporaryServer, cli: Cli) -> None:
    """Earlier READMEs had one role own everything and every workstation use it."""
    n = next(_names)
    clinic = Clinic(postgres_server, f"clinic_{n}", f"clinic_owner_{n}", f"clinic_{n}_all")
    postgres_server.psql(f"CREATE ROLE {clinic.workstations} LOGIN")
    postgres_server.psql(f"CREATE DATABASE {clinic.database} OWNER {clinic.workstations}")
    everything = ("--database", clinic.url(clinic.workstations))
    assert cli("db", "upgrade", *everything)[0] == 0
    assert cli("staff", "add", DIRECTOR, "--role", "medical_director", "--pin-stdin", *everything, pins=(PINS[DIRECTOR],))[0] == 0  # noqa: E501  # fmt: skip
    assert cli("run", FULL_FACE, "--staff", DIRECTOR, *everything)[0] == 0
    code, _, err = cli("db", "status", *everything)
    assert code == 0 and err.startswith("warning:") and "owns the database" in err

    postgres_server.psql(f"CREATE ROLE {clinic.owner} LOGIN")
    postgres_server.psql(f"REASSIGN OWNED BY {clinic.workstations} TO {clinic.owner}", clinic.database)
    code, out, err = cli("db", "upgrade", "--workstations", clinic.workstations, "--database", clinic.url(clinic.owner))
    assert code == 0, err
    code, out, err = cli("db", "status", *everything)
    assert code == 0 and "warning" not in err and "(does not own the tables)" in out
    attempts = ("DELETE FROM audit", "ALTER TABLE audit DISABLE TRIGGER ALL", "UPDATE consult_versions SET version = 2")
    for sql in attempts:
        with pytest.raises(PermissionError, match=r"permission denied|must be owner"):
            clinic.psql_as(clinic.workstations, sql)
    code, out, err = cli("audit", "verify", *everything)
    assert code == 0 and "every one and every record version match" in out, err
