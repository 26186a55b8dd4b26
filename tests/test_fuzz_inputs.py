"""Issue 15, done-when: fuzzing the answer-file loader, the condition evaluator and the clinic settings.

Whatever hypothesis throws at them (control characters, aliases, tags, huge and non-finite numbers,
deep nesting, structures where text belongs, random syntax), each gives a result or a clear error,
within a time bound, and never raises anything else.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant import locations
from assistant.core.conditions import ExpressionProblem, check_expression, evaluate
from assistant.files.clinic_file import load_clinic
from assistant.files.loaders import load_answers
from assistant.files.problems import FileProblem
from assistant.files.resources import Resources
from assistant.services.headless import consult_date, run_answer_file

TODAY = date(2026, 11, 24)
SECONDS = 3.0
FUZZ = settings(
    max_examples=150,
    deadline=None,  # the time bound is asserted below, with room for a loaded machine
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

_SCRATCH = Path(tempfile.mkdtemp(prefix="botulax-fuzz-"))
os.chmod(_SCRATCH, 0o700)
atexit.register(shutil.rmtree, _SCRATCH, ignore_errors=True)


def _scratch(name: str, text: str) -> Path:
    path = _SCRATCH / name
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    os.chmod(path, 0o600)
    return path


def _bounded(started: float) -> None:
    assert time.monotonic() - started < SECONDS, "took too long"


# --- the answer-file loader, up to a plan ----------------------------------------------------------------

QUESTION_IDS = [
    "patient_name",
    "patient_id",
    "sex",
    "age",
    "zones",
    "prior_treatment_date",
    "asymmetry",
    "asymmetry_zone",
    "extra_units",
    "goals",
    "lot_number",
    "lot_expiry",
    "today",
    "expect",
    "unknown_key",
]

YAML_VALUES = st.one_of(
    st.sampled_from(
        [
            "Mina Park",
            '"Bob\\r\\nStatus: PLANNED\\e]0;PWNED\\a"',
            '"evil\\u202elive"',
            "&a [x, y]",
            "*a",
            "!!set {a, b}",
            "!!omap [{a: 1}]",
            "!!binary aGVsbG8=",
            "!!python/object:os.system echo",
            "[glabella, forehead]",
            "{a: {b: {c: 1}}}",
            ".nan",
            ".inf",
            "-.inf",
            "1e300",
            "1e-30",
            "123456789012345678901234567890",
            "0001-01-01",
            "9999-12-31",
            "2026-02-30",
            "2026-11-05",
            "never",
            "yes",
            "~",
            "'['",
            "[" * 200 + "]" * 200,
            "[",
            "{",
            "|\n  two\n  lines",
        ]
    ),
    st.text(max_size=40).map(lambda t: '"' + t.replace("\\", "\\\\").replace('"', '\\"') + '"'),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)

DEEP = st.sampled_from([3, 60, 250, 400, 1000]).map(
    lambda n: "".join(f"{'  ' * i}k{i}:\n" for i in range(n)) + "  " * n + "x: 1\n"
)

ANSWER_FILES = st.one_of(
    st.lists(st.tuples(st.sampled_from(QUESTION_IDS), YAML_VALUES), max_size=12).map(
        lambda pairs: "".join(f"{key}: {value}\n" for key, value in pairs)
    ),
    st.text(max_size=300),
    DEEP,
)


def _plan_answer_file(resources: Resources, text: str) -> str:
    """What ``run`` does with an answer file, without saving: a status or problems."""
    loaded = load_answers(_scratch("answers.yaml", text))
    if loaded.value is None:
        assert loaded.problems and all(isinstance(p, FileProblem) for p in loaded.problems)
        return "unreadable"
    today = consult_date(loaded.value, None, TODAY)
    if not isinstance(today, date):
        return "bad date"
    outcome = run_answer_file(resources, loaded.value, today)
    if outcome.plan is None:
        assert outcome.problems and all(isinstance(p, str) for p in outcome.problems)
        return "problems"
    return outcome.plan.status


@FUZZ
@given(text=ANSWER_FILES)
def test_any_answer_file_gives_a_plan_or_problems(text: str, resources: Resources) -> None:
    started = time.monotonic()
    assert _plan_answer_file(resources, text) in {
        "unreadable",
        "bad date",
        "problems",
        "planned",
        "refused",
        "contraindicated",
    }
    _bounded(started)


@FUZZ
@given(extra=st.lists(st.tuples(st.sampled_from(QUESTION_IDS), YAML_VALUES), max_size=4))
def test_a_valid_answer_file_with_anything_added_gives_a_plan_or_problems(
    extra: list[tuple[str, str]], resources: Resources
) -> None:
    base = (locations.EXAMPLES_DIR / "full_face.yaml").read_text(encoding="utf-8")
    keys = {key for key, _ in extra}
    kept = "".join(line + "\n" for line in base.splitlines() if line.split(":")[0] not in keys)
    started = time.monotonic()
    _plan_answer_file(resources, kept + "".join(f"{key}: {value}\n" for key, value in extra))
    _bounded(started)


# --- the condition evaluator ----------------------------------------------------------------------------

NAMES = ["sex", "age", "zones", "prior_treatment_date", "asymmetry", "never", "true", "choice", "unknown"]
ATOMS = st.one_of(
    st.sampled_from(NAMES),
    st.sampled_from(
        ["'female'", "'x'", "''", "0", "1", "-1", "0.5", "1e308", "99999999999", "True", "None", "b'x'", "1j", "..."]
    ),
    st.sampled_from(
        [
            "today()",
            "count(zones)",
            "answered(age)",
            "selected(zones, 'glabella')",
            "days_between(prior_treatment_date, today())",
        ]
    ),
    st.sampled_from(["['female', 'male']", "('a',)", "[]", "{'a': 1}", "{1, 2}", "x.y", "x[0]", "f(x)", "lambda: 1"]),
)
OPERATORS = st.sampled_from(
    ["+", "-", "*", "/", "**", "%", "//", "==", "!=", "<", "<=", ">", ">=", "in", "not in", "and", "or", "is", "&", "@"]
)


@st.composite
def expressions(draw: st.DrawFn, depth: int = 0) -> str:
    if depth > 3 or draw(st.booleans()):
        return draw(ATOMS)
    form = draw(st.integers(min_value=0, max_value=3))
    left = draw(expressions(depth + 1))
    if form == 0:
        return f"not {left}" if draw(st.booleans()) else f"-{left}"
    if form == 1:
        return f"({left})"
    if form == 2:
        return f"selected({left}, {draw(expressions(depth + 1))})"
    return f"{left} {draw(OPERATORS)} {draw(expressions(depth + 1))}"


ANSWER_VALUES = st.one_of(
    st.none(),
    st.text(max_size=10),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.sampled_from(["never", "female", "glabella"]),
    st.lists(st.sampled_from(["glabella", "forehead", "x"]), max_size=3).map(tuple),
)


@FUZZ
@given(
    expression=st.one_of(expressions(), st.text(max_size=60)),
    answers=st.dictionaries(st.sampled_from(NAMES), ANSWER_VALUES, max_size=6),
    choice=st.one_of(st.none(), st.text(max_size=5)),
)
def test_a_condition_is_refused_by_check_or_evaluates_to_true_or_false(
    expression: str, answers: dict[str, object], choice: str | None
) -> None:
    started = time.monotonic()
    problems = check_expression(expression, NAMES)
    assert all(isinstance(p, ExpressionProblem) and p.message for p in problems)
    if not problems:
        assert evaluate(expression, answers, TODAY, choice=choice) in (True, False)
    _bounded(started)


# --- the clinic settings ---------------------------------------------------------------------------------

SETTINGS_KEYS = ["name", "saline_ml", "vial_units", "price_per_unit", "currency", "session_max_units", "phone", "other"]
TOML_VALUES = st.one_of(
    st.sampled_from(
        [
            "inf",
            "-inf",
            "nan",
            "1e300",
            "1e-300",
            "0",
            "-1",
            "true",
            "2.5",
            '"USD"',
            '"usd"',
            '"KRW"',
            '"XYZ"',
            '"Clinic\\u001b[2J"',
            '"evil\\u202elive"',
            "[1, 2]",
            "{a = 1}",
            "1979-05-27",
            "[" * 2000 + "]" * 2000,
            '"""multi\nline"""',
        ]
    ),
    st.text(max_size=20).map(lambda t: '"' + t.replace("\\", "\\\\").replace('"', '\\"') + '"'),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
)
SETTINGS_FILES = st.one_of(
    st.lists(st.tuples(st.sampled_from(SETTINGS_KEYS), TOML_VALUES), max_size=8).map(
        lambda pairs: "".join(f"{key} = {value}\n" for key, value in pairs)
    ),
    st.text(max_size=200),
)


@FUZZ
@given(text=SETTINGS_FILES)
def test_any_clinic_settings_file_gives_settings_or_problems(text: str) -> None:
    started = time.monotonic()
    loaded = load_clinic(_scratch("clinic.toml", text))
    if loaded.value is None:
        assert loaded.problems and all(isinstance(p, FileProblem) and p.line >= 1 for p in loaded.problems)
    else:
        settings_ = loaded.value
        for figure in (
            settings_.saline_ml,
            settings_.vial_units,
            settings_.price_per_unit,
            settings_.session_max_units,
        ):
            assert figure is None or 0 <= figure <= 1_000_000
    _bounded(started)
