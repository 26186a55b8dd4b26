"""The plan screen's S and P on the record's side (``services.saved_documents``): made from the
newest version the store holds, noted in the audit trail as ``print`` notes them, and saved all the
same when the note cannot be written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from assistant.core.lifecycle import rules
from assistant.core.lifecycle.given import lines_from_plan
from assistant.core.lifecycle.staff import StaffAccount
from assistant.files.resources import Resources
from assistant.records import open_repository
from assistant.records.errors import RecordsError
from assistant.services.desk import Desk
from assistant.services.saved_documents import save_as_printed
from tests.helpers import keep
from tests.test_printing import make_record_for


def test_made_from_the_newest_version_and_noted_as_printed(resources: Resources, tmp_path: Path) -> None:
    planned = make_record_for(resources, tmp_path)
    repository = open_repository(tmp_path / "data")
    injector = StaffAccount(name="Ina Choi", role="injector", pin_hash="$argon2id$x", created_at=planned.finished_at)
    at = planned.finished_at + dt.timedelta(minutes=5)
    keep(repository, rules.give(planned, lines_from_plan(planned.plan, "BX1", None), injector, at))
    saved = save_as_printed(Desk(repository), planned, resources, tmp_path / "documents", actor="Ina Choi")
    assert (saved.record.version, saved.record.state, saved.not_noted) == (2, "given", None)
    assert [p.name for p in saved.files] == [f"{planned.consult_id}-{what}.pdf" for what in ("patient", "summary")]
    [printed] = [e for e in repository.audit_entries(planned.consult_id) if e.action == "printed"]
    assert (printed.actor, printed.version, printed.detail) == ("Ina Choi", 2, ", ".join(p.name for p in saved.files))


def test_saved_though_the_note_cannot_be_written(
    resources: Resources, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    planned = make_record_for(resources, tmp_path)
    repository = open_repository(tmp_path / "data")

    def away(event: object) -> None:
        raise RecordsError("the record server cannot be reached")

    monkeypatch.setattr(repository, "record_event", away)
    saved = save_as_printed(Desk(repository), planned, resources, tmp_path / "documents", actor="Ina Choi")
    assert saved.not_noted == "the record server cannot be reached"
    assert all(path.is_file() for path in saved.files)
