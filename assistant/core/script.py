"""The question script: what a trainer writes in prompts/*.yaml, as validated models.

The models forbid unknown keys so that a trainer's typo (``promt:``) is reported, never silently
ignored. Semantic checks that need the whole script (conditions, references, duplicates) live in
``script_checks`` so that they can report every problem at once instead of the first.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

QuestionType = Literal["single", "multiple", "yes_no", "integer", "decimal", "date", "text", "repeat"]


#: Sanity limits, not clinical figures: a slip of the keyboard (``1e300``, ``-9999999`` days) is
#: refused at load, with its line, instead of overflowing a date or a decimal during a consult.
LARGEST = 1_000_000_000
SMALLEST_STEP = 1e-6
MOST_DAYS = 45_000
"""About 123 years: a date of birth of the oldest patients fits, and nothing beyond overflows a date."""


class Strict(BaseModel):
    """Base for every script model: unknown keys are errors, values are immutable once loaded, and
    a number is finite (``nan`` and ``inf`` are refused)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True, allow_inf_nan=False)


class Choice(Strict):
    """One option of a choice list. The code is what answers and the planner use; it never changes
    when the label is reworded."""

    code: str
    label: str

    @field_validator("code", mode="before")
    @classmethod
    def _code_is_text(cls, value: object) -> object:
        # YAML 1.1 turns `no`/`yes`/`on` into booleans and `1` into an int; codes are always text.
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, int | float):
            return str(value)
        return value


class Check(Strict):
    """A rule on an answer: when ``when`` is true the answer is refused (error) or must be confirmed
    (warning)."""

    when: str
    message: str
    severity: Literal["error", "warning"] = "error"


