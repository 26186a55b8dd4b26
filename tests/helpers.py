"""Helpers for tests: answer sets to start from."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

TODAY = date(2026, 11, 24)
BEFORE_THE_LOT = {  # full_face.yaml's answers before the lot question, but for the name and language
    "patient_id": "P-1042", "date_of_birth": "1988-05-14", "sex": "female", "pregnant_or_breastfeeding": False,
    "neuromuscular_disorder": False, "infection_at_site": False, "toxin_allergy": False, "aminoglycosides": False,
    "zones": ["glabella", "forehead", "crows_feet"], "skin_thickness": "normal", "muscle_strength": "average",
    "effect": "standard", "prior_treatment_date": "never", "asymmetries": [], "goals": "Look less tired.",
}  # fmt: skip


def date_of_birth_for(age: int) -> str:
    """A date of birth that makes the patient ``age`` on TODAY (and all year long)."""
    return f"{TODAY.year - age - 1}-12-31"


def base_answers(**overrides: object) -> dict[str, object]:
    """A complete, unremarkable consult; tests override what they are about. The age is given as a
    date of birth (``age=60`` gives one that makes her 60 on TODAY), unless ``age_only=True`` asks
    for a file as written before the date of birth was asked."""
    age_only = bool(overrides.pop("age_only", False))
    answers: dict[str, object] = {
        "patient_name": "Test Patient",
        "sex": "female",
        "pregnant_or_breastfeeding": False,
        "neuromuscular_disorder": False,
        "infection_at_site": False,
        "toxin_allergy": False,
        "aminoglycosides": False,
        "zones": ["glabella"],
        "age": 35,
        "skin_thickness": "normal",
        "muscle_strength": "average",
        "effect": "standard",
        "prior_treatment_date": "never",
    }
    answers.update(overrides)
    if not age_only and "date_of_birth" not in overrides:
        answers["date_of_birth"] = date_of_birth_for(int(answers.pop("age")))  # type: ignore[call-overload]
    elif "date_of_birth" in overrides and "age" not in overrides:
        answers.pop("age")
    return answers


def keep(repository: object, record: object) -> object:
    """Save ``record`` as the program does: the version with its audit entry ("consult saved" for v1)."""
    from assistant.core.lifecycle.audit import AuditEvent

    at = record.revision.at if record.revision else record.finished_at  # type: ignore[attr-defined]
    return repository.save(record, AuditEvent.for_version(record, record.staff, at))  # type: ignore[attr-defined]


def pin_calendar(monkeypatch: pytest.MonkeyPatch, day: date) -> None:
    """Make ``day`` the real date the program reads (``assistant.clock.today``), so that a test may
    date consults after the machine's own calendar, or check the back-entry mark on a known day."""
    monkeypatch.setattr("assistant.clock.today", lambda: day)


DIRECTOR, INJECTOR, JUNIOR = "Dr Mina Seo", "Ina Choi", "Jun Park"
PINS = {DIRECTOR: "471100", INJECTOR: "258000", JUNIOR: "135700"}


