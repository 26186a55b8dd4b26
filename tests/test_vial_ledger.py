"""The vial ledger rebuilt from the trail (``core.lifecycle.vial_ledger``), without a store: what the
acts state, the draws the given versions name, and the vials that cannot be checked."""

from __future__ import annotations

import datetime as dt

from assistant.core.lifecycle.audit import AuditEvent, chain
from assistant.core.lifecycle.vial_ledger import closed_data, compare, opened_data, rebuild
from assistant.core.lifecycle.vials import Vial, offered, units_per_ml

AT = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def vial(vial_id: str, **changes: object) -> Vial:
    base = Vial(
        vial_id=vial_id,
        lot="BX2311",
        expiry=dt.date(2027, 5, 31),
        units=100,
        units_left=100,
        saline_ml=2.5,
        opened_at=AT,
        use_by=AT + dt.timedelta(hours=24),
        use_by_source="the label",
        opened_by="Ina Choi",
    )
    return base.model_copy(update=changes)


def trail(*events: AuditEvent):  # type: ignore[no-untyped-def]
    entries = []
    for event in events:
        entries.append(chain(entries[-1] if entries else None, event))
    return entries


def act(action: str, data: dict | None, detail: str = "") -> AuditEvent:
    return AuditEvent(at=AT, actor="Ina Choi", action=action, data=data, detail=detail)


def test_a_closed_vial_matches_its_acts_and_a_changed_one_is_named() -> None:
    opened = vial("V-1")
    closed = opened.model_copy(
        update={"state": "closed", "closed_at": AT, "closed_by": "Ina Choi", "wasted": 100, "revision": 2}
    )
    entries = trail(act("vial opened", opened_data(opened)), act("vial closed", closed_data(closed)))
    ledger = rebuild(entries, [])
    assert compare(ledger, [closed]) == ([], [])
    edited = closed.model_copy(update={"units_left": 20, "wasted": 20})
    problems, _ = compare(ledger, [edited])
    assert "vial V-1 draws 80 U in the store but 0 U in the trail." in problems
    assert compare(ledger, [])[0] == ["vial V-1 was opened (audit entry 1) but is missing from the store."]


def test_vials_from_before_and_imported_ones_are_said_unchecked_not_failed() -> None:
    entries = trail(
        act("vial opened", None, "vial V-old, lot BX2311, 100 U in 2.5 mL"),
        AuditEvent(at=AT, action="imported", detail="from /old: vial V-imp, lot BX2311"),
    )
    problems, notes = compare(rebuild(entries, []), [vial("V-old", units_left=3), vial("V-imp")])
    assert problems == []
    assert [n.split(":")[0] for n in notes] == [
        "vial V-old cannot be checked against the trail",
        "vial V-imp cannot be checked against the trail",
    ]


def test_only_vials_that_can_be_drawn_from_are_offered_on_screen() -> None:
    """The lot question and G's form offer a vial to pick only when something can be drawn from it:
    one drawn to 0 U (still open until someone closes it), one past its use-by, an expired lot or a
    closed vial are left out."""
    now = AT + dt.timedelta(hours=2)
    kept = vial("V-1", units_left=40)
    others = [
        vial("V-2", units_left=0),
        vial("V-3", use_by=AT + dt.timedelta(hours=1)),
        vial("V-4", expiry=dt.date(2026, 11, 30)),
        vial("V-5", state="closed", closed_at=AT, closed_by="Ina Choi"),
    ]
    assert offered([*others, kept], now, units_per_ml(kept.saline_ml, kept.units)) == [kept]
