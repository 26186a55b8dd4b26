"""Commands that run a consult: the UI, and ``run`` (an answer file planned and kept headless).

``ask``, ``check`` and ``rehearse``, about the script and the knowledge base, are in
``script_and_knowledge``.
"""

from __future__ import annotations

import argparse
import gc
import json
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from assistant import clock
from assistant.cli.common import (
    EXIT_INVALID,
    EXIT_OK,
    STATUS_EXIT,
    data_dir,
    emit,
    open_store,
    print_problems,
    say,
)
from assistant.cli.parser import add_data_dir, add_sources, iso_date, one_line_text
from assistant.cli.pins import add_pin_stdin
from assistant.core.dates import future_problem
from assistant.core.text import counted
from assistant.tui.escape_delay import set_escape_delay

if TYPE_CHECKING:
    from assistant.core.lifecycle.register import Identity
    from assistant.core.lifecycle.staff import Role
    from assistant.core.plan import EarlierDoses, RecordedTreatments
    from assistant.files.clinic_file import Loaded
    from assistant.files.resources import Resources
    from assistant.services.desk import Desk


def cmd_run(args: argparse.Namespace) -> int:
    from assistant.documents import RenderError, render_summary
    from assistant.files.loaders import load_answers
    from assistant.files.output import OutputError
    from assistant.files.resources import load_resources
    from assistant.records import RecordsError
    from assistant.services.headless import consult_date, run_answer_file

    loaded = load_resources(args.script, args.knowledge, args.clinic)
    if loaded.value is None:
        print_problems(loaded.problems)
        say("botulax-consult: cannot plan: the files above have problems.")
        return EXIT_INVALID
    resources = loaded.value
    answers = load_answers(args.answers)
    if answers.value is None:
        print_problems(answers.problems)
        return EXIT_INVALID
    real_today = clock.today()
    today = consult_date(answers.value, args.today, real_today)
    where = f"{answers.value.located.file}:{answers.value.located.line_of(('today',))}"
    if not isinstance(today, date):
        print_problems([f"{where}: {today}"])
        return EXIT_INVALID
    future = future_problem(today, real_today)
    if future is not None:
        print_problems([f"--today: {future}." if args.today is not None else f"{where}: today: {future}."])
        say(f"botulax-consult: nothing was planned from {args.answers}.")
        return EXIT_INVALID
    from assistant.core.consult import Consult
    from assistant.core.plan import EarlierDoses
    from assistant.services import patients
    from assistant.services.earlier import earlier_doses, recorded_treatments

    repository = open_store(args)
    identified: list[Identity] = []

    def lookup(consult: Consult, window: int) -> EarlierDoses:
        identifiers = patients.identifiers_from(consult.answers)
        assert identifiers is not None
        identity = patients.identify(repository, identifiers)
        identified.append(identity)
        key = patient_for_plan(identity, args)
        if key is None and identifiers.confirmable:  # a new patient: nothing was given before
            return EarlierDoses(units=0, window_days=window)
        return earlier_doses(repository, key, consult.today, window)

    def recorded(consult: Consult) -> RecordedTreatments:
        """The doses given to the patient the earlier-doses look-up identified (none: a new patient)."""
        return recorded_treatments(repository, patient_for_plan(identified[-1], args), consult.today)

    named = partial(patients.linked_name, repository, confirmed=args.patient)  # as her record writes her name
    outcome = run_answer_file(resources, answers.value, today, lookup, recorded, named)
    print_problems(outcome.notes)
    if outcome.plan is None:
        print_problems(outcome.problems)
        say(f"botulax-consult: {counted(len(outcome.problems), 'problem')} in {args.answers}; nothing was planned.")
        return EXIT_INVALID
    plan = outcome.plan
    consult_id = None
    staff = None
    from assistant.services.same_day import same_day_note

    key = patient_for_plan(identified[-1], args) if identified and not args.no_save else None
    same_day, words = same_day_note(repository, key, today, refuse=args.one_consult_per_visit)
    if same_day is not None:
        say(f"botulax-consult: {words}")
        if args.one_consult_per_visit:
            return EXIT_INVALID
    if not args.no_save:
        from assistant.files.user_config import read_user_config
        from assistant.services.desk import Desk
        from assistant.services.recording import make_record, now, save_new

        assert outcome.consult is not None
        named = args.staff
        if named is None:
            remembered = read_user_config()
            print_problems([f"{p} Your remembered name was not used." for p in remembered.problems])
            named = remembered.value.staff_name if remembered.value else None
        desk = Desk(repository)
        staff, role = running_staff(desk, named, args)
        repository = desk.repository  # every act from here on signed by who ran it
        try:
            patient = patients.attach(
                repository,
                identified[-1],
                now(),
                confirmed=args.patient,
                new_patient=args.new_patient,
                actor=staff,
            )
            record = make_record(
                plan,
                outcome.consult.answers,
                started_at=now(),
                staff=staff,
                staff_role=role,
                resources=resources,
                require_cosign=resources.clinic.require_cosign,
                patient_key=patient,
            )
            consult_id = save_new(repository, record, resources).consult_id
        except RecordsError as error:
            say(f"botulax-consult: the consult was planned but not saved: {error}")
            return EXIT_INVALID
        say(f"Saved as consult {consult_id}.")
    kept = f"the consult was kept as consult {consult_id}" if consult_id else "no consult was kept (--no-save)"
    try:
        if args.format == "json":
            payload = {**plan.model_dump(mode="json"), "consult_id": consult_id, "same_day_consult": same_day}
            emit(json.dumps(payload, indent=2, ensure_ascii=False), json_text=True)
        else:
            assert outcome.consult is not None
            try:
                summary = render_summary(
                    plan,
                    resources.kb,
                    resources.clinic,
                    "text",
                    staff=staff if consult_id else (args.staff or None),
                    answers=outcome.consult.answers,
                    templates_dir=resources.templates_dir,
                    script=resources.script,
                    trail=repository.audit_head() if consult_id else None,
                )
            except RenderError as error:
                say(f"botulax-consult: {error}; {kept}.")
                return EXIT_INVALID
            emit(summary, end="")
    except OutputError as error:
        say(f"botulax-consult: {error}; {kept}.")
        return EXIT_INVALID
    return STATUS_EXIT[plan.status]


