"""What was given, indexed two ways in TinyDB files, so recall and ``due`` never read every consult.

``lots/<hh>/<hash>.json`` (table "given") holds every treatment that used a lot: ``recall`` reads one
file. ``treatments/<YYYY-MM>/<DD>.json`` (table "treatments") holds a day's treatments: ``due`` and
the stock report read the days they cover. Both are kept in step by ``TinyDBStore.save``, each file
changed under its folder's lock (a leaf lock: nothing else is taken while it is held).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from tinydb import where

from assistant.core.lifecycle.tracing import Treatment
from assistant.core.lifecycle.vials import lot_key
from assistant.records.errors import DamagedDataFile
from assistant.records.tinydb.atomic import locked, read_tables, table_file
from assistant.records.tinydb.layout import Layout
from assistant.records.tinydb.rollback import Rollback

GIVEN = "given"
TREATMENTS = "treatments"


def _treatment(document: Any, path: Path) -> Treatment:
    try:
        return Treatment.model_validate(document)
    except ValidationError as error:
        raise DamagedDataFile(path, f"not a valid treatment entry: {error.errors()[0]['msg']}") from None


def read_treatments(path: Path, table: str) -> list[Treatment]:
    return [_treatment(d, path) for d in ((read_tables(path) or {}).get(table) or {}).values()]


class TracingFiles:
    def __init__(self, layout: Layout, *, durable: bool, lock_timeout: float) -> None:
        self.layout = layout
        self.durable = durable
        self.lock_timeout = lock_timeout

    def _put(self, path: Path, table: str, consult_id: str, treatment: Treatment | None) -> Treatment | None:
        """Replace (or with None remove) the consult's entry; returns the entry it replaced."""
        with locked(path.parent, self.lock_timeout), table_file(path, durable=self.durable, write=True) as db:
            rows = db.table(table)
            found = rows.search(where("consult_id") == consult_id)
            if treatment is None:
                rows.remove(where("consult_id") == consult_id)
            else:
                rows.upsert(treatment.model_dump(mode="json"), where("consult_id") == consult_id)
        return _treatment(found[0], path) if found else None

    def _change(self, rollback: Rollback, path: Path, table: str, consult_id: str, treatment: Treatment | None) -> None:
        if treatment is None and not path.exists():
            return
        before = self._put(path, table, consult_id, treatment)
        rollback.step(str(path), lambda: self._put(path, table, consult_id, before))

    def update(self, rollback: Rollback, consult_id: str, old: Treatment | None, new: Treatment | None) -> None:
        """Keep both indexes in step with a consult's new version."""
        if old == new:
            return
        if old is not None and (new is None or old.date != new.date):
            self._change(rollback, self.layout.treatments_path(old.date), TREATMENTS, consult_id, None)
        if new is not None:
            self._change(rollback, self.layout.treatments_path(new.date), TREATMENTS, consult_id, new)
        old_lots = {lot_key(lot) for lot in (old.lots if old else {}) if lot}
        new_lots = {lot_key(lot) for lot in (new.lots if new else {}) if lot}
        for key in sorted(old_lots - new_lots):
            self._change(rollback, self.layout.lot_path(key), GIVEN, consult_id, None)
        for key in sorted(new_lots):
            self._change(rollback, self.layout.lot_path(key), GIVEN, consult_id, new)

    def with_lot(self, lot: str) -> list[Treatment]:
        path = self.layout.lot_path(lot_key(lot))
        return read_treatments(path, GIVEN)

    def between(self, start: dt.date, end: dt.date) -> list[Treatment]:
        """The treatments of the days from ``start`` to ``end`` that have a file: a period open at one
        end (``report adverse-events`` from the first day there is) reads the days treated, never
        every day of the calendar (it once read 730,000 names for a report up to 2001)."""
        found: list[Treatment] = []
        for day in treated_days(self.layout.treatments, start, end):
            found += read_treatments(self.layout.treatments_path(day), TREATMENTS)
        return found


def treated_days(folder: Path, start: dt.date, end: dt.date) -> list[dt.date]:
    """The days from ``start`` to ``end`` with a file in ``folder`` (``<YYYY-MM>/<DD>.json``), in
    order; a name that is not a month or a day is not ours and is passed over."""
    days: list[dt.date] = []
    first, last = (start.year, start.month), (end.year, end.month)
    months = sorted(folder.iterdir()) if folder.is_dir() else []
    for month in months:
        try:
            opening = dt.datetime.strptime(month.name, "%Y-%m").date()
        except ValueError:
            continue
        if not first <= (opening.year, opening.month) <= last or not month.is_dir():
            continue
        for path in month.iterdir():
            stem = path.name.removesuffix(".json")
            if path.name.endswith(".json") and stem.isdigit() and len(stem) == 2:
                try:
                    day = opening.replace(day=int(stem))
                except ValueError:
                    continue
                if start <= day <= end:
                    days.append(day)
    return sorted(days)
