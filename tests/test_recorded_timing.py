"""The timing rules follow the doses the record holds as given (issue 19, 2c): no second touch-up in
one cycle, whatever last treatment is typed, and a typed date that contradicts the record is a
warning naming both dates. The real planner, flow and knowledge base; the record as the planner's
pure input (``RecordedTreatments``)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import example, given
from hypothesis import strategies as st

from assistant.core.consult import Consult
from assistant.core.flow import Flow
from assistant.core.knowledge import KnowledgeBase
from assistant.core.plan import Plan, RecordedDose, RecordedTreatments
from assistant.core.planner import make_plan
from assistant.core.recorded_timing import CONTRADICTION
from assistant.core.script import Script
from tests.helpers import base_answers
from tests.test_planner_properties import PROPERTY_SETTINGS

DAY0 = date(2026, 9, 1)


def day(n: int) -> date:
    return DAY0 + timedelta(days=n)


def dose(n: int, kind: str = "full", zone: str = "glabella", units: float = 20) -> RecordedDose:
    return RecordedDose(zone=zone, given_on=day(n), units=units, kind=kind, consult_id=f"c{n}{kind}")  # type: ignore[arg-type]


def plan_on(
    script: Script,
    kb: KnowledgeBase,
    today: int,
    typed: int | None,
    doses: list[RecordedDose],
    zones: tuple[str, ...] = ("glabella",),
) -> Plan:
    """Plan ``zones`` on day ``today`` with the last treatment typed as day ``typed`` (None: never)."""
    answers = base_answers(zones=list(zones))
    if typed is not None:
        answers["prior_treatment_date"] = day(typed)
        answers["prior_zones"] = list(zones)
    flow = Flow(script, day(today))
    result = flow.read_file(answers)
    assert result.ok, result.problems
    consult = Consult.from_answers(flow, result.answers)
    return make_plan(consult, kb, recorded=RecordedTreatments(doses=tuple(doses)))


def test_day_38_after_a_touch_up_defers_the_zone_to_its_next_full_treatment(script: Script, kb: KnowledgeBase) -> None:
    # seen: full dose on day 0, touch-up on day 18, and on day 38 the touch-up's date typed as the
    # last treatment planned a second 2 U touch-up
    plan = plan_on(script, kb, 38, 18, [dose(0), dose(18, "touch_up", units=2)])
    assert plan.lines_for("glabella") == []
    [waits] = plan.deferred
    assert (waits.zone, waits.not_before) == ("glabella", day(90))
    assert "touched up on 2026-09-19" in waits.reason and "no second touch-up" in waits.reason
    assert CONTRADICTION not in plan.warning_codes(), "the typed date is the record's last dose"
    assert not plan.follow_up.touch_up_window, "nothing is injected today"


def test_never_typed_after_a_recorded_dose_defers_and_warns_with_both_dates(script: Script, kb: KnowledgeBase) -> None:
    # seen: "never" typed on day 40 after a recorded dose planned a full 20 U
    plan = plan_on(script, kb, 40, None, [dose(0)])
    assert plan.lines == () and [(d.zone, d.not_before) for d in plan.deferred] == [("glabella", day(90))]
    [warning] = [w for w in plan.warnings if w.code == CONTRADICTION]
    assert "typed as never" in warning.message and "Glabella given on 2026-09-01" in warning.message


def test_a_typed_date_earlier_than_the_record_is_a_warning_and_the_record_counts(
    script: Script, kb: KnowledgeBase
) -> None:
    plan = plan_on(script, kb, 40, -100, [dose(0)])  # typed: 140 days ago, a full dose
    assert plan.lines == () and plan.deferred[0].not_before == day(90)
    [warning] = [w for w in plan.warnings if w.code == CONTRADICTION]
    assert "2026-05-24" in warning.message and "2026-09-01" in warning.message
    assert "typed as 2026-05-24 (Glabella)" in warning.message, "the zones typed by name, not by id"


def test_a_typed_date_later_than_the_record_counts_when_it_is_stricter(script: Script, kb: KnowledgeBase) -> None:
    # recorded 120 days ago (a full dose would be due), typed 5 days ago: treated elsewhere since
    plan = plan_on(script, kb, 120, 115, [dose(0)])
    assert plan.lines == () and plan.deferred[0].not_before == day(115 + 18)
    [warning] = [w for w in plan.warnings if w.code == CONTRADICTION]
    assert "stricter of the two counts" in warning.message


def test_a_recorded_full_dose_allows_one_touch_up_counted_from_it(script: Script, kb: KnowledgeBase) -> None:
    plan = plan_on(script, kb, 18, None, [dose(0)])  # typed "never", but the record holds day 0
    [line] = plan.lines
    assert line.kind == "touch_up"
    assert plan.follow_up.next_full_treatment == day(90) and not plan.follow_up.touch_up_window


def test_after_the_cycle_a_full_dose_is_planned_again(script: Script, kb: KnowledgeBase) -> None:
    plan = plan_on(script, kb, 90, 18, [dose(0), dose(18, "touch_up", units=2)])
    assert [line.kind for line in plan.lines] == ["full"] and plan.total_units == 20
    assert plan.follow_up.touch_up_window


def test_a_late_touch_up_reaches_its_peak_before_the_next_full_dose(script: Script, kb: KnowledgeBase) -> None:
    # seen (the property below): full dose on day 0, a touch-up recorded on day 77, and on day 90 a
    # full 20 U planned 13 days after the touch-up, before its peak
    plan = plan_on(script, kb, 90, None, [dose(0), dose(77, "touch_up", units=2)])
    assert plan.lines_for("glabella") == []
    [waits] = plan.deferred
    assert waits.not_before == day(77 + 18) and "before the peak" in waits.reason
    later = plan_on(script, kb, 95, None, [dose(0), dose(77, "touch_up", units=2)])
    assert [line.kind for line in later.lines] == ["full"], "from the touch-up's day 18 the new cycle starts"


def test_a_second_consult_on_the_same_day_does_not_dose_the_zone_again(script: Script, kb: KnowledgeBase) -> None:
    plan = plan_on(script, kb, 0, None, [dose(0)], zones=("glabella", "forehead"))
    assert plan.lines_for("glabella") == [] and plan.deferred[0].not_before == day(18)
    assert plan.lines_for("forehead"), "a zone the record has not treated is planned"


def test_a_touch_up_without_its_full_dose_in_the_record_waits_a_whole_interval(
    script: Script, kb: KnowledgeBase
) -> None:
    plan = plan_on(script, kb, 30, 12, [dose(12, "touch_up", units=2)])
    assert plan.lines == () and plan.deferred[0].not_before == day(12 + 90)


def test_doses_after_the_consults_date_do_not_count(script: Script, kb: KnowledgeBase) -> None:
    plan = plan_on(script, kb, 10, None, [dose(11)])
    assert plan.lines_for("glabella") and CONTRADICTION not in plan.warning_codes()


history = st.lists(
    st.tuples(st.integers(0, 200), st.sampled_from(["full", "touch_up"])),
    min_size=1,
    max_size=6,
)


@PROPERTY_SETTINGS
@given(doses=history, today=st.integers(0, 260), typed=st.one_of(st.none(), st.integers(-300, 260)))
@example(doses=[(0, "full"), (18, "touch_up")], today=38, typed=18)
@example(doses=[(0, "full"), (18, "touch_up")], today=40, typed=None)
@example(doses=[(0, "full"), (77, "touch_up")], today=90, typed=None)
@example(doses=[(0, "touch_up")], today=90, typed=69)
def test_no_consult_plans_a_second_touch_up_in_one_cycle(
    script: Script, kb: KnowledgeBase, doses: list[tuple[int, str]], today: int, typed: int | None
) -> None:
    """For any recorded full doses and touch-ups of a zone and any typed last treatment: once the
    record holds a touch-up after the zone's last full dose, nothing is planned for the zone until
    that full dose's next full treatment (the touch-up's own, when no full dose is recorded), and no
    zone is dosed before the peak of its last recorded dose. Once the cycle is over, a typed treatment
    elsewhere later than the record counts by its own band, a touch-up included."""
    typed = None if typed is None or typed > today else typed
    recorded = [dose(n, kind, units=2 if kind == "touch_up" else 20) for n, kind in doses]
    plan = plan_on(script, kb, today, typed, recorded)
    before = sorted((n, kind) for n, kind in doses if n <= today)
    fulls = [n for n, kind in before if kind == "full"]
    touch_ups = [n for n, kind in before if kind == "touch_up" and (not fulls or n >= fulls[-1])]
    lines = plan.lines_for("glabella")
    if touch_ups:
        in_cycle = bool(fulls) and touch_ups[-1] - fulls[-1] < 90
        next_full = (fulls[-1] if in_cycle else touch_ups[-1]) + 90
        if today < next_full:
            assert lines == [], f"planned {lines} on day {today} after a touch-up on day {touch_ups[-1]}"
        elsewhere = typed is not None and typed > before[-1][0]  # a later treatment elsewhere may be touched up
        assert elsewhere or all(line.kind != "touch_up" for line in lines), "a touch-up after a touch-up"
    if before:
        last = before[-1][0]
        assert today - last >= 14 or lines == [], "dosed before the peak of a recorded dose"
