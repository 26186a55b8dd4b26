"""Time the consult record with 100,000 consults stored: save, history, patient search, get.

Run: python bench/records_bench.py [--consults N] [--runs N] [--data-dir DIR]. Targets: save and
look-ups under 20 ms each. The data directory is built once through the store's ``bulk_load``
(kept with --data-dir, so a second run skips building); everything measured goes through the public
repository API on a durable store (fsync on every write).

The patients are those of a Korean clinic, the hard case for a name index: 30,000 patients, a fifth
of them Kim and a seventh Lee, given names of two syllables from a few dozen, a fifth of the names
in Hangul, most with a clinic patient number. "kim" and "ji" are the worst prefixes to search for.
"""

from __future__ import annotations

import argparse
import random
import secrets
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from assistant.core.consult import Consult
from assistant.core.flow import Flow
from assistant.core.plan import Plan
from assistant.core.planner import make_plan
from assistant.files.resources import load_resources
from assistant.records import ConsultRecord, TinyDBStore, new_record_id, patient_key
from assistant.services.recording import save_new

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
    ["forehead", "bunny_lines"],
    ["glabella", "crows_feet", "chin"],
]
START = date(2022, 1, 1)
END = date(2026, 11, 24)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def random_name(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.7:
        given = f"{rng.choice(SYLLABLES)}-{rng.choice(SYLLABLES)}".capitalize()
        return f"{rng.choices(list(SURNAMES), weights=list(SURNAMES.values()))[0]} {given}"
    if roll < 0.9:
        surname = rng.choices(list(HANGUL_SURNAMES), weights=list(HANGUL_SURNAMES.values()))[0]
        return surname + rng.choice(HANGUL_SYLLABLES) + rng.choice(HANGUL_SYLLABLES)
    return f"{rng.choice(WESTERN[:10])} {rng.choice(WESTERN[10:])}"


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
            "toxin_allergy": zones == ["chin"],
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


class Patients:
    def __init__(self, count: int, rng: random.Random) -> None:
        self.people = [(random_name(rng), f"P-{n:06d}" if rng.random() < 0.8 else None) for n in range(count)]


def make_record(
    plans: list[Plan], answers: dict[str, object], name: str, patient_id: str | None, day: date, rng: random.Random
) -> ConsultRecord:
    plan = rng.choice(plans)
    plan = plan.model_copy(update={"patient_name": name, "today": day})
    finished = datetime(day.year, day.month, day.day, 9, tzinfo=UTC) + timedelta(seconds=rng.randrange(36000))
    return ConsultRecord.from_plan(
        consult_id=new_record_id(finished, randomness=rng.getrandbits(40)),
        plan=plan,
        answers={**answers, "patient_name": name, "patient_id": patient_id},
        started_at=finished - timedelta(minutes=25),
        finished_at=finished,
        patient_id=patient_id,
        staff="Dr Bench",
        lot_number="BTX-2211",
        lot_expiry=date(2027, 6, 30),
    )


def generate(count: int, patients: Patients, rng: random.Random) -> Iterator[ConsultRecord]:
    plans, answers = template_plans()
    base = make_record(plans, answers, "Bench Patient", None, END, rng)
    span = (END - START).days
    for _ in range(count):
        name, patient_id = patients.people[rng.randrange(len(patients.people))]
        day = START + timedelta(days=rng.randrange(span))
        plan = rng.choice(plans).model_copy(update={"patient_name": name, "today": day})
        finished = datetime(day.year, day.month, day.day, 9, tzinfo=UTC) + timedelta(seconds=rng.randrange(36000))
        yield base.model_copy(
            update={
                "consult_id": new_record_id(finished, randomness=rng.getrandbits(40)),
                "patient_name": name,
                "patient_id": patient_id,
                "patient_key": patient_key(name, patient_id),
                "date": day,
                "status": plan.status,
                "total_units": plan.total_units,
                "plan": plan,
                "answers": {**base.answers, "patient_name": name, "patient_id": patient_id},
                "started_at": finished - timedelta(minutes=25),
                "finished_at": finished,
            }
        )


def timed(name: str, runs: int, action: Callable[[int], object]) -> None:
    samples = []
    found = 0
    for index in range(runs):
        start = time.perf_counter()
        result = action(index)
        samples.append((time.perf_counter() - start) * 1000)
        found += len(result) if isinstance(result, list) else int(result is not None)
    print(
        f"{name:36s} median {statistics.median(samples):7.3f} ms   p95 {percentile(samples, 0.95):7.3f} ms"
        f"   max {max(samples):7.3f} ms   ({found / runs:.1f} found)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--consults", type=int, default=100_000)
    parser.add_argument("--patients", type=int, default=30_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--data-dir", type=Path, help="keep the built data here (reused when it exists)")
    args = parser.parse_args()
    rng = random.Random(2026)
    patients = Patients(args.patients, rng)
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="records-bench-"))
    try:
        if not (data_dir / "patients").is_dir():
            start = time.perf_counter()
            count = TinyDBStore(data_dir, durable=False).bulk_load(generate(args.consults, patients, rng))
            print(f"built {count} consults of {args.patients} patients in {time.perf_counter() - start:.1f} s")
        else:
            print(f"reusing {data_dir}")
        measure(TinyDBStore(data_dir), patients, args.runs)
    finally:
        if args.data_dir is None:
            shutil.rmtree(data_dir, ignore_errors=True)


def measure(store: TinyDBStore, patients: Patients, runs: int) -> None:
    rng = random.Random(7)
    plans, answers = template_plans()
    known = [rng.choice(patients.people) for _ in range(runs)]
    with_id = [p for p in patients.people if p[1]]
    ids = [rng.choice(with_id)[1] or "" for _ in range(runs)]
    run_tag = secrets.token_hex(3)  # newcomers are new even when the data directory is reused
    newcomers = [(f"{random_name(rng)} N{run_tag}{n}", None) for n in range(runs)]
    saved: list[str] = []

    returning = [make_record(plans, answers, *known[i], END, rng) for i in range(runs)]
    new = [make_record(plans, answers, *newcomers[i], END, rng) for i in range(runs)]

    def save_returning(i: int) -> str:
        saved.append(save_new(store, returning[i]).consult_id)
        return saved[-1]

    timed("save (returning patient)", runs, save_returning)
    timed("save (new patient, name index too)", runs, lambda i: save_new(store, new[i]))
    timed("history(patient id)", runs, lambda i: store.history(ids[i]))
    timed("history(full name)", runs, lambda i: store.history(known[i][0]))
    timed("find_patients(full name)", runs, lambda i: store.find_patients(known[i][0]))
    timed("find_patients(patient id)", runs, lambda i: store.find_patients(ids[i]))
    timed("find_patients('kim'), worst prefix", runs, lambda i: store.find_patients("kim"))
    timed("find_patients('ji'), 2 letters", runs, lambda i: store.find_patients("ji"))
    timed("last_for_patient(key)", runs, lambda i: store.last_for_patient(patient_key(*known[i])))
    timed("get(consult_id)", runs, lambda i: store.get(saved[i]))
    timed("recent(20)", 20, lambda i: store.recent(20))
    sizes = sorted((p.stat().st_size for p in (store.data_dir / "names").rglob("*.json")), reverse=True)
    print(f"({runs} runs each; largest name index file {sizes[0] / 1024:.0f} KiB, durable writes)")


if __name__ == "__main__":
    main()
