"""The clinic the records bench stores: patients, consults, doses given from lots, over years.

The patients are those of a Korean clinic, the hard case for a name index: a fifth of them Kim and a
seventh Lee, given names of two syllables from a few dozen, a fifth of the names in Hangul, most with
a clinic patient number. "kim" and "ji" are the worst prefixes to search for. Most consults are
given and signed; the last few of the newest day wait for a signature; each lot is used for about a
week of treatments. Plans come from the real planner (a few zone sets), copied per consult.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple

from assistant.core.consult import Consult
from assistant.core.flow import Flow
from assistant.core.lifecycle.given import lines_from_plan
from assistant.core.lifecycle.ids import new_record_id, patient_key
from assistant.core.lifecycle.record import ConsultRecord, Given, Revision, Signature
from assistant.core.plan import Plan
from assistant.core.planner import make_plan
from assistant.files.resources import load_resources

SURNAMES = {
    "Kim": 21, "Lee": 15, "Park": 8, "Choi": 5, "Jung": 4, "Kang": 2, "Cho": 2, "Yoon": 2, "Jang": 2, "Lim": 2,
    "Han": 1, "Oh": 1, "Seo": 1, "Shin": 1, "Kwon": 1, "Hwang": 1, "Ahn": 1, "Song": 1, "Yoo": 1, "Hong": 1,
}  # fmt: skip
SYLLABLES = [
    "ji", "min", "seo", "yeon", "ha", "eun", "su", "bin", "ye", "jin", "da", "yu", "na", "chae", "won", "hye",
    "so", "ah", "yoon", "hyun", "jun", "do", "joon", "woo", "ho", "hoon", "sung", "jae", "tae", "yang", "si", "rin",
    "bo", "ra", "ga", "young", "hee", "mi", "rae", "kyung", "sook", "hwa", "jung", "soo", "in", "hae", "sun", "ok",
]  # fmt: skip
HANGUL_SURNAMES = {"김": 21, "이": 15, "박": 8, "최": 5, "정": 4, "강": 2, "조": 2, "윤": 2}
HANGUL_SYLLABLES = [
    "지", "민", "서", "연", "하", "은", "수", "빈", "예", "진", "다", "유", "나", "채", "원", "혜", "소", "아", "윤",
    "현", "준", "도", "우", "호", "훈", "성", "재", "태", "양", "시", "린", "보", "라", "영", "희", "미", "경", "숙",
]  # fmt: skip
WESTERN = [
    "Emma", "Olivia", "Sophie", "Anna", "Laura", "Julia", "Sarah", "Emily", "Grace", "Chloe", "Smith", "Brown",
    "Wilson", "Taylor", "Martin", "Garcia", "Muller", "Dubois", "Rossi", "Novak",
]  # fmt: skip
ZONE_SETS = [
    ["glabella"],
    ["glabella", "forehead"],
    ["glabella", "forehead", "crows_feet"],
    ["crows_feet"],
    ["masseter"],
    ["forehead", "bunny_lines", "glabella"],
    ["glabella", "crows_feet", "chin"],
]
END = date(2026, 11, 24)
LOT_DAYS = 7
WAITING = 25
"""Consults of the newest day left waiting for a signature."""
INJECTOR = "Ina Choi"
CHART_CONSULTS = 200
"""Consults of the one patient whose whole chart the bench opens (issue 22), spread over the years."""
CHART_PATIENT = ("Kim Ji-woo", "P-000000")


def random_name(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.7:
        given = f"{rng.choice(SYLLABLES)}-{rng.choice(SYLLABLES)}".capitalize()
        return f"{rng.choices(list(SURNAMES), weights=list(SURNAMES.values()))[0]} {given}"
    if roll < 0.9:
        surname = rng.choices(list(HANGUL_SURNAMES), weights=list(HANGUL_SURNAMES.values()))[0]
        return surname + rng.choice(HANGUL_SYLLABLES) + rng.choice(HANGUL_SYLLABLES)
    return f"{rng.choice(WESTERN[:10])} {rng.choice(WESTERN[10:])}"


class Patients:
    """The clinic's patients; the first is the chart patient, who comes ``CHART_CONSULTS`` times."""

    def __init__(self, count: int, rng: random.Random) -> None:
        self.people = [(random_name(rng), f"P-{n:06d}" if rng.random() < 0.8 else None) for n in range(count)]
        self.people[0] = CHART_PATIENT


class Visit(NamedTuple):
    """What varies between two consults of the bench: everything else comes from one of a few plans
    (``pg_rows.py`` writes a visit's rows from a template, ``Clinic.record_of`` builds its record)."""

    person: int
    day: date
    plan: int
    seconds: int
    """After 09:00 UTC on ``day``: when the consult was finished."""
    randomness: int
    state: str