class QuestionBase(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    prompt: str
    help: str | None = None
    required: bool | str = True
    show_if: str | None = None
    checks: tuple[Check, ...] = ()
    section: str | None = None

    @property
    def is_required(self) -> bool:
        return self.required is not False

    @property
    def required_message(self) -> str:
        if isinstance(self.required, str) and self.required.strip():
            return self.required
        return "An answer is needed here."


class ChoiceQuestion(QuestionBase):
    choices: str = Field(description="Name of a list under `lists:`.")
    choices_filter: str | None = Field(
        default=None,
        description="Condition evaluated per choice (the name `choice` holds its code); "
        "only choices for which it is true are offered.",
    )


class SingleQuestion(ChoiceQuestion):
    type: Literal["single"]
    default: str | None = None


class MultipleQuestion(ChoiceQuestion):
    type: Literal["multiple"]
    default: tuple[str, ...] | None = None
    min_selected: int = Field(default=0, ge=0, le=LARGEST)


class YesNoQuestion(QuestionBase):
    type: Literal["yes_no"]
    default: bool | None = None


class IntegerQuestion(QuestionBase):
    type: Literal["integer"]
    min: int | None = Field(default=None, ge=-LARGEST, le=LARGEST)
    max: int | None = Field(default=None, ge=-LARGEST, le=LARGEST)
    step: int = Field(default=1, gt=0, le=LARGEST)
    default: int | None = Field(default=None, ge=-LARGEST, le=LARGEST)
    unit: str | None = None
    years_since: str | None = Field(
        default=None,
        description="The id of an earlier date question (a date of birth): once it is answered this "
        "question is not asked; its answer is the whole years from that date to the consult's date, "
        "checked against this question's limits and checks.",
    )


class DecimalQuestion(QuestionBase):
    type: Literal["decimal"]
    min: float | None = Field(default=None, ge=-LARGEST, le=LARGEST)
    max: float | None = Field(default=None, ge=-LARGEST, le=LARGEST)
    step: float | None = Field(default=None, ge=SMALLEST_STEP, le=LARGEST)
    default: float | None = Field(default=None, ge=-LARGEST, le=LARGEST)
    unit: str | None = None


class DateQuestion(QuestionBase):
    type: Literal["date"]
    min_days_from_today: int | None = Field(
        default=None,
        ge=-MOST_DAYS,
        le=MOST_DAYS,
        description="Earliest allowed date, in days relative to today (negative = past).",
    )
    max_days_from_today: int | None = Field(
        default=None,
        ge=-MOST_DAYS,
        le=MOST_DAYS,
        description="Latest allowed date, in days relative to today (0 = today).",
    )
    allow_never: bool = Field(default=False, description="Accept the word `never` (or `none`).")
    default: str | None = None


class TextQuestion(QuestionBase):
    type: Literal["text"]
    max_length: int = Field(default=200, gt=0, le=100_000)
    default: str | None = None


Question = Annotated[
    SingleQuestion | MultipleQuestion | YesNoQuestion | IntegerQuestion | DecimalQuestion | DateQuestion | TextQuestion,
    Field(discriminator="type"),
]
"""One question: what the flow asks and the UI shows (a repeat group's questions are of this kind too)."""


class Replaces(Strict):
    """Answer keys of an older script that asked one entry as plain questions, so files and drafts
    written for it keep working: ``gate`` was the yes/no question, ``fields`` map each question of
    the group to the key that held its answer."""

    gate: str
    fields: dict[str, str] = Field(min_length=1)


class RepeatGroup(Strict):
    """A group of questions asked once per entry (the form engines' "repeat").

    ``prompt`` asks whether there is a first entry, ``another`` whether there is one more after each
    entry, up to ``max_entries``. Conditions inside the group read the entry's own answers by their
    bare ids (``zone``) and every answer given before the group. After the group, its id holds the
    entries, a list of {question id: answer}. ``unique`` names questions whose answer may appear in
    one entry only; when one of them has no choice left, no further entry is offered.
    """

    type: Literal["repeat"]
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    prompt: str
    another: str
    entry_label: str = Field(description='Names an entry in prompts and messages: "Asymmetry" -> "Asymmetry 2: ...".')
    label: str | None = Field(default=None, description="What the entries are, as a heading (FHIR group text).")
    help: str | None = None
    show_if: str | None = None
    section: str | None = None
    max_entries: int = Field(ge=1)
    unique: tuple[str, ...] = ()
    questions: tuple[Question, ...] = Field(min_length=1)
    replaces: Replaces | None = None

    @property
    def is_required(self) -> bool:
        return False

    def question(self, question_id: str) -> Question:
        return next(q for q in self.questions if q.id == question_id)

    def has_question(self, question_id: str) -> bool:
        return any(q.id == question_id for q in self.questions)


ScriptItem = Annotated[Question | RepeatGroup, Field(discriminator="type")]
"""What a script's ``questions:`` list holds: questions and repeat groups."""


QUESTION_CLASSES: dict[str, type[QuestionBase] | type[RepeatGroup]] = {
    "single": SingleQuestion,
    "multiple": MultipleQuestion,
    "yes_no": YesNoQuestion,
    "integer": IntegerQuestion,
    "decimal": DecimalQuestion,
    "date": DateQuestion,
    "text": TextQuestion,
    "repeat": RepeatGroup,
}
"""The class of each ``type:``, as in the ``Question`` union above."""


class Script(Strict):
    """A whole consult script. ``id`` and ``version`` go into every consult record."""

    id: str
    version: str
    title: str
    intro: str | None = None
    lists: dict[str, tuple[Choice, ...]] = Field(default_factory=dict)
    questions: tuple[ScriptItem, ...]

    @field_validator("version", mode="before")
    @classmethod
    def _version_is_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int | float) else value

    def question(self, question_id: str) -> ScriptItem:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def has_question(self, question_id: str) -> bool:
        return any(q.id == question_id for q in self.questions)

    def index_of(self, question_id: str) -> int:
        return next(i for i, q in enumerate(self.questions) if q.id == question_id)

    def groups(self) -> list[RepeatGroup]:
        return [q for q in self.questions if isinstance(q, RepeatGroup)]

    def choices_for(self, question: ChoiceQuestion) -> tuple[Choice, ...]:
        return self.lists.get(question.choices, ())

    def label_for(self, question: ChoiceQuestion, code: str) -> str:
        return next((c.label for c in self.choices_for(question) if c.code == code), code)
