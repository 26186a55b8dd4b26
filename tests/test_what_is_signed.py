"""Issue 22.6: the words shown above the PIN that signs: lines given, total, lot, the differences
from the plan with their reasons, and what a co-signature adds."""

from __future__ import annotations

from datetime import UTC, datetime

from assistant.core.lifecycle import rules
from assistant.core.lifecycle.given import GivenEntry, compare_with_plan, lines_from_plan
from assistant.core.lifecycle.staff import StaffAccount
from assistant.core.lifecycle.what_is_signed import what_is_signed
from tests.conftest import MakeRecord

AT = datetime(2026, 11, 24, 11, 0, tzinfo=UTC)
INJECTOR = StaffAccount(name="Ina Choi", role="injector", pin_hash="$argon2id$x", created_at=AT)
PAIRED = {"glabella": False, "forehead": False, "crows_feet": True}


def test_a_changed_line_is_shown_with_the_plan_and_its_reason(make_record: MakeRecord) -> None:
    record = make_record("Kim Ji-woo", zones=("glabella", "crows_feet"))
    entries = [
        GivenEntry(zone="glabella", units=18, points=5, reason="asked for a lighter frown"),
        GivenEntry(zone="crows_feet", side="left", units=10, points=4),
        GivenEntry(zone="crows_feet", side="right", units=10, points=4),
    ]
    lines, problems = compare_with_plan(record.plan, entries, paired=PAIRED, lot="BX2311", expiry=None)
    assert problems == []
    words = "\n".join(what_is_signed(rules.give(record, lines, INJECTOR, AT)))
    assert f"You sign consult {record.consult_id}: Kim Ji-woo" in words
    assert "Glabella: 18 U in 5 points, lot BX2311" in words
    assert "Total 38 U (planned 40 U); lot BX2311." in words
    assert "Different from the plan:\n  Glabella: 20 U in 5 points -> 18 U in 5 points (asked for a lighter frown)" in (
        words
    )


def test_a_plan_given_as_planned_and_a_cosignature(make_record: MakeRecord) -> None:
    record = make_record("Kim Ji-woo", zones=("glabella",)).model_copy(update={"cosign_required": True})
    given = rules.give(record, lines_from_plan(record.plan, "BX2311", None), INJECTOR, AT)
    words = what_is_signed(given)
    assert "Every line as planned." in words and words[0].startswith("You sign")
    signed = rules.sign(given, INJECTOR, AT)
    words = what_is_signed(signed)
    assert words[0].startswith("You co-sign") and "medical director's co-signature" in words[-1]


def test_a_consult_that_treated_nothing(make_record: MakeRecord) -> None:
    stopped = make_record("Oh Mina", pregnant_or_breastfeeding=True)
    assert "Nothing was given: the consult is recorded as contraindicated." in what_is_signed(stopped)


def test_doses_given_before_the_answers_contraindicated_them_are_all_named(make_record: MakeRecord) -> None:
    """A tryout amended a given consult to "pregnant": the plan screen named one of four lines given,
    by its zone id ("crows_feet left: not planned -> 12 U in 4 points"), under "No dose is planned"."""
    from assistant.core.lifecycle.what_is_signed import differences
    from assistant.tui.widgets.plan_banner import banner

    record = make_record("Kim Ji-woo", zones=("glabella", "crows_feet"))
    given = rules.give(record, lines_from_plan(record.plan, "BX2311", None), INJECTOR, AT)
    stopped = given.plan.model_copy(update={"status": "contraindicated", "lines": (), "total_units": 0.0})
    amended = given.model_copy(update={"plan": stopped})
    assert [line.strip() for line in differences(amended)] == [
        "Glabella: 20 U in 5 points given; the answers now kept contraindicate it",
        "Crows feet left: 10 U in 4 points given; the answers now kept contraindicate it",
        "Crows feet right: 10 U in 4 points given; the answers now kept contraindicate it",
    ]
    words = banner(stopped, amended, trainer=False, waiting=False).plain
    assert words.startswith("CONTRAINDICATED by the answers now kept: Kim Ji-woo was given 40 U before that.")
    assert "No dose is planned" not in words


def test_a_paired_zone_given_unevenly_without_a_measured_asymmetry_is_said_at_signing(
    make_record: MakeRecord,
) -> None:
    """A tryout gave the crow's feet 12 U left and 11 U right: nothing said the sides were uneven."""
    from assistant.core.lifecycle.given_sides import uneven_sides

    record = make_record("Kim Ji-woo", zones=("glabella", "crows_feet"))

    def given(left: float, right: float) -> tuple:  # type: ignore[type-arg]
        entries = [
            GivenEntry(zone="glabella", units=20, points=5),
            GivenEntry(zone="crows_feet", side="left", units=left, points=4, reason="deeper lines"),
            GivenEntry(zone="crows_feet", side="right", units=right, points=4, reason="deeper lines"),
        ]
        lines, problems = compare_with_plan(record.plan, entries, paired=PAIRED, lot="BX2311", expiry=None)
        assert problems == []
        return lines

    uneven = given(12, 11)
    assert uneven_sides(record.plan, uneven) == [
        "Crow's feet: 12 U on the left, 11 U on the right, though no asymmetry was measured (planned 10 U a side)"
    ]
    words = what_is_signed(rules.give(record, uneven, INJECTOR, AT))
    assert words[1].startswith("Uneven sides: Crow's feet: 12 U on the left, 11 U on the right, though no asymmetry")
    # the second line, under the heading: the signing box shows its top above the PIN (a tryout's was below)
    assert uneven_sides(record.plan, given(12, 12)) == [], "more on both sides keeps them even"