class Cli:
    """The command line as a clinic's script calls it, on one store: ``kind`` "tinydb" (``--data-dir``)
    or "postgres" (``--database``)."""

    def __init__(
        self,
        data: Path,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
        database: str | None = None,
        server: object = None,
    ) -> None:
        self.data = data
        self.capsys = capsys
        self.monkeypatch = monkeypatch
        self.database = database
        self.server = server
        self.kind = "postgres" if database else "tinydb"
        self.consent_on_refusal = True
        """A ``give`` (or ``amend --given``) refused for want of the patient's consent records it (as the
        giver, witnessed by the front desk) and is given again, as a clinic would: tests about something
        else need not say it. Tests of the consent rule set this False."""

    @property
    def database_name(self) -> str:
        from assistant.records.postgres.url import parse_database_url

        assert self.database is not None
        return parse_database_url(self.database).database

    @property
    def store_args(self) -> list[str]:
        return ["--database", self.database] if self.database else ["--data-dir", str(self.data)]

    def repository(self):  # type: ignore[no-untyped-def]
        from assistant.records import open_repository

        return open_repository(self.data, self.database)

    def __call__(self, *args: str, pins: tuple[str, ...] = ()) -> tuple[int, str, str]:
        if args and args[0] == "run" and "--staff" in args and "--pin-stdin" not in args and not pins:
            staff = args[args.index("--staff") + 1]
            if staff in PINS:  # a clinic's script running a consult as an account gives its PIN
                args, pins = (*args, "--pin-stdin"), (PINS[staff],)
        code, out, err = self._run(args, pins)
        if code == 5 and self.consent_on_refusal and "Consent form 'treatment'" in err and self._consent(args, pins):
            code, out, err = self._run(args, pins)
        return code, out, err

    def _run(self, args: tuple[str, ...], pins: tuple[str, ...]) -> tuple[int, str, str]:
        self.monkeypatch.setattr("sys.stdin", io.StringIO("".join(f"{pin}\n" for pin in pins)))
        from assistant.cli import main

        code = main([*args, *self.store_args])
        out, err = self.capsys.readouterr()
        return code, out, err

    def _consent(self, args: tuple[str, ...], pins: tuple[str, ...]) -> bool:
        """Record the current consent for the consult a refused ``give``/``amend`` names, by its ``--by``
        with the PIN it was given (the same sources and store: ``--script`` may name another prompts
        folder, ``--database`` another role)."""
        if args[0] not in ("give", "amend") or "--by" not in args or not pins:
            return False
        by = args[args.index("--by") + 1]
        sources = [
            word
            for flag in ("--script", "--knowledge", "--clinic", "--database", "--data-dir")
            if flag in args
            for word in (flag, args[args.index(flag) + 1])
        ]
        consent = ("consent", "record", args[1], "--version", "current", "--witness", "Front desk", "--by", by)
        code, _, err = self._run((*consent, *sources, "--pin-stdin"), pins[:1])
        assert code == 0, err
        return True

    def json(self, *args: str) -> object:
        code, out, err = self(*args, "--format", "json")
        assert code == 0, err
        return json.loads(out)


def copy_sources(folder: Path) -> tuple[Path, Path]:
    """A copy of the shipped script and knowledge folder that a test may edit: (script, knowledge).

    Both versions are raised ("-copy"), as a trainer raises them before editing: ``check`` compares a
    copy that keeps the shipped version with the shipped files and warns when they differ."""
    from assistant import locations

    knowledge = folder / "knowledge"
    shutil.copytree(locations.KNOWLEDGE_DIR, knowledge)
    script = folder / "consult.yaml"
    shutil.copy(locations.SCRIPT_FILE, script)
    for path in (script, knowledge / "sources.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(
            re.sub(r'(?m)^version: "?([^"\n]+?)"?$', r'version: "\1-copy"', text, count=1), encoding="utf-8"
        )
    return script, knowledge


def edit(path: Path, old: str, new: str) -> int:
    """Replace the first ``old`` in a file; returns the 1-based line it was on."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text.count("\n", 0, text.index(old)) + 1


def owner_only_file(path: Path, text: str) -> Path:
    """A settings file as its owner would keep it (0600), so only its contents are under test."""
    path.write_text(text, encoding="utf-8")
    os.chmod(path, 0o600)
    return path


def run_limited(
    argv: list[str], seconds: float, *, memory: int | None = None
) -> subprocess.CompletedProcess[str] | None:
    """Run a child process from the repository with a time (and memory) limit; None when it was
    still running at the limit, so code that hangs fails its test instead of hanging the suite."""
    import resource

    from assistant import locations

    def limit() -> None:
        if memory is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    try:
        return subprocess.run(
            argv, capture_output=True, text=True, timeout=seconds, preexec_fn=limit, cwd=locations.PACKAGE_DIR.parent
        )
    except subprocess.TimeoutExpired:
        return None


def record_consent(cli: Cli, consult_id: str, by: str = INJECTOR) -> None:
    """The patient's signed consent recorded (the form in use), as a clinic does before giving."""
    code, _, err = cli(
        "consent", "record", consult_id, "--version", "current", "--witness", "Front desk", "--by", by,
        "--pin-stdin", pins=(PINS[by],),
    )  # fmt: skip
    assert code == 0, err


def consented(
    desk: object, consult_id: str, kb: object, by: str = INJECTOR, pin: str | None = None, forms: object = None
) -> None:
    """The patient's signed consent recorded through the service (the form in use), before a give;
    ``forms`` read once by a test that records many (None: the service reads the shipped ones)."""
    from assistant.services.consent import record_consent

    record_consent(
        desk, consult_id, by, pin or PINS[by], kb,  # type: ignore[arg-type]
        version="current", witness="Front desk", photos=False, forms=forms,  # type: ignore[arg-type]
    )  # fmt: skip
