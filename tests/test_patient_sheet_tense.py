"""The patient's sheet printed from the plan, before anything is injected, does not say she had the
treatment: "the treatment you had today" (오늘 받으신 시술) only once the doses are recorded as given."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.core.lifecycle.given import lines_from_plan
from assistant.core.lifecycle.record import Given
from assistant.documents import render_patient
from assistant.files.resources import Resources
from tests.helpers import TODAY
from tests.test_documents import make, visible

AT = dt.datetime.combine(TODAY, dt.time(11), tzinfo=dt.UTC)


def sheet(resources: Resources, fmt: str, language: str, given: bool) -> str:
    plan = make(resources, zones=["glabella"])
    injected = Given(lines=lines_from_plan(plan, None, None), by="Ina Choi", role="injector", at=AT) if given else None
    text = visible(render_patient(plan, resources.kb, resources.clinic, fmt, language, given=injected))  # type: ignore[arg-type]
    return " ".join(text.split())


@pytest.mark.parametrize("fmt", ["text", "html"])
def test_the_english_sheet_says_had_only_once_given(resources: Resources, fmt: str) -> None:
    planned = sheet(resources, fmt, "en", given=False)
    assert "the treatment you had today" not in planned
    assert "sheet explains the treatment you are having today, what to expect" in planned
    given = sheet(resources, fmt, "en", given=True)
    assert "the treatment you had today, what to expect" in given


@pytest.mark.parametrize("fmt", ["text", "html"])
def test_the_korean_sheet_says_received_only_once_given(resources: Resources, fmt: str) -> None:
    planned = sheet(resources, fmt, "ko", given=False)
    assert "받으신" not in planned
    assert "오늘 받으실 시술과 앞으로 나타날 변화" in planned
    assert "오늘 받으신 시술과 앞으로 나타날 변화" in sheet(resources, fmt, "ko", given=True)


@pytest.mark.parametrize("fmt", ["text", "html"])
def test_the_areas_heading_follows_the_tense(resources: Resources, fmt: str) -> None:
    """The heading over the areas and the diagram's caption too: "What we treated" over a plan printed
    before the injection read as done (a tryout)."""
    planned, given = (sheet(resources, fmt, "en", given=g).lower() for g in (False, True))
    assert "what we are treating" in planned and "what we treated" not in planned
    assert "what we treated" in given and "what we are treating" not in given
    if fmt == "html":
        assert "shaded: the areas we are treating today" in planned and "the areas treated today" in given
    korean_planned, korean_given = (sheet(resources, fmt, "ko", given=g) for g in (False, True))
    assert "오늘 시술할 부위" in korean_planned and "오늘 시술한 부위" not in korean_planned
    assert "오늘 시술한 부위" in korean_given