def lot_of(day: date) -> str:
    return f"BX{(day - date(2015, 1, 1)).days // LOT_DAYS:05d}"


def template_plans() -> tuple[list[Plan], dict[str, object]]:
    resources = load_resources().value
    assert resources is not None
    flow = Flow(resources.script, END)
    plans = []
    answers: dict[str, object] = {}
    for zones in ZONE_SETS:
        raw = {
            "patient_name": "Bench Patient",
            "sex": "female",
            "pregnant_or_breastfeeding": False,
            "neuromuscular_disorder": False,
            "infection_at_site": False,
            "toxin_allergy": False,
            "aminoglycosides": False,
            "zones": zones,
            "age": 40,
            "skin_thickness": "normal",
            "muscle_strength": "average",
            "effect": "standard",
            "prior_treatment_date": "never",
            "asymmetry": False,
        }
        result = flow.read_file(raw)
        assert result.ok, result.problems
        consult = Consult.from_answers(flow, result.answers)
        plans.append(make_plan(consult, resources.kb, resources.clinic))
        answers = dict(consult.answers)
    return plans, answers


class Clinic:
    """Records of a clinic, the same for a given seed."""

    def __init__(self, patients: int, years: float, seed: int = 2026) -> None:
        self.rng = random.Random(seed)
        self.patients = Patients(patients, self.rng)
        self.start = END - timedelta(days=int(365 * years))
        self.plans, self.answers = template_plans()
        self.given = [lines_from_plan(plan, None, None) for plan in self.plans]

    def record(self, name: str, patient_id: str | None, day: date, *, state: str = "signed") -> ConsultRecord:
        """A new consult of this patient on ``day`` (the bench's saves)."""
        rng = self.rng
        visit = Visit(-1, day, rng.randrange(len(self.plans)), rng.randrange(30000), rng.getrandbits(40), state)
        return self.record_of(visit, name, patient_id)

    def record_of(self, visit: Visit, name: str, patient_id: str | None) -> ConsultRecord:
        """The consult record of ``visit``, as the program would build it."""
        day, state = visit.day, visit.state
        plan = self.plans[visit.plan].model_copy(update={"patient_name": name, "today": day})
        finished = datetime(day.year, day.month, day.day, 9, tzinfo=UTC) + timedelta(seconds=visit.seconds)
        consult_id = new_record_id(finished, randomness=visit.randomness)
        given = None
        signatures: tuple[Signature, ...] = ()
        if state in ("given", "signed"):
            lot = lot_of(day)
            lines = tuple(line.model_copy(update={"lot": lot}) for line in self.given[visit.plan])
            given = Given(lines=lines, by=INJECTOR, role="injector", at=finished + timedelta(minutes=10))
        if state == "signed":
            signatures = (
                Signature(
                    name=INJECTOR,
                    role="injector",
                    meaning="reviewed and approved the treatment given",
                    at=finished + timedelta(minutes=15),
                ),
            )
        return ConsultRecord(
            consult_id=consult_id,
            version=1,
            state=state,  # type: ignore[arg-type]
            revision=Revision(version=1, at=finished, by="Jun Park", change=f"consult planned: {plan.total_units:g} U"),
            patient_name=name,
            patient_id=patient_id,
            patient_key=patient_key(name, patient_id),
            date=day,
            status=plan.status,
            total_units=plan.total_units,
            answers={**self.answers, "patient_name": name, "patient_id": patient_id},
            plan=plan,
            script_id=plan.versions.script_id,
            script_version=plan.versions.script_version,
            knowledge_id=plan.versions.knowledge_id,
            knowledge_version=plan.versions.knowledge_version,
            staff="Jun Park",
            staff_role="junior",
            started_at=finished - timedelta(minutes=25),
            finished_at=finished,
            given=given,
            signatures=signatures,
        )

    def visits(self, count: int) -> Iterator[Visit]:
        """``count`` consults spread evenly over the years, oldest first; the newest day's last few
        wait for a signature; every ``count // CHART_CONSULTS``-th is the chart patient's."""
        span = (END - self.start).days + 1
        chart_every = max(1, count // CHART_CONSULTS)
        rng, people, plans = self.rng, len(self.patients.people), len(self.plans)
        for n in range(count):
            day = self.start + timedelta(days=n * span // count)
            person = 0 if n % chart_every == chart_every // 2 else rng.randrange(people)
            state = "given" if day == END and n >= count - WAITING else "signed"
            yield Visit(person, day, rng.randrange(plans), rng.randrange(30000), rng.getrandbits(40), state)

    def generate(self, count: int) -> Iterator[ConsultRecord]:
        """The records of ``visits(count)`` (the TinyDB bulk load's input)."""
        people = self.patients.people
        for visit in self.visits(count):
            yield self.record_of(visit, *people[visit.person])