def patient_for_plan(identity: Identity, args: argparse.Namespace) -> str | None:
    """The register key whose earlier doses count for this plan; refuses (``RegisterRefused``) a
    clinic number held by another person and a suggestion nobody decided on (``--patient KEY``,
    ``--new-patient``), before anything is planned."""
    from assistant.core.lifecycle.register import RegisterRefused, conflict_words, linked
    from assistant.services.patients import suggestion_words

    identifiers = identity.identifiers
    if identity.conflict is not None:
        assert identifiers.clinic_number is not None
        raise RegisterRefused(conflict_words(identifiers.clinic_number, identity.conflict))
    if (patient := linked(identity, args.patient)) is not None:  # matched, or the suggestion named
        return patient.patient_key
    if args.patient is not None:
        raise RegisterRefused(f"{args.patient} is not a patient these identifiers suggest.")
    if identity.suggestions and not args.new_patient:
        raise RegisterRefused(suggestion_words(identity))
    return None  # a new patient (nothing given before), or one without two identifiers


def running_staff(desk: Desk, name: str | None, args: argparse.Namespace) -> tuple[str | None, Role | None]:
    """Who ran the consult, and their role. Once the record has staff accounts a name is an account
    whose PIN is asked (``--pin-stdin``), so nobody is named without their PIN and the consult is
    signed by who ran it; a consult naming nobody is kept as "not named". Before any account, any
    name is kept as it is."""
    from assistant.cli.pins import PinReader
    from assistant.core.lifecycle.staff import require
    from assistant.services.staff import authenticate, find

    if name is None:
        return None, None
    if not desk.repository.staff():
        return name, None
    known = find(desk, name)  # an unknown or disabled account is said before any PIN is asked
    require(known, "run", desk.clock())
    whose = "" if args.staff else f" {name} is the name remembered from the consult UI; --staff NAME says who ran it."
    account = authenticate(desk, name, PinReader(args).read(f"PIN of {name}: ", whose), "run")
    return account.name, account.role


