"""The knowledge base: the shipped figures match the clinical reference, every figure is sourced,
it loads into TinyDB, and broken knowledge files are reported by file and line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import BaseModel

from assistant.core.knowledge import KnowledgeBase, UnknownZone
from assistant.core.timing import band_for, follow_up
from assistant.files.loaders import load_knowledge
from assistant.services.lint import lint
from tests.conftest import BreakKnowledge
from tests.helpers import TODAY

ZONES = ["glabella", "forehead", "crows_feet", "bunny_lines", "gummy_smile", "marionette", "chin", "masseter"]


def test_loads_every_zone_into_tinydb(kb: KnowledgeBase) -> None:
    assert set(kb.zone_ids) == set(ZONES)
    assert len(kb.db.table("zones")) == len(ZONES)
    assert kb.zone("masseter").label.startswith("Masseter")
    with pytest.raises(UnknownZone):
        kb.zone("nose")
    assert kb.paired_zone_ids() == {"crows_feet", "bunny_lines", "gummy_smile", "marionette", "masseter"}


def _source_lists(node: object, path: str = "") -> Iterator[tuple[str, tuple[str, ...]]]:
    """Every ``sources`` (and ``*_sources``) tuple anywhere in the knowledge, with where it is."""
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            value = getattr(node, name)
            if not path and name == "sources":
                continue  # the list of sources itself
            if name == "sources" or name.endswith("_sources"):
                yield f"{path}/{name}", value
            else:
                yield from _source_lists(value, f"{path}/{name}")
    elif isinstance(node, tuple | list):
        for i, item in enumerate(node):
            yield from _source_lists(item, f"{path}/{getattr(item, 'id', getattr(item, 'name', i))}")


def test_every_figure_names_sources_that_exist(kb: KnowledgeBase) -> None:
    known = kb.source_ids()
    lists = list(_source_lists(kb.knowledge))
    assert len(lists) > 50, "the walk found the sourced figures"
    devices = {f"/product/syringes/choices/{s.id}/sources" for s in kb.product.syringes.choices if s.device_fact}
    for where, sources in lists:
        assert sources or where in devices, f"{where} has no source (nor is it a device fact)"
        assert set(sources) <= known, f"{where} cites unknown {set(sources) - known}"
    for source_id in known:
        assert kb.source(source_id) is not None


def test_every_zone_figure_is_sourced(kb: KnowledgeBase) -> None:
    for zone in kb.zones():
        for part in (zone.points, zone.typical_units, zone.default_units, zone.caution_above):
            assert part.sources, zone.id


def test_weak_practice_source_is_marked_weak(kb: KnowledgeBase) -> None:
    practice = kb.source("practice")
    assert practice is not None
    assert practice.weak
    assert practice.authority == "practice"


# The clinical reference's defaults table: default units (per side for paired zones) and points.
DEFAULTS = [
    ("glabella", False, 20, 5),
    ("forehead", False, 12, 6),
    ("crows_feet", True, 10, 4),
    ("bunny_lines", True, 3, 2),
    ("gummy_smile", True, 1.5, 1),
    ("marionette", True, 2.5, 1),
    ("chin", False, 4, 2),
    ("masseter", True, 25, 3),
]


@pytest.mark.parametrize(("zone_id", "paired", "units", "points"), DEFAULTS)
def test_zone_defaults_match_the_clinical_reference(
    kb: KnowledgeBase, zone_id: str, paired: bool, units: float, points: int
) -> None:
    zone = kb.zone(zone_id)
    assert zone.paired is paired
    assert zone.default_units.value == units
    assert zone.points.default == points
    assert zone.points.min <= points <= zone.points.max
    assert zone.typical_units.min <= units <= zone.caution_above.value


def test_glabella_is_the_label_dose_of_five_points_of_four_units(kb: KnowledgeBase) -> None:
    glabella = kb.zone("glabella")
    assert glabella.default_units.value / glabella.points.default == 4
    assert glabella.default_units.sources == ("letybo-pi",)


@pytest.mark.parametrize(
    ("zone_id", "caution"),
    [
        ("glabella", 25),
        ("forehead", 20),
        ("crows_feet", 12),
        ("bunny_lines", 4),
        ("gummy_smile", 2.5),
        ("marionette", 4),
        ("chin", 6),
        ("masseter", 30),
    ],
)
def test_caution_thresholds(kb: KnowledgeBase, zone_id: str, caution: float) -> None:
    assert kb.zone(zone_id).caution_above.value == caution


@pytest.mark.parametrize(
    ("zone_id", "low", "high"),
    [("glabella", 15, 20), ("crows_feet", 6, 12), ("bunny_lines", 2, 4), ("marionette", 2, 3), ("masseter", 20, 30)],
)
def test_typical_ranges(kb: KnowledgeBase, zone_id: str, low: float, high: float) -> None:
    typical = kb.zone(zone_id).typical_units
    assert (typical.min, typical.max) == (low, high)


def test_only_the_glabella_is_on_label(kb: KnowledgeBase) -> None:
    assert [z.id for z in kb.zones() if z.on_label] == ["glabella"]


def test_unverified_figures_are_marked(kb: KnowledgeBase) -> None:
    assert kb.zone("gummy_smile").default_units.unverified
    subtle = next(m for m in kb.modifiers() if m.name == "effect")
    assert all(rule.unverified for rule in subtle.rules)


def test_preparation_and_session_maximum(kb: KnowledgeBase) -> None:
    reconstitution = kb.product.reconstitution
    assert (reconstitution.saline_ml, reconstitution.vial_units) == (2.5, 100)
    assert "letybo-pi" in reconstitution.sources
    assert kb.safety.session_max_units.value == 400
    assert kb.safety.session_max_units.sources == ("botox-cosmetic-pi",)
    assert kb.safety.symmetry.warn_gap_above_units == 2


def test_contraindications_and_cautions(kb: KnowledgeBase) -> None:
    contraindicated = {c.id for c in kb.contraindications("contraindicated")}
    assert contraindicated == {
        "toxin_allergy",
        "infection_at_site",
        "neuromuscular_disorder",
        "pregnant_or_breastfeeding",
    }
    cautions = {c.id: c for c in kb.contraindications("caution")}
    assert {"aminoglycosides", "age_75_or_over"} <= set(cautions)
    assert cautions["age_75_or_over"].when == "age >= 75"
    assert set(cautions["age_75_or_over"].sources) == {"letybo-eu", "letybo-pi"}
    assert len(kb.contraindications()) == len(contraindicated) + len(cautions)


@pytest.mark.parametrize(
    ("days", "action", "not_before_day", "warning"),
    [
        *[(d, "defer", 18, None) for d in (0, 1, 13)],
        *[(d, "touch_up", None, "touch_up_early") for d in (14, 17)],
        *[(d, "touch_up", None, None) for d in (18, 21)],
        *[(d, "defer", 90, None) for d in (22, 60, 89)],
        *[(d, "full", None, None) for d in (90, 365, 5000)],
    ],
)
def test_timing_bands(
    kb: KnowledgeBase, days: int, action: str, not_before_day: int | None, warning: str | None
) -> None:
    band = band_for(kb.timing, days)
    assert band is not None
    assert band.action == action
    assert band.not_before_day == not_before_day
    assert (band.warning.code if band.warning else None) == warning


def test_timing_bands_cover_every_day_once(kb: KnowledgeBase) -> None:
    for days in range(0, 400):
        covering = [b for b in kb.timing.bands if b.from_day <= days and (b.to_day is None or days <= b.to_day)]
        assert len(covering) == 1, days


def test_follow_up_and_touch_up_rules(kb: KnowledgeBase) -> None:
    dates = follow_up(kb.timing, TODAY, {"full"})  # after full doses (nothing injected: no window)
    assert (dates.review_date - TODAY).days == 14
    assert (dates.touch_up_from - TODAY).days == 18
    assert (dates.touch_up_to - TODAY).days == 21
    touch_up = kb.timing.touch_up
    assert (touch_up.units_per_side, touch_up.min_units, touch_up.max_units) == (2, 2, 3)
    assert kb.timing.retreatment_interval_days.value == 90


def test_the_patient_is_told_once_to_get_help_at_once(kb: KnowledgeBase) -> None:
    """The label's boxed warning says what to do; no aftercare item says it again."""
    assert "get medical help at once" in kb.safety.spread_warning.en
    assert "swallowing" in kb.safety.spread_warning.en
    assert not [item for item in kb.aftercare() if "swallowing" in item.text.en]


