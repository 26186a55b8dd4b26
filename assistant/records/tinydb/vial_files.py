"""Vials in TinyDB files: one file each (``vials/<YYYY-MM>/<vial_id>.json``, table "vial") and
``vials/open.json`` naming the open ones. Every change is made under ``vials/.lock``."""

from __future__ import annotations

import os
from collections.abc import Sequence

from pydantic import ValidationError
from tinydb.table import Document

from assistant.core.lifecycle.ids import is_record_id
from assistant.core.lifecycle.vials import Vial
from assistant.records.errors import DamagedDataFile, VialConflict
from assistant.records.tinydb.atomic import dump, read_tables, table_file, write_atomic
from assistant.records.tinydb.layout import MONTH, Layout, data_files
from assistant.records.tinydb.rollback import Rollback

VIAL = "vial"
OPEN = "open"


class VialFiles:
    def __init__(self, layout: Layout, *, durable: bool) -> None:
        self.layout = layout
        self.durable = durable

    def get(self, vial_id: str) -> Vial | None:
        if not is_record_id(vial_id):
            return None
        path = self.layout.vial_path(vial_id)
        tables = read_tables(path)
        if tables is None:
            return None
        document = (tables.get(VIAL) or {}).get("1")
        try:
            return Vial.model_validate(document)
        except ValidationError as error:
            raise DamagedDataFile(path, f"not a valid vial: {error.errors()[0]['msg']}") from None

    def open_ids(self) -> list[str]:
        tables = read_tables(self.layout.open_vials_file) or {}
        return sorted(str(d.get("vial_id")) for d in (tables.get(OPEN) or {}).values())

    def all(self) -> list[Vial]:
        vials = []
        months = (
            sorted(m for m in os.listdir(self.layout.vials) if MONTH.match(m)) if self.layout.vials.is_dir() else []
        )
        for month in months:
            for path in sorted(data_files(self.layout.vials / month)):
                vial = self.get(path.stem)
                if vial is not None:
                    vials.append(vial)
        return vials

    def put(self, rollback: Rollback, vial: Vial) -> None:
        """Write ``vial`` (under the vials lock): revision 1 only for a new id, N only after N-1."""
        current = self.get(vial.vial_id)
        if (current.revision if current else 0) != vial.revision - 1:
            raise VialConflict(vial.vial_id, "changed meanwhile" if current else "does not exist")
        path = self.layout.vial_path(vial.vial_id)
        with rollback.writing(path), table_file(path, durable=self.durable, write=True) as db:
            db.table(VIAL).truncate()
            db.table(VIAL).insert(Document(vial.model_dump(mode="json"), doc_id=1))
        opened = set(self.open_ids())
        wanted = (opened | {vial.vial_id}) if vial.state == "open" else (opened - {vial.vial_id})
        if wanted != opened:
            with rollback.writing(self.layout.open_vials_file):
                documents = {str(i): {"vial_id": v} for i, v in enumerate(sorted(wanted), 1)}
                write_atomic(self.layout.open_vials_file, dump({OPEN: documents}), durable=self.durable)

    def drawn(self, draws: Sequence[tuple[str, float]]) -> list[tuple[Vial, Vial]]:
        """Each vial (before, after) once ``draws`` are taken (under the vials lock), checked against
        what each holds now; nothing is written."""
        totals: dict[str, float] = {}
        for vial_id, units in draws:
            totals[vial_id] = totals.get(vial_id, 0.0) + units
        changed = []
        for vial_id, units in totals.items():
            vial = self.get(vial_id)
            if vial is None:
                raise VialConflict(vial_id, "does not exist")
            if vial.state != "open":
                raise VialConflict(vial_id, f"was closed by {vial.closed_by}")
            if units > vial.units_left + 1e-9:
                raise VialConflict(vial_id, f"holds {vial.units_left:g} U, not the {units:g} U to draw")
            left = round(vial.units_left - units, 3)
            changed.append((vial, vial.model_copy(update={"units_left": left, "revision": vial.revision + 1})))
        return changed

    def draw(self, rollback: Rollback, draws: Sequence[tuple[str, float]]) -> None:
        """Take units from vials (under the vials lock), checked against what each holds now."""
        for _, vial in self.drawn(draws):
            self.put(rollback, vial)
