"""The base of every model the record keeps: frozen, and answers kept as JSON keeps them.

A module of its own because the record, what was given, the register and the listings all build on
it, and none of them should import another for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict
from pydantic_core import to_jsonable_python


def jsonable_answers(answers: Any) -> Any:
    """Answers as JSON keeps them: dates as ISO strings, tuples as lists, decimals as strings.
    Anything but a mapping is left for validation to refuse."""
    return to_jsonable_python(dict(answers)) if isinstance(answers, Mapping) else answers


JsonAnswers = Annotated[dict[str, Any], BeforeValidator(jsonable_answers)]
"""The answers of a record or draft, stored as JSON keeps them, so a reloaded one equals the saved one."""


class RecordModel(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)
