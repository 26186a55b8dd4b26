"""What the record's use cases share: the repository, the clock, the account policy and the
clinic's signing rule. The clock is read here (an adapter), never in the core."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from assistant.core.lifecycle.staff import AccountPolicy
from assistant.records.repository import ConsultRepository
from assistant.services.keys import Keyring


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class Desk:
    repository: ConsultRepository
    clock: Callable[[], dt.datetime] = now
    policy: AccountPolicy = field(default_factory=AccountPolicy)
    require_cosign: bool = False
    """Consults run by a junior ask a medical director's second signature (clinic setting)."""
    keyring: Keyring = field(default_factory=Keyring)
    """The signing keys unsealed here (a PIN typed); every person's act is signed with theirs."""

    def __post_init__(self) -> None:
        from assistant.services.signing_repository import SigningRepository

        if not isinstance(self.repository, SigningRepository):
            self.repository = SigningRepository(self.repository, self.keyring)  # type: ignore[assignment]
        else:
            self.keyring = self.repository.keyring
