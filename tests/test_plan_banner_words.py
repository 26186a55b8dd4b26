"""The plan screen's banner names a line given otherwise than planned as signing does (its zone's
label, side, planned -> given): "crows feet right 11 U in 4 (patient moved)" read as a code and a
count of nothing (a tryout)."""

from __future__ import annotations

from datetime import UTC, datetime

from assistant.core.lifecycle import rules
from assistant.core.lifecycle.given import lines_from_plan
from assistant.core.lifecycle.staff import StaffAccount
from assistant.tui.widgets.plan_banner import given_differently
from tests.conftest import MakeRecord

AT = datetime(2026, 11, 24, 11, 0, tzinfo=UTC)
INJECTOR = StaffAccount(name="Ina Choi", role="injector", pin_hash="$argon2id$x", created_at=AT)


def test_a_line_given_otherwise_is_named_by_its_zone_label_side_and_points(make_record: MakeRecord) -> None:
    planned = make_record("Kim Ji-woo", zones=("glabella", "crows_feet"))
    lines = []
    for line in lines_from_plan(planned.plan, "BX1", None):
        if (line.zone, line.side) == ("crows_feet", "right"):
            line = line.model_copy(update={"units": 11.0, "differs_from_plan": True, "reason": "patient moved"})
        elif line.zone == "glabella":
            line = line.model_copy(update={"units": 0.0, "points": 0, "differs_from_plan": True, "reason": "refused"})
        lines.append(line)
    given = rules.give(planned, tuple(lines), INJECTOR, AT)
    words = given_differently(given)
    assert "Crow's feet right: 10 U in 4 points -> 11 U in 4 points (patient moved)" in words, words
    assert "Glabella: 20 U in 5 points -> not given (refused)" in words, words
    assert "crows feet" not in words