# --- broken knowledge files ----------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _in_the_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    """Problems name files relative to the working folder; tmp files then keep their full path."""
    monkeypatch.chdir(Path(__file__).resolve().parent.parent)


def _only(problems: list, code: str) -> object:
    matching = [p for p in problems if p.code == code]
    assert len(matching) == 1, problems
    return matching[0]


def test_an_unknown_source_is_reported_at_its_line(broken_kb: BreakKnowledge) -> None:
    directory, path, line = broken_kb(
        "zones.yaml",
        "    default_units:\n      value: 20\n      sources: [letybo-pi]",
        "    default_units:\n      value: 20\n      sources: [letybo-pj]",
    )
    loaded = load_knowledge(directory)
    assert loaded.value is None
    problem = _only(loaded.problems, "unknown-source")
    assert problem.file == str(path)
    assert problem.line == line + 2
    assert "Did you mean 'letybo-pi'?" in problem.message


def test_a_gap_in_the_timing_bands_is_reported(broken_kb: BreakKnowledge) -> None:
    directory, path, line = broken_kb("timing.yaml", "    - from_day: 14\n", "    - from_day: 15\n")
    problems = lint(None, directory)
    problem = _only(problems, "timing-bands")
    assert (problem.file, problem.line) == (str(path), line)
    assert "gap" in problem.message
    assert "day 15" in problem.message
    assert "day 13" in problem.message


