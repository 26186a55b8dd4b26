"""The validated cache's file: one JSON document, validated back into the models when read.

Kept apart from ``resources`` so that its pydantic model is built only when a cache is read or
written, not when the UI imports the loader.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from assistant.core.knowledge_model import Knowledge
from assistant.core.script import Script


class Cached(BaseModel):
    """A script and knowledge base that passed every check, under the key of their bytes."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    script: Script
    knowledge: Knowledge