def cmd_ui(args: argparse.Namespace) -> int:
    """Start the consult UI. When the script and knowledge are unchanged since they last passed
    every check, the first question is drawn before the engine loads (see assistant.startup)."""
    from assistant import locations, startup

    key = startup.cache_key(
        *startup.file_hashes(args.script or locations.SCRIPT_FILE, args.knowledge or locations.KNOWLEDGE_DIR)
    )
    first = startup.read_first(key)
    real_today = clock.today()
    today = args.today or real_today
    future = future_problem(today, real_today)
    if future is not None:
        say(f"botulax-consult: --today: {future}.")
        return EXIT_INVALID

    def loader() -> Loaded[Resources]:
        from assistant.files.resources import load_resources

        return load_resources(args.script, args.knowledge, args.clinic)

    folder = data_dir(args)
    ask_clinic = args.clinic is None and not locations.user_clinic_file().is_file()  # none anywhere: asked once
    if first is not None:  # back on once the first frame is drawn (assistant.tui.start_up): Python's cycle
        gc.disable()  # collector ran some twenty times while it was made, for nothing (4% of its instructions)
    try:
        set_escape_delay()  # before Textual is imported (the next line), which reads it once
        from assistant.tui.app import make_app

        resources = None  # drawn from the snapshot while the engine loads, or loaded now
        if first is None:
            loaded = loader()
            if loaded.value is None:
                print_problems(loaded.problems)
                say("botulax-consult: cannot start: the files above have problems (botulax-consult check).")
                return EXIT_INVALID
            resources = loaded.value
        app = make_app(
            resources, today, loader=loader, first=first, data_dir=folder, trainer=args.trainer,
            ask_clinic=ask_clinic, database=getattr(args, "database", None),
        )  # fmt: skip
        app.run()
    finally:
        gc.enable()
    return app.return_code or EXIT_OK


def register(commands: argparse._SubParsersAction) -> None:
    run = commands.add_parser("run", help="plan a consult from an answer file and print the dose summary")
    run.add_argument("answers", type=Path, metavar="ANSWERS.yaml")
    run.add_argument(  # default SUPPRESS: the date given before the command word stays (None overwrote it)
        "--today", type=iso_date, metavar="YYYY-MM-DD", default=argparse.SUPPRESS,
        help="the consult date (default: the file's today:, else the system date)",
    )  # fmt: skip
    run.add_argument("--format", choices=("text", "json"), default="text")
    run.add_argument("--no-save", action="store_true", help="plan only; keep no record")
    who = run.add_mutually_exclusive_group()
    who.add_argument(
        "--patient",
        metavar="KEY",
        help="the registered patient this is, when the record suggests one (the key it lists)",
    )
    who.add_argument(
        "--new-patient", action="store_true", help="a different person from the patients the record suggests"
    )
    run.add_argument(
        "--one-consult-per-visit",
        action="store_true",
        help="keep nothing (exit 2) when the patient has a consult planned or given on its date (else: a warning)",
    )
    run.add_argument(
        "--staff",
        type=one_line_text,
        metavar="NAME",
        help="who ran the consult (default: your remembered name); once there are staff accounts, their PIN is asked",
    )
    add_pin_stdin(run)
    add_sources(run)
    add_data_dir(run)
    run.set_defaults(handler=cmd_run)
