"""A consult's first version kept in one statement: the consult row, its version, the patient and
her name prefixes (only when she is new), the treatment and its lots, as one data-modifying CTE.

A save was eleven statements, each a round trip to the server (under load, 34 ms median); the
first version of a consult has nothing to read first (a consult id already taken is a conflict,
seen as the insert doing nothing), so everything it writes goes in one statement. A returning
patient's row and prefixes are left as they are unless her name or number changed; when they did,
the prefixes are written again in a second statement (``consults._keep_patient``).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Boolean, Connection, Date, Float, Text, TextClause, bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from assistant.core.lifecycle.audit import content_sha
from assistant.core.lifecycle.ids import name_tokens
from assistant.core.lifecycle.listing import ConsultSummary
from assistant.core.lifecycle.record import ConsultRecord
from assistant.core.lifecycle.tracing import treatment_of
from assistant.core.lifecycle.vials import lot_key
from assistant.records.postgres.schema import PREFIX_LETTERS

_CONSULT = """
WITH c AS (
  INSERT INTO consults (consult_id, version, patient_key, patient_name, patient_id, date, status, state,
                        total_units, zones, staff, given_units, given_on, to_sign)
  VALUES (:consult_id, 1, :patient_key, :patient_name, :patient_id, :date, :status, :state,
          :total_units, :zones, :staff, :given_units, :given_on, :to_sign)
  ON CONFLICT (consult_id) DO NOTHING
  RETURNING consult_id
), v AS (
  INSERT INTO consult_versions (consult_id, version, record, record_sha)
  SELECT consult_id, 1, :record, :record_sha FROM c
), p AS (
  INSERT INTO patients AS old (patient_key, patient_name, patient_id, words)
  SELECT :patient_key, :patient_name, :patient_id, :words FROM c WHERE NOT EXISTS ({same})
  ON CONFLICT (patient_key) DO UPDATE
    SET patient_name = EXCLUDED.patient_name, patient_id = EXCLUDED.patient_id, words = EXCLUDED.words
    WHERE (old.patient_name, old.patient_id, old.words)
          IS DISTINCT FROM (EXCLUDED.patient_name, EXCLUDED.patient_id, EXCLUDED.words)
  RETURNING patient_key, xmax = 0 AS new
), n AS (
  INSERT INTO name_prefixes (patient_key, prefix, words, id_order, patient_name, patient_id)
  SELECT p.patient_key, prefix, :words, :id_order, :patient_name, :patient_id
  FROM p, unnest(:prefixes) AS prefix WHERE p.new
){treatment}
SELECT (SELECT count(*) FROM c) AS inserted, (SELECT count(*) FROM p WHERE NOT p.new) AS renamed
"""
"""``xmax = 0``: the row was inserted, not updated (a new patient, whose prefixes are written here;
an updated one, renamed, has hers rewritten by the caller)."""

SAME_PATIENT = """SELECT FROM patients WHERE patient_key = :patient_key
  AND (patient_name, patient_id, words) IS NOT DISTINCT FROM (:patient_name, :patient_id, :words)"""
"""The patient's row already says what this save would write: the upsert is skipped. ``ON CONFLICT
DO UPDATE`` locks the row it meets even when its ``WHERE`` leaves it as it is, and a lock is a
write: the row's heap page dirtied, a WAL record, and the page's full image after each checkpoint
(8 KiB of WAL, then the page written back). A returning patient's save did that to a random page
of ``patients`` every time, for nothing: at 1,000,000 consults, after a checkpoint, a returning
patient's save wrote 23 KiB of WAL (2.65 page images), 15.5 KiB (1.7) without it. A name or number
changed meanwhile by another workstation's save, committed after this statement began, is left as
that save wrote it."""

_TREATMENT = """, t AS (
  INSERT INTO treatments (consult_id, patient_key, patient_name, patient_id, date, kind, zones, units, given_by, lots,
                          review_only)
  SELECT consult_id, :patient_key, :patient_name, :patient_id, :t_date, :t_kind, :t_zones, :t_units, :t_given_by,
         :t_lots, :t_review_only
  FROM c
), l AS (
  INSERT INTO treatment_lots (lot_key, consult_id, units, date)
  SELECT lot.key, t_c.consult_id, lot.units, :t_date
  FROM c AS t_c, unnest(:lot_keys, :lot_units) AS lot(key, units)
)"""

_TYPES = [
    bindparam("zones", type_=ARRAY(Text)),
    bindparam("record", type_=JSONB),
    bindparam("prefixes", type_=ARRAY(Text)),
    bindparam("to_sign", type_=Boolean),
    bindparam("date", type_=Date),
    bindparam("given_on", type_=Date),
    bindparam("given_units", type_=Float),
]
_TREATMENT_TYPES = [
    bindparam("t_zones", type_=ARRAY(Text)),
    bindparam("t_lots", type_=JSONB),
    bindparam("t_date", type_=Date),
    bindparam("lot_keys", type_=ARRAY(Text)),
    bindparam("lot_units", type_=ARRAY(Float)),
]


@cache
def _statement(with_treatment: bool) -> TextClause:
    sql = _CONSULT.format(same=SAME_PATIENT, treatment=_TREATMENT if with_treatment else "")
    return text(sql).bindparams(*_TYPES, *(_TREATMENT_TYPES if with_treatment else []))


def prefixes_of(words: str) -> list[str]:
    """Every prefix of 1 to ``PREFIX_LETTERS`` letters of every name word, sorted."""
    return sorted({word[:n] for word in words.split() for n in range(1, min(PREFIX_LETTERS, len(word)) + 1)})


def summary_values(record: ConsultRecord) -> dict[str, Any]:
    """The consults row's columns read from its summary (every save writes them)."""
    summary = ConsultSummary.of(record)
    return {
        "consult_id": summary.consult_id,
        "version": summary.version,
        "patient_key": summary.patient_key,
        "patient_name": summary.patient_name,
        "patient_id": summary.patient_id,
        "date": summary.date,
        "status": summary.status,
        "state": summary.state,
        "total_units": summary.total_units,
        "zones": list(summary.zones),
        "staff": summary.staff,
        "given_units": summary.given_units,
        "given_on": summary.given_on,
        "to_sign": summary.to_sign,
    }


def insert_first(connection: Connection, record: ConsultRecord) -> tuple[bool, bool]:
    """Write version 1 and every row that indexes it; (inserted, renamed): not inserted is a consult
    id already kept, renamed a patient whose name or number changed (her prefixes are not rewritten)."""
    content = record.model_dump(mode="json")
    words = " ".join(name_tokens(record.patient_name))
    values: dict[str, Any] = {
        **{name: value for name, value in summary_values(record).items() if name != "version"},
        "record": content,
        "record_sha": content_sha(content),  # one dump for the row and its hash
        "words": words,
        "id_order": record.patient_id or "",
        "prefixes": prefixes_of(words),
    }
    treatment = treatment_of(record)
    if treatment is not None:
        units: dict[str, float] = {}
        for lot, amount in treatment.lots.items():
            if lot:
                units[lot_key(lot)] = units.get(lot_key(lot), 0.0) + amount
        values |= {
            "t_date": treatment.date,
            "t_kind": treatment.kind,
            "t_zones": list(treatment.zones),
            "t_units": treatment.units,
            "t_given_by": treatment.given_by,
            "t_lots": treatment.lots,
            "t_review_only": treatment.review_only,
            "lot_keys": sorted(units),
            "lot_units": [units[key] for key in sorted(units)],
        }
    row = connection.execute(_statement(treatment is not None), values).one()
    return bool(row.inserted), bool(row.renamed)
