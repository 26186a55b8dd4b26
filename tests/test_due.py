"""Who is due, at every boundary of the knowledge base's timing: review at day 14, the touch-up
window at days 18-21, retreatment at day 90."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from assistant.core.knowledge import KnowledgeBase
from assistant.core.lifecycle.tracing import Treatment, due, treatments_needed

TREATED = date(2026, 9, 1)


def treated(day: date = TREATED, kind: str = "full", key: str = "id:p-1", name: str = "Kim Ji-woo") -> Treatment:
    return Treatment(
        consult_id=f"{day:%Y%m%d}-100000-aaaaaaaa",
        patient_key=key,
        patient_name=name,
        patient_id=key.removeprefix("id:") if key.startswith("id:") else None,
        date=day,
        kind=kind,  # type: ignore[arg-type]
        zones=("glabella",),
        units=20,
        given_by="Ina Choi",
        lots={"BX1": 20},
    )


def reasons_on(kb: KnowledgeBase, day_after: int, treatments: list[Treatment] | None = None) -> list[str]:
    on = TREATED + timedelta(days=day_after)
    return [e.reason for e in due(treatments or [treated()], kb.timing, on, 1)]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (13, []),
        (14, ["review"]),
        (15, []),
        (17, []),
        (18, ["touch_up"]),
        (21, ["touch_up"]),
        (22, []),
        (89, []),
        (90, ["retreatment"]),
        (91, []),
    ],
)
def test_each_boundary_of_a_full_treatment(kb: KnowledgeBase, day: int, expected: list[str]) -> None:
    assert reasons_on(kb, day) == expected


def test_the_figures_are_the_knowledge_bases(kb: KnowledgeBase) -> None:
    rule = kb.timing.follow_up
    assert (rule.review_after_days, rule.touch_up_from_day, rule.touch_up_to_day) == (14, 18, 21)
    assert kb.timing.retreatment_interval_days.value == 90


def test_a_week_from_a_date_lists_each_entry_once_with_its_date(kb: KnowledgeBase) -> None:
    entries = due([treated()], kb.timing, TREATED + timedelta(days=12), 7)  # days 12..18
    assert [(e.reason, (e.date - TREATED).days) for e in entries] == [("review", 14), ("touch_up", 18)]
    window = entries[1]
    assert window.until == TREATED + timedelta(days=21) and "2026-09-19 to 2026-09-22" in window.detail
    inside = due([treated()], kb.timing, TREATED + timedelta(days=20), 7)
    assert (inside[0].reason, inside[0].date) == ("touch_up", TREATED + timedelta(days=20))


def test_after_a_touch_up_there_is_a_review_but_no_second_window_and_retreatment_counts_from_the_full(
    kb: KnowledgeBase,
) -> None:
    full, touch = treated(), treated(TREATED + timedelta(days=19), kind="touch_up")
    assert reasons_on(kb, 19, [full, touch]) == []  # the window closed by the touch-up
    assert reasons_on(kb, 19 + 14, [full, touch]) == ["review"]
    assert reasons_on(kb, 19 + 18, [full, touch]) == []
    assert reasons_on(kb, 90, [full, touch]) == ["retreatment"]
    assert reasons_on(kb, 19 + 90, [full, touch]) == []


def test_a_later_full_treatment_replaces_the_retreatment_of_the_earlier(kb: KnowledgeBase) -> None:
    again = treated(TREATED + timedelta(days=60))
    assert reasons_on(kb, 90, [treated(), again]) == []
    assert reasons_on(kb, 150, [treated(), again]) == ["retreatment"]


def test_patients_are_told_apart(kb: KnowledgeBase) -> None:
    entries = due(
        [treated(), treated(TREATED + timedelta(days=1), key="id:p-2", name="Lee Bora")], kb.timing, TREATED, 100
    )
    assert {(e.patient_name, e.reason) for e in entries} == {
        (n, r) for n in ("Kim Ji-woo", "Lee Bora") for r in ("review", "touch_up", "retreatment")
    }
    assert entries == sorted(entries, key=lambda e: (e.date, e.patient_name, e.reason))


def test_the_store_is_asked_for_a_few_days_of_treatments_only(kb: KnowledgeBase) -> None:
    on = date(2026, 12, 1)
    assert treatments_needed(kb.timing, on, 7) == [
        (on - timedelta(days=90), on + timedelta(days=6 - 90)),
        (on - timedelta(days=21), on + timedelta(days=6 - 14)),  # touch-up windows and reviews, merged
    ]
    assert treatments_needed(kb.timing, on, 1) == [
        (on - timedelta(days=90), on - timedelta(days=90)),
        (on - timedelta(days=21), on - timedelta(days=18)),
        (on - timedelta(days=14), on - timedelta(days=14)),
    ]
