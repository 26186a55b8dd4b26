"""Issue 22.4, one visit one consult: a draft is claimed by the workstation continuing it. The rule
(pure), and on both stores: two workstations claiming one draft at the same moment, exactly one
wins; a lapsed claim is taken over only on purpose."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.core.lifecycle.claims import Claim, DraftClaimed, claim_words, lapsed, refusal, renewed
from assistant.core.lifecycle.ids import new_record_id
from assistant.core.lifecycle.listing import Draft
from assistant.records import ConsultRepository, TinyDBStore
from assistant.services.draft_claims import DraftClaims
from assistant.services.drafts import list_drafts

AT = datetime(2026, 11, 24, 10, 42, tzinfo=UTC)


def claim(holder: str, by: str, at: datetime = AT, minutes: float = 30) -> Claim:
    return renewed(None, holder, by, at, minutes)


def draft(claimed: Claim | None = None, at: datetime = AT) -> Draft:
    return Draft(
        draft_id=new_record_id(at),
        answers={"patient_name": "Kim Ji-woo"},
        started_at=at,
        updated_at=at,
        script_id="botulax-consult",
        script_version="1.0.0",
        claim=claimed,
    )


def test_a_claim_that_holds_keeps_the_others_out() -> None:
    room_a = claim("a", "Room A")
    assert refusal(None, claim("b", "Room B")) is None, "a draft nobody claims is free"
    assert refusal(room_a, claim("a", "Room A", AT + timedelta(minutes=5))) is None, "its own holder refreshes it"
    refused = refusal(room_a, claim("b", "Room B", AT + timedelta(minutes=29)))
    assert isinstance(refused, DraftClaimed) and not refused.lapsed
    assert str(refused).startswith("This draft is being continued in Room A since ")
    assert claim_words(room_a) == f"being continued in Room A since {AT.astimezone().strftime('%H:%M')}"
    assert refusal(room_a, None) is not None, "a save without a claim does not pass over one that holds"


def test_a_lapsed_claim_is_taken_over_only_on_purpose() -> None:
    room_a = claim("a", "Room A")
    later = AT + timedelta(minutes=31)
    refused = refusal(room_a, claim("b", "Room B", later))
    assert refused is not None and refused.lapsed and "nothing was answered there for 31 minutes" in str(refused)
    taking = claim("b", "Room B", later).model_copy(update={"taken_from": "a"})
    assert refusal(room_a, taking) is None
    wrong = claim("b", "Room B", later).model_copy(update={"taken_from": "someone else"})
    assert refusal(room_a, wrong) is not None


attempts = st.lists(st.tuples(st.sampled_from("abc"), st.integers(0, 40), st.booleans()), max_size=30)


@given(attempts=attempts)
def test_while_a_claim_holds_only_its_holder_saves(attempts: list[tuple[str, int, bool]]) -> None:
    """For any order of saves by three workstations, minutes apart, taking over or not: a save
    passes over another's claim only once that claim has lapsed and the saver takes it over on
    purpose; the holder's own saves and a draft nobody claims always pass."""
    stored: Claim | None = None
    moment = AT
    for holder, minutes, take_over in attempts:
        moment += timedelta(minutes=minutes)
        wanted = renewed(stored if stored and stored.holder == holder else None, holder, holder, moment, 30)
        if take_over and stored is not None:
            wanted = wanted.model_copy(update={"taken_from": stored.holder})
        refused = refusal(stored, wanted)
        free = stored is None or stored.holder == holder
        taken = stored is not None and lapsed(stored, moment) and take_over
        assert (refused is None) == (free or taken)
        if refused is not None:
            assert refused.lapsed == lapsed(refused.claim, moment)
        else:
            stored = wanted


