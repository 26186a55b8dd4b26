"""Which tests are slow: ``pytest -m "not slow"`` runs the rest, the core (about 30 s on two cores).

A test is slow when it takes seconds rather than milliseconds: a PostgreSQL server (any test using
``postgres_server`` or ``postgres_url``, and the PostgreSQL half of the ``cli`` and ``repository``
fixtures), a whole consult driven through the UI with Pilot, PDFs rendered and read back, printing
through CUPS, many Hypothesis examples, processes racing and killed, or whole command-line
workflows with staff PINs. The marker is given here, in one place, by file and by fixture, so a new
test of that kind is slow without anyone remembering to say so; a single slow test in a fast file
says ``@pytest.mark.slow`` itself.
"""

from __future__ import annotations

from pathlib import Path

import pytest

SLOW_FILES = frozenset(
    {
        # the UI, driven by Pilot through whole consults (and every test_tui_ file: see is_slow)
        "test_documents_given.py",
        "test_dose_summary.py",
        "test_setup.py",
        "test_words.py",
        # PDFs made and read back, and printing through a CUPS server of the tests' own
        "test_document_layout.py",
        "test_documents.py",
        "test_documents_korean.py",
        "test_pdf_reuse.py",
        "test_printing.py",
        # many Hypothesis examples
        "test_asymmetry_properties.py",
        "test_dose_arithmetic.py",
        "test_fuzz_inputs.py",
        "test_give_limits_properties.py",
        "test_lifecycle_properties.py",
        "test_planner_properties.py",
        "test_register_properties.py",
        "test_verify_any_byte.py",
        # spreadsheets written and read back (openpyxl), the whole script each time
        "test_check_what_breaks.py",
        "test_script_diff.py",
        "test_script_workbook.py",
        "test_script_workbook_problems.py",
        # processes racing, killed half way, or many at once
        "test_killed_saves.py",
        "test_pin_lockout.py",
        "test_records_concurrency.py",
        "test_indexes.py",
        # whole command-line workflows with staff PINs (Argon2 is slow on purpose) and verified trails
        "test_audit_acknowledge.py",
        "test_audit_every_problem.py",
        "test_checkpoints.py",
        "test_cli_doses.py",
        "test_cli_give_limits.py",
        "test_cli_lifecycle.py",
        "test_cli_timing.py",
        "test_cli_vials.py",
        "test_fhir_bundle.py",
        "test_input_limits.py",
        "test_nesting_bounds.py",
        "test_output_paths.py",
        "test_patient_register.py",
        "test_reason_limits.py",
        "test_register_copy.py",
        "test_register_verify.py",
        "test_signed_acts.py",
        "test_staff_names.py",
        "test_vial_ledger_trail.py",
        "test_vials.py",
    }
)

SLOW_PREFIXES = ("test_postgres", "test_tui_")
"""A PostgreSQL server, or the UI driven by Pilot: a new file of either kind is slow by its name
(six Pilot files missing from the list above had made ``-m "not slow"`` take two minutes)."""

POSTGRES_FIXTURES = frozenset({"postgres_server", "postgres_url"})
STORE_FIXTURES = ("cli", "repository")


def is_slow(item: pytest.Item) -> bool:
    name = Path(str(item.fspath)).name
    if name in SLOW_FILES or name.startswith(SLOW_PREFIXES):
        return True
    if POSTGRES_FIXTURES & set(getattr(item, "fixturenames", ())):
        return True
    callspec = getattr(item, "callspec", None)
    return callspec is not None and any(callspec.params.get(name) == "postgres" for name in STORE_FIXTURES)


def mark_slow(items: list[pytest.Item]) -> None:
    """Give the ``slow`` marker to every slow test (see the module's docstring)."""
    for item in items:
        if is_slow(item):
            item.add_marker(pytest.mark.slow)
