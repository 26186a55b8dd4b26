"""Look-ups in the knowledge base.

The validated knowledge is loaded into an in-memory TinyDB, one table per kind of fact, so that the
planner, the UI's hints and the "ask" search all query one store. Only pydantic models leave this
module: no TinyDB document reaches a caller.
"""

from __future__ import annotations

from functools import cached_property

from tinydb import Query, TinyDB
from tinydb.storages import MemoryStorage

from assistant.core.knowledge_model import (
    AftercareItem,
    Contraindication,
    Knowledge,
    Modifier,
    Product,
    Safety,
    Source,
    Timing,
    Zone,
    ZoneCombination,
)
from assistant.core.syringe_model import Syringe

_Fact = Query()


class UnknownZone(KeyError):
    """A zone code the knowledge base does not describe."""


class KnowledgeBase:
    """Queries over one loaded knowledge base. Cheap to share: it is read-only after building."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.knowledge = knowledge
        self.db = TinyDB(storage=MemoryStorage)
        for name in ("sources", "zones", "modifiers", "aftercare"):
            self.db.table(name).insert_multiple(item.model_dump(mode="json") for item in getattr(knowledge, name))
        self.db.table("contraindications").insert_multiple(
            c.model_dump(mode="json") for c in knowledge.safety.contraindications
        )

    @property
    def id(self) -> str:
        return self.knowledge.id

    @property
    def version(self) -> str:
        return self.knowledge.version

    @property
    def product(self) -> Product:
        return self.knowledge.product

    @property
    def timing(self) -> Timing:
        return self.knowledge.timing

    @property
    def safety(self) -> Safety:
        return self.knowledge.safety

    def zone(self, zone_id: str) -> Zone:
        document = self.db.table("zones").get(_Fact.id == zone_id)
        if document is None:
            raise UnknownZone(zone_id)
        return Zone.model_validate(document)

    @cached_property
    def zone_ids(self) -> tuple[str, ...]:
        return tuple(str(d["id"]) for d in self.db.table("zones").all())

    def zones(self) -> list[Zone]:
        return [Zone.model_validate(d) for d in self.db.table("zones").all()]

    def paired_zone_ids(self) -> set[str]:
        return {str(d["id"]) for d in self.db.table("zones").search(_Fact.paired == True)}  # noqa: E712

    def modifiers(self) -> list[Modifier]:
        return [Modifier.model_validate(d) for d in self.db.table("modifiers").all()]

    def contraindications(self, effect: str | None = None) -> list[Contraindication]:
        table = self.db.table("contraindications")
        documents = table.all() if effect is None else table.search(_Fact.effect == effect)
        return [Contraindication.model_validate(d) for d in documents]

    def aftercare(self) -> list[AftercareItem]:
        return [AftercareItem.model_validate(d) for d in self.db.table("aftercare").all()]

    def source(self, source_id: str) -> Source | None:
        document = self.db.table("sources").get(_Fact.id == source_id)
        return Source.model_validate(document) if document is not None else None

    def zone_combinations(self) -> tuple[ZoneCombination, ...]:
        return self.knowledge.zone_combinations

    def syringe(self, syringe_id: str | None = None) -> Syringe:
        """A syringe by id (None: the default); KeyError when the knowledge base has no such syringe."""
        found = self.product.syringes.get(syringe_id)
        if found is None:
            raise KeyError(syringe_id)
        return found

    def source_ids(self) -> set[str]:
        return {str(d["id"]) for d in self.db.table("sources").all()}
