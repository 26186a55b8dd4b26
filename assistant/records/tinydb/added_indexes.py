"""Indexes added to the layout after a data folder was made, built the first time it is opened.

A folder kept before the "to give" list (``signing/waiting.json``'s ``to_give`` table) or the
register's by-date-of-birth buckets (``register/births/``) would read them as empty: Waiting would
show nothing to give, and a search by date of birth would find nobody, until ``reindex``. So on
opening, a folder whose records call for one of them and which does not have it yet has it written
from the records, under the locks a save takes first (every patient folder; the register's), so no
save comes between the reading and the writing; it is said in the log file. Once written (empty if
nothing calls for it) the index is there, and the next opening only looks for it.

Nothing here writes when the folder is as the program now makes it, and a folder that cannot be
written is left as it is (the log says so; ``reindex`` writes the index once it can).
"""

from __future__ import annotations

import contextlib
import logging
from typing import TYPE_CHECKING

from assistant.files.private import UnsafePath
from assistant.records.errors import RecordsError
from assistant.records.tinydb import register_index
from assistant.records.tinydb.atomic import dump, ensure_dir, locked, read_tables, write_atomic
from assistant.records.tinydb.converters import TO_GIVE, summary_document
from assistant.records.tinydb.register_files import BIRTHS

if TYPE_CHECKING:
    from assistant.records.tinydb.folder import DataFolder

log = logging.getLogger(__name__)


def _has_to_give(store: DataFolder) -> bool:
    return TO_GIVE in (read_tables(store.layout.to_sign_file) or {})


def build_to_give(store: DataFolder) -> int | None:
    """Write the "to give" table from the records when the folder has consults and not the table;
    the number of consults listed, or None when there was nothing to build."""
    layout = store.layout
    if _has_to_give(store) or next(store.consult_paths(), None) is None:
        return None
    with contextlib.ExitStack() as stack:
        for folder in [f"{n:02x}" for n in range(256)]:
            stack.enter_context(locked(layout.patients / folder, store.lock_timeout))
        stack.enter_context(locked(layout.to_sign_file.parent, store.lock_timeout))
        if _has_to_give(store):  # another window built it meanwhile
            return None
        from assistant.core.lifecycle.listing import ConsultSummary

        waiting = [r for r in store.latest_records() if r.to_give]
        documents = {str(i): summary_document(ConsultSummary.of(r)) for i, r in enumerate(waiting, start=1)}
        tables = read_tables(layout.to_sign_file) or {}
        write_atomic(layout.to_sign_file, dump({**tables, TO_GIVE: documents}), durable=store.durable)
    return len(waiting)


def build_births(store: DataFolder) -> int | None:
    """Write ``register/births/`` from the register's entries when the folder has entries and not
    that folder; the number of patients filed, or None when there was nothing to build."""
    files = store.register.files
    births = files.root / BIRTHS
    if births.is_dir() or not (files.root / "patients").is_dir():
        return None
    with locked(files.root, store.lock_timeout):
        if births.is_dir():
            return None
        patients = files.all()
        wanted = register_index.wanted_buckets(files, patients)
        ensure_dir(births)
        for path, tables in wanted.items():
            if BIRTHS in tables:
                numbered = {str(i): d for i, d in enumerate(tables[BIRTHS], start=1)}
                write_atomic(path, dump({BIRTHS: numbered}), durable=store.durable)
    return sum(p.date_of_birth is not None for p in patients)


def build_on_opening(store: DataFolder) -> list[str]:
    """Build what the folder lacks (see the module docstring); one sentence for each, also logged."""
    said = []
    for what, build in (
        ("the 'to give' list", build_to_give),
        ("the register's by-date-of-birth look-up", build_births),
    ):
        try:
            built = build(store)
        except (OSError, RecordsError, UnsafePath) as error:
            log.warning("%s of %s was not built on opening (%s): run reindex", what, store.data_dir, error)
            continue
        if built is not None:
            said.append(f"{what} was built from the records ({built} listed): the folder was kept before it")
            log.info("%s: %s", store.data_dir, said[-1])
    return said