@pytest.fixture(params=["tinydb", "postgres"])
def two_workstations(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[ConsultRepository, ConsultRepository]]:
    """One record, opened by two workstations (two store objects, as two programs would)."""
    if request.param == "tinydb":
        yield TinyDBStore(tmp_path / "data"), TinyDBStore(tmp_path / "data")
        return
    from assistant.records.postgres.store import PostgresStore
    from assistant.records.postgres.url import parse_database_url

    url = request.getfixturevalue("postgres_url")
    stores = PostgresStore(parse_database_url(url)), PostgresStore(parse_database_url(url))
    yield stores
    for store in stores:
        store.close()


def race(kept: Draft, room_a: ConsultRepository, room_b: ConsultRepository) -> dict[str, str]:
    """Rooms A and B save ``kept`` with their own claims at the same moment (a barrier)."""
    start = threading.Barrier(2)
    outcome: dict[str, str] = {}

    def resume(store: ConsultRepository, name: str) -> None:
        mine = kept.model_copy(update={"claim": claim(name, name, AT + timedelta(minutes=1))})
        start.wait()
        try:
            store.save_draft(mine)
            outcome[name] = "won"
        except DraftClaimed as refused:
            outcome[name] = str(refused)

    threads = [threading.Thread(target=resume, args=(s, n)) for s, n in ((room_a, "A"), (room_b, "B"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcome


def test_two_workstations_resuming_one_draft_at_once_exactly_one_wins(
    two_workstations: tuple[ConsultRepository, ConsultRepository],
) -> None:
    room_a, room_b = two_workstations
    for round_ in range(8):
        kept = draft(at=AT + timedelta(seconds=round_))
        room_a.save_draft(kept)  # left unclaimed (an older program's, or this computer's copy)
        outcome = race(kept, room_a, room_b)
        assert sorted(outcome.values()).count("won") == 1, outcome
        winner = next(n for n, o in outcome.items() if o == "won")
        loser = "B" if winner == "A" else "A"
        assert outcome[loser].startswith(f"This draft is being continued in {winner} since ")
        stored = room_b.get_draft(kept.draft_id)
        assert stored is not None and stored.claim is not None and stored.claim.holder == winner


def test_the_list_says_who_continues_a_draft_and_a_lapsed_one_is_taken_over(
    two_workstations: tuple[ConsultRepository, ConsultRepository],
) -> None:
    room_a, room_b = two_workstations
    now = datetime.now(UTC)
    a = DraftClaims(who=lambda: "Ina Choi", minutes=lambda: 30)
    b = DraftClaims(who=lambda: None, workstation="room-b")
    kept = draft(at=now)
    room_a.save_draft(a.resumed(kept, now))
    [entry] = list_drafts(room_b, holder=b.holder)
    assert entry.elsewhere is not None and entry.elsewhere.startswith("being continued in Ina Choi since ")
    with pytest.raises(DraftClaimed) as refused:
        room_b.save_draft(b.resumed(kept, now + timedelta(minutes=1)))
    assert not refused.value.lapsed
    stored = room_b.get_draft(kept.draft_id)
    assert stored is not None
    later = now + timedelta(minutes=45)
    with pytest.raises(DraftClaimed) as refused:
        room_b.save_draft(b.resumed(stored, later))
    assert refused.value.lapsed, "lapsed: offered to take over, never taken without asking"
    room_b.save_draft(b.resumed(stored, later, take_over=True))
    taken = room_a.get_draft(kept.draft_id)
    assert taken is not None and taken.claim is not None and taken.claim.by == "room-b"
    with pytest.raises(DraftClaimed):  # room A's next answer no longer overwrites it
        room_a.save_draft(kept.model_copy(update={"claim": a.claim(kept.draft_id, later)}))


def test_a_released_claim_leaves_the_draft_free() -> None:
    """The app quit with the consult unfinished: its claim is released, so the same workstation
    started again (another holder) or another continues it at once."""
    left = claim("a", "Room A").model_copy(update={"released": True})
    assert refusal(left, claim("b", "Room B", AT + timedelta(minutes=1))) is None
    kept = draft(left)
    from assistant.services.drafts import claimed_elsewhere

    assert claimed_elsewhere(kept, "b", AT + timedelta(minutes=1)) is None, "not listed as being continued"
