"""The two roles of a clinic's server: the owner, used only by ``db upgrade``, and the workstations'.

Only a table's owner (or a superuser) may ALTER it, disable its triggers, drop it or replace the
function its trigger runs; so the audit trail's append-only trigger holds against a role that owns
nothing, and a right never granted is refused by the server before any trigger runs. Every
workstation's URL names the workstations' role; the owner's password stays with whoever upgrades.

``RIGHTS`` states, table by table, exactly what the program's statements (``audit.py``,
``consults.py``, ``register_rows.py``, ``vials.py``, ``store.py``, ``importer.py``) use, and why.
``grant`` first takes away everything the role (and PUBLIC) had on the program's tables, then
grants ``RIGHTS``: run twice, the same grants. Every ``db upgrade`` grants again to the roles
already set up (``workstation_roles``), so a table a new migration adds is granted with it and no
``ALTER DEFAULT PRIVILEGES`` is needed. A table missing from ``RIGHTS`` gets nothing (the tests
fail until it is stated).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, text

from assistant.records.errors import RecordsError
from assistant.records.postgres import schema

RIGHTS: dict[str, tuple[tuple[str, ...], str]] = {
    "alembic_version": (("SELECT",), "the schema version is checked when a workstation opens the record"),
    "audit": (("SELECT", "INSERT"), "entries are appended and read (audit, verify); never changed or removed"),
    "audit_head": (("SELECT", "UPDATE"), "each append locks the head row (SELECT ... FOR UPDATE) and moves it on"),
    "consults": (
        ("SELECT", "INSERT", "UPDATE"),
        "one summary row per consult, rewritten with each version and locked while one is added; never deleted",
    ),
    "consult_versions": (("SELECT", "INSERT"), "each version is written once: a signed record cannot be edited"),
    "patients": (
        ("SELECT", "INSERT", "UPDATE", "DELETE"),
        "the name index, kept in step with the consults; a name left with no consult is forgotten",
    ),
    "name_prefixes": (("SELECT", "INSERT", "DELETE"), "a patient's name prefixes, rewritten with each save"),
    "register": (("SELECT", "INSERT", "UPDATE"), "the patient register: a new revision locks and replaces its row"),
    "drafts": (("SELECT", "INSERT", "UPDATE", "DELETE"), "unfinished consults, saved as typed and removed when done"),
    "staff": (("SELECT", "INSERT", "UPDATE"), "accounts are added and revised (PIN, lockout, disabled); never deleted"),
    "vials": (("SELECT", "INSERT", "UPDATE"), "the vial ledger: a vial is opened, drawn from (locked) and closed"),
    "treatments": (
        ("SELECT", "INSERT", "DELETE"),
        "what was given, per consult, replaced with each version (due, usage)",
    ),
    "treatment_lots": (
        ("SELECT", "INSERT"),
        "units per lot (recall); they go with their treatment (ON DELETE CASCADE, done as the owner)",
    ),
    "imports": (("SELECT", "INSERT"), "what db import brought over, so a second run brings nothing twice"),
    "photos": (("SELECT", "INSERT"), "a photo's bytes, written once with the version naming them; never changed"),
}
"""The workstations' role's rights on each table, and why it needs them."""

PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")
"""Every table privilege PostgreSQL knows (for what a role holds beyond ``RIGHTS``)."""

FIX = "botulax-consult db upgrade --workstations ROLE (see README, 'A clinic with several workstations')"


class RoleRefused(RecordsError):
    """A role that may not be the workstations' role, or a connection that may not grant (exit 2)."""


def program_tables() -> list[str]:
    """The tables the program creates (and Alembic's version table)."""
    return sorted({*schema.metadata.tables, "alembic_version"})


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def powers(connection: Connection, role: str) -> list[str]:
    """What lets ``role`` change the audit trail whatever is granted, in words (empty: nothing).

    A superuser may do anything; the owner of a table (or a member of its owner) may ALTER it and
    disable its triggers; the owner of the schema or the database may drop what is in it; the owner
    of the trigger's function may replace it; CREATEROLE may make itself a member of the owner.
    """
    row = connection.execute(
        text(
            "SELECT r.rolsuper, r.rolcreaterole, pg_has_role(r.oid, d.datdba, 'USAGE') AS database,"
            " pg_has_role(r.oid, n.nspowner, 'USAGE') AS schema, n.nspname"
            " FROM pg_roles r, pg_database d, pg_namespace n"
            " WHERE r.rolname = :role AND d.datname = current_database() AND n.nspname = current_schema()"
        ),
        {"role": role},
    ).first()
    if row is None:
        return []
    if row.rolsuper:
        return ["is a superuser"]
    found = []
    if row.rolcreaterole:
        found.append("may create roles (CREATEROLE), and so make itself a member of the tables' owner")
    if row.database:
        found.append("owns the database")
    elif row.schema:
        found.append(f"owns the schema {row.nspname}")
    owned = connection.execute(
        text(
            "SELECT c.relname AS name FROM pg_class c"
            " WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())"
            " AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND pg_has_role(:role, c.relowner, 'USAGE')"
            " UNION SELECT p.proname || '()' FROM pg_proc p"
            " WHERE p.pronamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())"
            " AND pg_has_role(:role, p.proowner, 'USAGE') ORDER BY 1"
        ),
        {"role": role},
    ).scalars()
    names = [name for name in owned if name.endswith("()") or name in program_tables()]
    if names:
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        found.append(f"owns (or acts as the owner of) {shown}")
    return found


