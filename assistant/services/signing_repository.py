"""The repository as the use cases see it: every act of a person is signed on its way into the trail.

A thin wrapper around a store. Each call that appends an audit event (a record version, a staff or
vial change, a register change, an event) has its event signed by the actor's unsealed key from the
``Keyring`` (the store chains it, and the signature covers the entry it follows). A person's act by an
account that has a key, whose PIN was not typed in this program, is refused: nobody signs for
someone else. Everything else passes straight through to the store. ``after_act``, when set, is told
of each act once it is kept (the daily checkpoint, ``daily_checkpoint``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from assistant.core.lifecycle.audit import AuditEvent
from assistant.core.lifecycle.ids import normalise_name
from assistant.core.lifecycle.photo_rules import PhotoBytes
from assistant.core.lifecycle.record import ConsultRecord
from assistant.core.lifecycle.register import Patient
from assistant.core.lifecycle.signing import PERSONAL_ACTS, signer_for
from assistant.core.lifecycle.staff import NotPermitted, StaffAccount
from assistant.core.lifecycle.vials import Vial
from assistant.records.repository import ConsultRepository
from assistant.services.keys import Keyring


class SigningRepository:
    def __init__(self, store: ConsultRepository, keyring: Keyring) -> None:
        self.store = store
        self.keyring = keyring
        self.after_act: Callable[[SigningRepository, AuditEvent], None] | None = None

    def _kept(self, event: AuditEvent | None) -> None:
        if event is not None and self.after_act is not None:
            self.after_act(self, event)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)

    def signed(self, event: AuditEvent | None) -> AuditEvent | None:
        if event is None or not event.actor:
            return event
        key = self.keyring.keys.get(normalise_name(event.actor))
        if key is not None:
            return event.signed_with(signer_for(key))
        if event.action in PERSONAL_ACTS:
            account = self.store.staff_account(event.actor)
            if account is not None and account.public_key:
                raise NotPermitted(
                    f"{account.name}'s PIN is needed to sign this ({event.action}); nothing was written."
                )
        return event

    def save(self, record: ConsultRecord, event: AuditEvent, draws: Sequence[tuple[str, float]] = ()) -> ConsultRecord:
        kept = self.store.save(record, self.signed(event), draws)  # type: ignore[arg-type]
        self._kept(event)
        return kept

    def add_photos(self, record: ConsultRecord, event: AuditEvent, photos: Sequence[PhotoBytes]) -> ConsultRecord:
        kept = self.store.add_photos(record, self.signed(event), photos)  # type: ignore[arg-type]
        self._kept(event)
        return kept

    def save_staff(self, account: StaffAccount, event: AuditEvent | None) -> StaffAccount:
        kept = self.store.save_staff(account, self.signed(event))
        self._kept(event)
        return kept

    def add_staff(self, account: StaffAccount, event: AuditEvent, still_allowed: Any) -> StaffAccount:
        kept = self.store.add_staff(account, self.signed(event), still_allowed)  # type: ignore[arg-type]
        self._kept(event)
        return kept

    def save_vial(self, vial: Vial, event: AuditEvent) -> Vial:
        kept = self.store.save_vial(vial, self.signed(event))  # type: ignore[arg-type]
        self._kept(event)
        return kept

    def save_patients(self, patients: Sequence[Patient], event: AuditEvent | None) -> None:
        self.store.save_patients(patients, self.signed(event))
        self._kept(event)

    def rebuild_indexes(self, event: Callable[[list[str]], AuditEvent]) -> list[str]:
        return self.store.rebuild_indexes(lambda fixed: self.signed(event(fixed)))  # type: ignore[arg-type,return-value]

    def record_event(self, event: AuditEvent) -> Any:
        kept = self.store.record_event(self.signed(event))  # type: ignore[arg-type]
        self._kept(event)
        return kept
