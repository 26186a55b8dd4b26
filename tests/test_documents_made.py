"""Which record version saved documents show (``core.lifecycle.documents_made``): the plan screen's S
and P make them anew once the record moved on from it."""

from __future__ import annotations

from assistant.core.lifecycle.documents_made import MadeFrom, shows
from tests.conftest import MakeRecord


def test_documents_show_only_their_own_version_of_their_own_consult(make_record: MakeRecord) -> None:
    planned = make_record("Mina Park")
    made = MadeFrom.of(planned)
    assert shows(made, planned)
    signed = planned.model_copy(update={"version": 4, "state": "signed"})
    assert not shows(made, signed), "given and signed since: a paper copy would carry the plan's doses"
    assert shows(MadeFrom.of(signed), signed)
    assert shows(MadeFrom.of(signed), planned), "made from the store's newer version, before this copy heard of it"
    assert not shows(made, make_record("Yuna Kim")), "another consult"
    assert not shows(None, planned) and not shows(made, None)
