"""Recall by lot, who is due, and the stock report, read through the repository interface."""

from __future__ import annotations

import datetime as dt

from assistant.core.knowledge import KnowledgeBase
from assistant.core.lifecycle.tracing import DueEntry, RecallRow, UsageReport, due, treatments_needed, usage
from assistant.records.repository import ConsultRepository


def recall(repository: ConsultRepository, lot: str) -> list[RecallRow]:
    return repository.recall(lot.strip())


def who_is_due(repository: ConsultRepository, kb: KnowledgeBase, on: dt.date, days: int) -> list[DueEntry]:
    start, end = treatments_needed(kb.timing, on, days)
    return due(repository.treatments(start, end), kb.timing, on, days)


def stock(repository: ConsultRepository, start: dt.date, end: dt.date) -> UsageReport:
    return usage(repository.treatments(start, end), repository.vials(), start, end)
