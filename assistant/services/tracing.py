"""Recall by lot, who is due, and the stock report, read through the repository interface."""

from __future__ import annotations

import datetime as dt

from assistant.core.knowledge import KnowledgeBase
from assistant.core.lifecycle.tracing import (
    DueEntry,
    RecallRow,
    UsageReport,
    due,
    due_window,
    treatments_needed,
    usage,
)
from assistant.records.repository import ConsultRepository


def recall(repository: ConsultRepository, lot: str) -> list[RecallRow]:
    return repository.recall(lot.strip())


def who_is_due(repository: ConsultRepository, kb: KnowledgeBase, on: dt.date, days: int) -> list[DueEntry]:
    ranges = treatments_needed(kb.timing, on, days)
    candidates = {t.consult_id: t for start, end in ranges for t in repository.treatments(start, end)}
    if candidates:
        first = min(t.date for t in candidates.values())
        keys = sorted({t.patient_key for t in candidates.values()})
        for later in repository.treatments_of(keys, first, due_window(on, days)[1]):
            candidates.setdefault(later.consult_id, later)
    return due(list(candidates.values()), kb.timing, on, days)


def stock(repository: ConsultRepository, start: dt.date, end: dt.date) -> UsageReport:
    return usage(repository.treatments(start, end), repository.vials(), start, end)
