"""``audit acknowledge ENTRY --by DIRECTOR --reason TEXT`` (issue 20, section 2): a medical director's
signed act that marks a known, explained problem. ``audit verify`` still lists it, marked, goes on to
check everything after it, and exits 0 once every problem it finds is acknowledged; a later, different
change to the same entry is not covered. On both stores.
"""

from __future__ import annotations

import datetime as dt

from assistant.core.lifecycle import acknowledged
from assistant.core.text_safety import MAX_REASON_LENGTH
from assistant.services import audit_trail
from tests.helpers import DIRECTOR, INJECTOR, PINS, Cli
from tests.test_audit_every_problem import change_entry, seq_of
from tests.test_signed_acts import clinic, given_and_signed  # noqa: F401  (the fixture, with its staff)

REASON = "restored from the Monday backup after a disk fault; checked against the paper chart"


def acknowledge(cli: Cli, entry: int, by: str = DIRECTOR, *more: str) -> tuple[int, str, str]:
    return cli("audit", "acknowledge", str(entry), "--by", by, *more, "--pin-stdin", pins=(PINS[by],))


def test_an_acknowledged_problem_is_still_listed_marked_and_verify_passes(clinic: Cli) -> None:  # noqa: F811
    given_and_signed(clinic)
    given = seq_of(clinic, "given")
    change_entry(clinic, given, detail="300 U")
    code, _, err = acknowledge(clinic, given, DIRECTOR, "--reason", REASON)
    assert code == 0, err
    [act] = [e for e in clinic.json("audit") if e["action"] == "acknowledged"]  # type: ignore[union-attr]
    assert act["actor"] == DIRECTOR and act["signature"] and act["data"]["entry"] == given
    code, out, err = clinic("audit", "verify")
    assert code == 0, err
    assert "every problem found is acknowledged" in out
    on = act["at"][:10]
    assert f"audit entry {given} (given) was changed after it was written. (acknowledged by {DIRECTOR} on {on}: " in err
    assert REASON in err


def test_a_later_different_change_to_the_same_entry_is_not_covered(clinic: Cli) -> None:  # noqa: F811
    given_and_signed(clinic)
    given = seq_of(clinic, "given")
    change_entry(clinic, given, detail="300 U")
    assert acknowledge(clinic, given, DIRECTOR, "--reason", REASON)[0] == 0
    change_entry(clinic, given, detail="800 U")
    code, _, err = clinic("audit", "verify")
    assert code == 1
    assert f"audit verify failed: audit entry {given} (given) was changed after it was written." in err
    assert "acknowledged by" not in err


def test_an_acknowledged_problem_does_not_hide_another_one(clinic: Cli) -> None:  # noqa: F811
    given_and_signed(clinic)
    given, signed = seq_of(clinic, "given"), seq_of(clinic, "signed")
    change_entry(clinic, given, detail="300 U")
    change_entry(clinic, signed, detail="by someone else")
    assert acknowledge(clinic, given, DIRECTOR, "--reason", REASON)[0] == 0
    code, _, err = clinic("audit", "verify")
    assert code == 1
    assert f"audit entry {given} (given) was changed after it was written. (acknowledged by {DIRECTOR}" in err
    assert f"audit verify failed: audit entry {signed} (signed) was changed after it was written.\n" in err


def test_who_may_acknowledge_what_and_why(clinic: Cli) -> None:  # noqa: F811
    given_and_signed(clinic)
    given = seq_of(clinic, "given")
    change_entry(clinic, given, detail="300 U")
    before = len(clinic.json("audit"))  # type: ignore[arg-type]

    code, _, err = acknowledge(clinic, given, INJECTOR, "--reason", REASON)
    assert code == 5 and "Only a medical director may acknowledge" in err
    code, _, err = acknowledge(clinic, given, DIRECTOR)
    assert code == 2 and "needs its reason (--reason)" in err
    code, _, err = acknowledge(clinic, given, DIRECTOR, "--reason", "x" * (MAX_REASON_LENGTH + 1))
    assert code == 2 and f"at most {MAX_REASON_LENGTH} characters" in err
    code, _, err = acknowledge(clinic, given - 1, DIRECTOR, "--reason", REASON)
    assert code == 2 and f"audit entry {given - 1} has no problem to acknowledge" in err
    code, _, err = acknowledge(clinic, 999, DIRECTOR, "--reason", REASON)
    assert code == 2 and "audit entry 999 has no problem to acknowledge" in err
    code, _, err = clinic("audit", "acknowledge", "four", "--by", DIRECTOR, "--reason", REASON)
    assert code == 2 and "the number of the audit entry" in err
    assert len(clinic.json("audit")) == before, "nothing was written"  # type: ignore[arg-type]

    assert acknowledge(clinic, given, DIRECTOR, "--reason", REASON)[0] == 0
    code, _, err = acknowledge(clinic, given, DIRECTOR, "--reason", REASON)
    assert code == 2 and "already acknowledged" in err


def test_an_acknowledgement_written_without_the_directors_pin_does_not_count(clinic: Cli) -> None:  # noqa: F811
    given_and_signed(clinic)
    given = seq_of(clinic, "given")
    change_entry(clinic, given, detail="300 U")
    store = clinic.repository()  # the store itself, as file or database access reaches it: nothing signs
    [problem] = audit_trail.check(store).findings
    forged = acknowledged.event(given, [problem], DIRECTOR, REASON, dt.datetime.now(dt.UTC))
    entry = store.record_event(forged)
    code, _, err = clinic("audit", "verify")
    assert code == 1
    assert f"audit verify failed: audit entry {given} (given) was changed after it was written.\n" in err
    assert f"audit entry {entry.seq} (acknowledged by {DIRECTOR}) is not signed by {DIRECTOR}" in err