def excess(connection: Connection, role: str) -> list[str]:
    """Rights ``role`` holds on the program's tables beyond ``RIGHTS`` (granted to it, to PUBLIC or
    to a role it belongs to), as "UPDATE on audit"."""
    found = []
    for table in program_tables():
        if connection.execute(text("SELECT to_regclass(:t)"), {"t": _quoted(table)}).scalar() is None:
            continue
        allowed = RIGHTS.get(table, ((), ""))[0]
        held = connection.execute(
            text("SELECT p FROM unnest(CAST(:privileges AS text[])) p WHERE has_table_privilege(:role, :table, p)"),
            {"role": role, "table": _quoted(table), "privileges": list(PRIVILEGES)},
        ).scalars()
        found += [f"{privilege} on {table}" for privilege in held if privilege not in allowed]
    return found


def workstation_roles(connection: Connection) -> list[str]:
    """The roles granted INSERT on the audit trail other than its owner: those set up before."""
    return list(
        connection.execute(
            text(
                "SELECT DISTINCT r.rolname FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a"
                " JOIN pg_roles r ON r.oid = a.grantee"
                " WHERE c.oid = to_regclass('audit') AND a.privilege_type = 'INSERT' AND a.grantee <> c.relowner"
                " ORDER BY 1"
            )
        ).scalars()
    )


def may_grant(connection: Connection) -> bool:
    """The connected role owns the audit trail (or is a superuser): it may grant on the tables."""
    return bool(
        connection.execute(
            text(
                "SELECT r.rolsuper OR coalesce(pg_has_role(r.oid, c.relowner, 'USAGE'), false)"
                " FROM pg_roles r LEFT JOIN pg_class c ON c.oid = to_regclass('audit')"
                " WHERE r.rolname = current_user"
            )
        ).scalar()
    )


def check_role(connection: Connection, role: str, where: str) -> None:
    """``RoleRefused`` naming why ``role`` cannot be the workstations' role (nothing granted then)."""
    user = connection.execute(text("SELECT current_user")).scalar()
    exists = connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :role"), {"role": role}).first()
    if exists is None:
        raise RoleRefused(
            f"There is no role {role} on {where}: create it first (on the server, as the postgres user: "
            f"createuser --pwprompt {role}), then run this again."
        )
    if role == user:
        raise RoleRefused(
            f"You are connected as {role}: db upgrade runs as the tables' owner, and the workstations' role "
            "must be another role, one that owns nothing."
        )
    why = powers(connection, role)
    if why:
        raise RoleRefused(
            f"{role} cannot be the workstations' role: it {' and '.join(why)}, so it could change the audit trail "
            "whatever is granted. Use a role that owns nothing (createuser --pwprompt NAME), then run this again."
        )
    if not may_grant(connection):
        raise RoleRefused(
            f"db upgrade --workstations must run as the tables' owner; {user} does not own them. Use the owner's "
            "URL for db upgrade."
        )


def grant(connection: Connection, role: str) -> None:
    """Take away what ``role`` and PUBLIC had on the program's tables, then grant ``RIGHTS`` (idempotent)."""
    grantee = _quoted(role)
    for table in program_tables():
        if connection.execute(text("SELECT to_regclass(:t)"), {"t": _quoted(table)}).scalar() is None:
            continue
        connection.execute(text(f"REVOKE ALL ON TABLE {_quoted(table)} FROM PUBLIC, {grantee}"))
        rights = RIGHTS.get(table, ((), ""))[0]
        if rights:
            connection.execute(text(f"GRANT {', '.join(rights)} ON TABLE {_quoted(table)} TO {grantee}"))


def set_up(connection: Connection, role: str, where: str) -> None:
    """Make ``role`` the workstations' role: checked, granted ``RIGHTS``, and refused when it still
    holds more through a role it belongs to (the caller's transaction then changes nothing)."""
    check_role(connection, role, where)
    grant(connection, role)
    left = excess(connection, role)
    if left:
        raise RoleRefused(
            f"{role} still holds {', '.join(left)} through a role it belongs to or PUBLIC; take that away "
            "(REVOKE ... FROM that role) and run this again."
        )


def grant_again(connection: Connection) -> list[str]:
    """Grant ``RIGHTS`` again to the workstations' roles set up before (after a migration added a
    table); nothing when the connection may not grant. The roles granted."""
    if not may_grant(connection):
        return []
    found = workstation_roles(connection)
    for role in found:
        grant(connection, role)
    return found


@dataclass(frozen=True)
class Connected:
    """Who a connection is, for ``db status``."""

    user: str
    owns_tables: bool
    powers: tuple[str, ...]
    excess: tuple[str, ...]

    @property
    def described(self) -> str:
        """The role and whether it owns the tables: "clinic_ws (does not own the tables)"."""
        return f"{self.user} ({'owns' if self.owns_tables else 'does not own'} the tables)"

    @property
    def warnings(self) -> list[str]:
        """``warning:`` lines for a connection a workstation should not use."""
        found = []
        if self.powers:
            found.append(
                f"warning: connected as {self.user}, which {' and '.join(self.powers)}: whoever uses this URL can "
                "rewrite the audit trail. Use it only for db upgrade, and give every workstation the workstations' "
                f"role: {FIX}."
            )
        if self.excess:
            found.append(
                f"warning: {self.user} holds rights the program does not use ({', '.join(self.excess)}); take them "
                f"back with {FIX}."
            )
        return found


def connected(connection: Connection) -> Connected:
    user = str(connection.execute(text("SELECT current_user")).scalar())
    owns = bool(
        connection.execute(
            text("SELECT pg_has_role(current_user, relowner, 'USAGE') FROM pg_class WHERE oid = to_regclass('audit')")
        ).scalar()
    )
    found = powers(connection, user)
    return Connected(user, owns, tuple(found), () if found else tuple(excess(connection, user)))