def test_an_overlap_in_the_timing_bands_is_reported(broken_kb: BreakKnowledge) -> None:
    directory, path, line = broken_kb("timing.yaml", "    - from_day: 22\n", "    - from_day: 20\n")
    problem = _only(lint(None, directory), "timing-bands")
    assert (problem.file, problem.line) == (str(path), line)
    assert "overlap" in problem.message


def test_an_unknown_key_is_reported_with_a_suggestion(broken_kb: BreakKnowledge) -> None:
    directory, path, line = broken_kb("zones.yaml", "    on_label: true\n", "    on_lable: true\n")
    loaded = load_knowledge(directory)
    assert loaded.value is None
    problem = _only(loaded.problems, "unknown-key")
    assert (problem.file, problem.line) == (str(path), line)
    assert "Did you mean 'on_label'?" in problem.message


def test_a_default_above_the_caution_threshold_is_refused(broken_kb: BreakKnowledge) -> None:
    directory, path, _ = broken_kb(
        "zones.yaml", "    caution_above:\n      value: 25\n", "    caution_above:\n      value: 19\n"
    )
    problems = load_knowledge(directory).problems
    assert problems
    assert all(p.file == str(path) for p in problems)
    assert any("caution_above" in p.message for p in problems)


def test_a_condition_reading_an_unknown_question_is_reported(broken_kb: BreakKnowledge) -> None:
    directory, path, line = broken_kb("modifiers.yaml", "      - when: age >= 50\n", "      - when: agee >= 50\n")
    problem = _only(lint(None, directory), "unknown-question")
    assert (problem.file, problem.line) == (str(path), line)
    assert "Did you mean 'age'?" in problem.message


def test_a_yaml_syntax_error_in_knowledge(broken_kb: BreakKnowledge) -> None:
    directory, path, line = broken_kb("timing.yaml", "    - from_day: 14\n", "    - from_day: [14\n")
    problem = _only(load_knowledge(directory).problems, "yaml-syntax")
    assert problem.file == str(path)
    assert problem.line >= line


def test_a_missing_knowledge_folder(tmp_path: Path) -> None:
    problem = _only(load_knowledge(tmp_path / "nowhere").problems, "missing-file")
    assert "does not exist" in problem.message
