"""The patient and consult look-ups on PostgreSQL: name search, a patient's history, the recent
list and what waits for a signature. Read-only; each reads the summary columns kept beside the
records, never the records' JSON, so they stay fast at a million consults."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    Connection,
    Date,
    Integer,
    String,
    Text,
    bindparam,
    exists,
    func,
    literal,
    or_,
    select,
    text,
    true,
    tuple_,
    union_all,
)
from sqlalchemy.dialects.postgresql import ARRAY

from assistant.core.lifecycle.ids import is_patient_key, name_tokens, patient_key
from assistant.core.lifecycle.listing import ConsultSummary, PatientMatch
from assistant.core.lifecycle.pages import DayKey
from assistant.core.lifecycle.record import ConsultRecord
from assistant.records.postgres.consults import latest, summary_from
from assistant.records.postgres.schema import PREFIX_LETTERS, consults, name_prefixes, patients


def _like_prefix(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def name_matches(connection: Connection, text_query: str, limit: int | None) -> list[Any]:
    """Patients whose name words are started by every word of the query: exact names first, then by
    name (and clinic number). The smallest prefix group of the query's words is read in the index's
    order (name words), each row checked for every word, until ``limit`` are found: at 1,000,000
    consults "Kim Ji-w" reads about 2,000 rows of "ji" where "kim" held 19,000 (the text-search
    index, intersecting the words' prefixes, read 65,000 in name order: 50-120 ms)."""
    words = name_tokens(text_query)
    if not words:
        return []
    wanted = " ".join(words)
    columns = (patients.c.patient_key, patients.c.patient_name, patients.c.patient_id, patients.c.words)
    exact_query = select(*columns).where(patients.c.words == wanted).order_by(patients.c.patient_id)
    exact = connection.execute(exact_query if limit is None else exact_query.limit(limit)).all()
    if limit is not None and len(exact) >= limit:
        return exact[:limit]
    wanting = None if limit is None else limit - len(exact)
    group = name_prefixes.c
    sizes = _group_sizes(connection)
    walked = min(words, key=lambda word: (sizes.get(word[:PREFIX_LETTERS], 0.0), -len(word)))
    rest_query = select(group.patient_key, group.patient_name, group.patient_id, group.words).where(
        group.prefix == walked[:PREFIX_LETTERS],
        group.words != wanted,
        *((literal(" ") + group.words).like("% " + _like_prefix(word), escape="\\") for word in words),
    )
    if len(words) > 1:  # read in name order (the index's), ties by clinic number (an incremental sort)
        rest_query = rest_query.order_by(group.words, group.patient_id)
    else:
        rest_query = rest_query.order_by(group.words, group.id_order, group.patient_key)
    if wanting is not None:
        rest_query = rest_query.limit(wanting)
    return [*exact, *connection.execute(rest_query).all()]


STATISTICS_SECONDS = 600.0
"""How long a connection keeps the server's statistics of the prefix groups before reading them again."""


def _group_sizes(connection: Connection) -> dict[str, float]:
    """The share of ``name_prefixes`` rows of each common prefix, from the planner's own statistics
    (``pg_stats``: the most common values); a prefix not among them is a small group. Kept with the
    pooled connection for ``STATISTICS_SECONDS``, so a keystroke does not read them."""
    kept = connection.info.get("prefix_group_sizes")
    if kept is not None and time.monotonic() - kept[0] < STATISTICS_SECONDS:
        return kept[1]
    row = connection.execute(
        text(
            "SELECT most_common_vals::text::text[] AS vals, most_common_freqs AS freqs FROM pg_stats"
            " WHERE schemaname = current_schema() AND tablename = 'name_prefixes' AND attname = 'prefix'"
        )
    ).first()
    sizes = dict(zip(row.vals, row.freqs, strict=True)) if row and row.vals else {}
    connection.info["prefix_group_sizes"] = (time.monotonic(), sizes)
    return sizes


def find_patients(connection: Connection, query: str, limit: int) -> list[PatientMatch]:
    text_query = query.strip()
    if not text_query:
        return []
    by_id = patient_key("", text_query)
    rows = list(connection.execute(select(patients).where(patients.c.patient_key == by_id)).all())
    rows += [r for r in name_matches(connection, text_query, limit + 1) if r.patient_key != by_id]
    rows = rows[:limit]
    keys = [r.patient_key for r in rows]
    counts = {
        r.patient_key: (r.n, r.last)
        for r in connection.execute(
            select(consults.c.patient_key, func.count().label("n"), func.max(consults.c.date).label("last"))
            .where(consults.c.patient_key.in_(keys))
            .group_by(consults.c.patient_key)
        )
    }
    return [
        PatientMatch(
            patient_key=r.patient_key,
            patient_name=r.patient_name,
            patient_id=r.patient_id,
            consults=counts.get(r.patient_key, (0, None))[0],
            last_date=counts.get(r.patient_key, (0, None))[1],
        )
        for r in rows
        if r.patient_key in counts
    ]


def _by_number_or_name(text_query: str) -> tuple[str, Any]:
    """The key a clinic number gives, and the statement of the patients it finds with those of
    exactly this name, read from indexes alone (a common name is hundreds of patients: their
    ``name_prefixes`` rows of the first word's prefix, in the covering index)."""
    by_id = patient_key("", text_query)
    words = name_tokens(text_query)
    wanted = " ".join(words)
    group = name_prefixes.c
    by_name = (
        select(group.patient_key).where(group.prefix == words[0][:PREFIX_LETTERS], group.words == wanted)
        if words
        else select(patients.c.patient_key).where(patients.c.words == wanted)  # no word, no prefix
    )
    return by_id, union_all(select(patients.c.patient_key).where(patients.c.patient_key == by_id), by_name)


def resolve(connection: Connection, patient: str) -> list[str]:
    if is_patient_key(patient):
        return [patient]
    text_query = patient.strip()
    if not text_query:
        return []
    by_id, found = _by_number_or_name(text_query)
    keys = list(dict.fromkeys(connection.execute(found).scalars()))  # one round trip
    if by_id in keys:
        return [by_id]
    if keys:
        return keys
    return [r.patient_key for r in name_matches(connection, text_query, None)]


def history(
    connection: Connection, patients: Sequence[str], before: DayKey | None = None, limit: int | None = None
) -> list[ConsultSummary]:
    """The consults of every patient each of ``patients`` names, newest first; with ``before``, only
    those older than that (date, consult id): an index range of ``consults_patient_order``. A page
    of one clinic number or full name is one round trip (``_ONE_NAME``)."""
    paging = {"before_date": before[0], "before_id": before[1]} if before is not None else {}
    query_text = patients[0].strip() if len(patients) == 1 and not is_patient_key(patients[0]) else ""
    if limit is not None and name_tokens(query_text):
        words = name_tokens(query_text)
        named = {"number": patient_key("", query_text), "prefix": words[0][:PREFIX_LETTERS], "words": " ".join(words)}
        rows = connection.execute(_ONE_NAME[before is not None], {**named, **paging, "limit": limit}).all()
        if rows:
            return [summary_from(row) for row in rows]
    keys = sorted({key for patient in patients for key in resolve(connection, patient)})
    if not keys:
        return []
    if limit is not None and len(keys) > 1:
        found = connection.execute(_MANY_KEYS[before is not None], {"keys": keys, **paging, "limit": limit})
        return [summary_from(row) for row in found]
    query = (
        select(consults)
        .where(consults.c.patient_key.in_(keys))
        .order_by(consults.c.date.desc(), consults.c.consult_id.desc())
    )
    if before is not None:
        query = query.where(tuple_(consults.c.date, consults.c.consult_id) < tuple_(*before))
    rows = connection.execute(query if limit is None else query.limit(limit))
    return [summary_from(row) for row in rows]


def _one_name(paged: bool) -> Any:
    """A page of the patients ``resolve`` finds by clinic number or exact name, chosen in the same
    statement as their consults (the number's patient alone when there is one): a round trip saved,
    which on a loaded machine is a wait for the scheduler saved. It finds no row when no patient is
    found that way (``history`` then resolves by name prefixes) or none has a consult on the page."""
    group = name_prefixes.c
    number = bindparam("number", type_=Text)
    by_name = select(group.patient_key).where(
        group.prefix == bindparam("prefix", type_=Text), group.words == bindparam("words", type_=Text)
    )
    found = union_all(select(patients.c.patient_key).where(patients.c.patient_key == number), by_name).cte("found")
    has_number = exists().where(found.c.patient_key == number)
    chosen = select(found.c.patient_key.label("key")).where(or_(found.c.patient_key == number, ~has_number))
    return _newest_of_each(chosen.distinct().cte("chosen"), paged)


def _newest_of_each(wanted: Any, paged: bool) -> Any:
    """A page of many patients' consults (``wanted.c.key``; a common name: hundreds of keys): each
    patient's newest ``limit`` (date, consult id) read from her index range alone (a LATERAL join,
    an index-only scan of ``consults_patient_order``), the newest ``limit`` of those, and only then
    their rows. The planner, left to itself, walks every consult by date until it has found
    enough; reading every patient's rows before choosing was two thirds of the page's time. Built
    once, its values bound: building a statement costs more than a page's Python otherwise."""
    c = consults.c
    limit = bindparam("limit", type_=Integer)
    each = select(c.date, c.consult_id).where(c.patient_key == wanted.c.key)
    if paged:
        before = tuple_(bindparam("before_date", type_=Date), bindparam("before_id", type_=String))
        each = each.where(tuple_(c.date, c.consult_id) < before)
    newest = each.order_by(c.date.desc(), c.consult_id.desc()).limit(limit).lateral("newest")
    page = (
        select(newest.c.consult_id)
        .select_from(wanted.join(newest, true()))
        .order_by(newest.c.date.desc(), newest.c.consult_id.desc())
        .limit(limit)
        .cte("page")
    )
    return select(consults).join(page, page.c.consult_id == c.consult_id).order_by(c.date.desc(), c.consult_id.desc())


_KEYS = func.unnest(bindparam("keys", type_=ARRAY(Text))).table_valued("key").render_derived("wanted")
_ONE_NAME = {paged: _one_name(paged) for paged in (False, True)}
_MANY_KEYS = {paged: _newest_of_each(_KEYS, paged) for paged in (False, True)}


def last_for_patient(connection: Connection, key: str) -> ConsultRecord | None:
    consult_id = connection.execute(
        select(consults.c.consult_id)
        .where(consults.c.patient_key == key)
        .order_by(consults.c.date.desc(), consults.c.consult_id.desc())
        .limit(1)
    ).scalar()
    return latest(connection, consult_id) if consult_id else None


def recent(connection: Connection, limit: int, before: str | None = None) -> list[ConsultSummary]:
    query = select(consults).order_by(consults.c.consult_id.desc()).limit(limit)
    if before is not None:
        query = query.where(consults.c.consult_id < before)
    return [summary_from(row) for row in connection.execute(query)]


def to_sign(connection: Connection, after: DayKey | None = None, limit: int | None = None) -> list[ConsultSummary]:
    """What waits for a signature, oldest first; with ``after``, only what comes after that key (an
    index range of the partial index ``consults_to_sign_order``)."""
    query = select(consults).where(text("to_sign")).order_by(consults.c.date, consults.c.consult_id)
    if after is not None:
        query = query.where(tuple_(consults.c.date, consults.c.consult_id) > tuple_(*after))
    return [summary_from(row) for row in connection.execute(query if limit is None else query.limit(limit))]


TO_GIVE = "state = 'planned' AND status = 'planned' AND total_units > 0"
"""Planned with doses, nothing given: the condition of the partial index ``consults_to_give_order``."""


def to_give(connection: Connection, after: DayKey | None = None, limit: int | None = None) -> list[ConsultSummary]:
    """What waits to be given, oldest first, after ``after`` (an index range of ``consults_to_give_order``)."""
    query = select(consults).where(text(TO_GIVE)).order_by(consults.c.date, consults.c.consult_id)
    if after is not None:
        query = query.where(tuple_(consults.c.date, consults.c.consult_id) > tuple_(*after))
    return [summary_from(row) for row in connection.execute(query if limit is None else query.limit(limit))]
