"""Time the consult record with 100,000 consults stored: save, history, patient search, get.

Run: python bench/records_bench.py [--consults N] [--runs N] [--data-dir DIR]. Targets: save and
look-ups under 20 ms each. The data directory is built once through the store's ``bulk_load``
(kept with --data-dir, so a second run skips building); everything measured goes through the public
repository API on a durable store (fsync on every write).

The patients are those of a Korean clinic, the hard case for a name index: 30,000 patients, a fifth
of them Kim and a seventh Lee, some names in Hangul, most with a clinic patient number.
"""

from __future__ import annotations

import argparse
import random
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
from assistant.records import ConsultRecord, TinyDBConsultStore, new_record_id, patient_key
from assistant.resources import load_resources

SURNAMES = {
    "Kim": 21, "Lee": 15, "Park": 8, "Choi": 5, "Jung": 4, "Kang": 2, "Cho": 2, "Yoon": 2, "Jang": 2, "Lim": 2,
    "Han": 1, "Oh": 1, "Seo": 1, "Shin": 1, "Kwon": 1, "Hwang": 1, "Ahn": 1, "Song": 1, "Yoo": 1, "Hong": 1,
}  # fmt: skip
GIVEN = [
    "Ji-woo",
    "Min-seo",
    "Seo-yeon",
    "Ha-eun",
    "Ji-min",
    "Su-bin",
    "Ye-jin",
    "Da-eun",
    "Yu-na",
    "Chae-won",
    "Min-ji",
    "Hye-jin",
    "Eun-ji",
    "So-yeon",
    "Ji-hye",
    "Soo-ah",
    "Ha-yoon",
    "Na-yeon",
    "Ji-a",
    "Yoon-seo",
    "Seo-hyun",
    "Min-jun",
    "Do-yoon",
    "Ha-joon",
    "Seo-jun",
    "Ji-ho",
    "Joon-woo",
    "Hyun-woo",
    "Ji-hoon",
    "Woo-jin",
    "Sung-min",
    "Jae-won",
    "Tae-yang",
    "Eun-woo",
    "Si-woo",
    "Ye-rin",
    "Bo-ra",
    "Ga-young",
    "Hee-jin",
    "Mi-rae",
]
HANGUL_SURNAMES = {"김": 21, "이": 15, "박": 8, "최": 5, "정": 4, "강": 2, "조": 2, "윤": 2}
HANGUL_GIVEN = [
    "지우",
    "민서",
    "서연",
    "하은",
    "지민",
    "수빈",
    "예진",
    "다은",
    "유나",
    "채원",
    "민지",
    "혜진",
    "은지",
    "소연",
    "지혜",
    "하윤",
    "나연",
    "서현",
    "민준",
    "도윤",
]
WESTERN = [
    "Emma",
    "Olivia",
    "Sophie",
    "Anna",
    "Laura",
    "Julia",
    "Sarah",
    "Emily",
    "Grace",
    "Chloe",
    "Smith",
    "Brown",
    "Wilson",
    "Taylor",
    "Martin",
    "Garcia",
    "Muller",
    "Dubois",
    "Rossi",
    "Novak",
]
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
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def random_name(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.7:
        return f"{rng.choices(list(SURNAMES), weights=list(SURNAMES.values()))[0]} {rng.choice(GIVEN)}"
    if roll < 0.9:
        surname = rng.choices(list(HANGUL_SURNAMES), weights=list(HANGUL_SURNAMES.values()))[0]
        return surname + rng.choice(HANGUL_GIVEN)
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
        self.rng = rng
        self.people = [(random_name(rng), f"P-{n:06d}" if rng.random() < 0.8 else None) for n in range(count)]

    def pick(self) -> tuple[str, str | None]:
        return self.people[min(len(self.people) - 1, int(self.rng.paretovariate(1.2) * 3) % len(self.people))]


def make_record(
    plans: list[Plan], answers: dict[str, object], name: str, patient_id: str | None, day: date, rng: random.Random
) -> ConsultRecord:
    plan = rng.choice(plans)
    plan = plan.model_copy(update={"patient_name": name, "today": day})
    finished = datetime(day.year, day.month, day.day, 9, tzinfo=UTC) + timedelta(seconds=rng.randrange(36000))
    template = ConsultRecord.from_plan(
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
    return template


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
    for index in range(runs):
        start = time.perf_counter()
        action(index)
        samples.append((time.perf_counter() - start) * 1000)
    print(f"{name:34s} median {statistics.median(samples):7.3f} ms   p95 {percentile(samples, 0.95):7.3f} ms")


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
            count = TinyDBConsultStore(data_dir, durable=False).bulk_load(generate(args.consults, patients, rng))
            print(f"built {count} consults of {args.patients} patients in {time.perf_counter() - start:.1f} s")
        else:
            print(f"reusing {data_dir}")
        measure(TinyDBConsultStore(data_dir), patients, args.runs)
    finally:
        if args.data_dir is None:
            shutil.rmtree(data_dir, ignore_errors=True)


def measure(store: TinyDBConsultStore, patients: Patients, runs: int) -> None:
    rng = random.Random(7)
    plans, answers = template_plans()
    known = [rng.choice(patients.people) for _ in range(runs)]
    with_id = [p for p in patients.people if p[1]]
    ids = [rng.choice(with_id)[1] or "" for _ in range(runs)]
    newcomers = [(random_name(rng) + f" N{n}", None) for n in range(runs)]
    saved: list[str] = []

    def save_returning(i: int) -> None:
        name, patient_id = known[i]
        saved.append(store.save(make_record(plans, answers, name, patient_id, END, rng)))

    def save_new(i: int) -> None:
        name, patient_id = newcomers[i]
        store.save(make_record(plans, answers, name, patient_id, END, rng))

    timed("save (returning patient)", runs, save_returning)
    timed("save (new patient, name index too)", runs, save_new)
    timed("history(patient id)", runs, lambda i: store.history(ids[i]))
    timed("history(full name)", runs, lambda i: store.history(known[i][0]))
    timed("find_patients(full name)", runs, lambda i: store.find_patients(known[i][0]))
    timed("find_patients(patient id)", runs, lambda i: store.find_patients(ids[i]))
    timed("find_patients('kim'), worst prefix", runs, lambda i: store.find_patients("kim"))
    timed("find_patients('ji'), 2 letters", runs, lambda i: store.find_patients("ji"))
    timed("last_for_patient(key)", runs, lambda i: store.last_for_patient(patient_key(*known[i])))
    timed("get(consult_id)", runs, lambda i: store.get(saved[i]))
    timed("list_recent(20)", 20, lambda i: store.list_recent(20))
    sizes = sorted((p.stat().st_size for p in (store.data_dir / "names").rglob("*.json")), reverse=True)
    print(f"({runs} runs each; largest name index file {sizes[0] / 1024:.0f} KiB, durable writes)")


if __name__ == "__main__":
    main()
