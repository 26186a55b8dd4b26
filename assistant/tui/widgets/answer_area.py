"""The answer area: one input widget that fits the question on screen.

Whatever the widget, it posts one ``AnswerArea.Submitted`` with the raw value, so the screen has a
single place where answers arrive and the flow engine judges them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.segment import Segment
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Input, Label, OptionList, SelectionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist
from textual.widgets.selection_list import Selection

from assistant.core.hints import answer_hint
from assistant.core.script import Choice, MultipleQuestion, Question, Script, SingleQuestion, YesNoQuestion

if TYPE_CHECKING:
    from typing import Self

    from textual.geometry import Region

    from assistant.services.consult_session import ConsultSession


class ZoneSelection(SelectionList[str]):
    """A multi-select where Space toggles and Enter means "done".

    An unticked box is drawn empty: Textual draws the same X in every box and only colours it
    differently, so without colour (a screen reader, a copy of the screen, some terminals)
    every zone would read as ticked.
    """

    BINDINGS = [Binding("enter", "done", "Done", show=True)]

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        try:
            selection = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:
            return strip
        segments = list(strip)
        if selection.value in self.selected or len(segments) < 2:
            return strip
        box = segments[1]
        segments[1] = Segment(" " * len(box.text), box.style, box.control)
        return Strip(segments, strip.cell_length)

    @dataclass
    class Done(Message):
        selected: list[str]

    def action_done(self) -> None:
        self.post_message(self.Done(list(self.selected)))


CHOOSE_ONE = "no choice is highlighted. Choose one with Up/Down, then Enter."
CHOOSE_YES_NO = "no choice is highlighted. Press Y or N (or Up/Down, then Enter)."
"""Said (after "Not taken:") when Enter comes at a list with nothing highlighted; one line at 80 columns."""


class ChoiceList(OptionList):
    """A question's choices, one per line; for a yes/no question Yes and No, which Y and N answer at
    once. One list serves both kinds, so that going from one to the other moves no focus and shows
    no other widget: each of those restyles or lays out the whole screen (issue 21)."""

    BINDINGS = [Binding("y", "answer('yes')", "Yes", show=False), Binding("n", "answer('no')", "No", show=False)]
    yes_no = False
    """It holds Yes and No (Y and N answer); otherwise they are letters like any other."""
    _steady = False
    """While options are replaced: no layout asked for (``refresh``)."""

    @dataclass
    class Answered(Message):
        value: str

    @dataclass
    class Unchosen(Message):
        """Enter with nothing highlighted: nothing is answered; ``words`` say how to choose."""

        words: str

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "answer" and not self.yes_no:
            return False  # the key goes on as if unbound
        return super().check_action(action, parameters)

    def action_answer(self, value: str) -> None:
        self.post_message(self.Answered(value))

    def action_select(self) -> None:
        """Enter: the highlighted choice. With none highlighted (nothing suggested, no arrow pressed
        yet), an Enter typed ahead must not pass unseen either: the screen says how to choose."""
        if self.highlighted is None and self.option_count:
            self.post_message(self.Unchosen(CHOOSE_YES_NO if self.yes_no else CHOOSE_ONE))
            return
        super().action_select()

    def offer(self, options: list[Option], *, yes_no: bool = False) -> None:
        """Show ``options`` in place of the last question's (Yes and No stay when they follow Yes and No).
        The screen is laid out again only when the list's lines change in number: a layout places
        the transcript again too, and most questions offer as many lines as the one before."""
        if yes_no and self.yes_no:
            return
        self.yes_no = yes_no
        lines = self.virtual_size.height
        self._steady = True
        try:
            self.set_options(options)
        finally:
            self._steady = False
        if self.virtual_size.height != lines or not self.display:
            self.refresh(layout=True)

    def refresh(self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False) -> Self:
        return super().refresh(*regions, repaint=repaint, layout=layout and not self._steady, recompose=recompose)


class AnswerInput(Input):
    """The typed answer. Its text's width is kept without laying the screen out again: Textual lays
    out the whole screen when an input's text changes width (at each key typed, and when the next
    question empties it), though an input's own size never changes with its text (issue 21)."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    def watch_virtual_size(self) -> None:
        self.scroll_x = self.validate_scroll_x(self.scroll_x)  # what a layout did: no scrolling past the text


def redraw(line: Static, text: str, before: str) -> None:
    """``line`` shows ``text`` in place of ``before``: drawn again in place when both fill one line of
    its width (its height cannot change), laid out again otherwise. A layout of the question's lines
    lays out the whole screen, the transcript with it, and most questions' words and hints fit."""
    width = line.content_size.width
    fits = width > 0 and all("\n" not in words and cell_len(words) <= width for words in (text, before))
    line.update(text, layout=not fits)


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


TYPE_LOT = "type-lot"
SKIP_LOT = "skip-lot"


class AnswerArea(Vertical):
    """Holds one widget per kind of input and shows the one the current question needs.

    The widgets are made once and refilled for each question: moving focus to a new widget makes
    Textual restyle the footer and the layout, which is most of the cost of an answer.
    """

    @dataclass
    class Submitted(Message):
        raw: object

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.question: Question | None = None
        self._hint = ""
        self._filled = ""  # what ``show`` put in the text field: anything else was typed

    def compose(self) -> ComposeResult:
        yield Label("", id="answer-hint", markup=False)
        # Not select_on_focus: text carried over from the welcome screen is typed on, not replaced.
        yield AnswerInput(id="answer-text", classes="answer-input", select_on_focus=False)
        yield ChoiceList(id="answer-single", classes="answer-input")
        yield ZoneSelection(id="answer-multiple", classes="answer-input")

    @property
    def active(self) -> Widget:
        """The input widget on screen now."""
        return next(w for w in self.query(".answer-input") if w.display)

    def show(self, question: Question, script: Script, choices: tuple[Choice, ...], suggested: object) -> Widget:
        """Show the input for ``question`` of ``script``, pre-filled with ``suggested``; returns it, focused."""
        self.question = question
        self._set_hint(answer_hint(question, script))
        widget = self._fill(question, choices, suggested)
        for other in self.query(".answer-input"):
            other.display = other is widget
        widget.focus()
        return widget

    def _fill(self, question: Question, choices: tuple[Choice, ...], suggested: object) -> Widget:
        if isinstance(question, MultipleQuestion):
            chosen = set(suggested or ())  # type: ignore[arg-type]
            selection = self.query_one("#answer-multiple", ZoneSelection)
            selection.clear_options()
            selection.add_options([Selection(Text(c.label), c.code, c.code in chosen) for c in choices])
            selection.highlighted = 0 if choices else None
            return selection
        if isinstance(question, SingleQuestion):
            options = self.query_one("#answer-single", ChoiceList)
            options.offer([Option(Text(c.label), id=c.code) for c in choices])
            codes = [c.code for c in choices]
            # Nothing suggested (no default, no answer given before): nothing highlighted, so an Enter
            # typed ahead answers nothing ("which side is stronger" taken as the first side changes doses).
            options.highlighted = codes.index(suggested) if suggested in codes else None  # type: ignore[arg-type]
            return options
        if isinstance(question, YesNoQuestion):
            yes_no = self.query_one("#answer-single", ChoiceList)
            yes_no.offer([Option("Yes", id="yes"), Option("No", id="no")], yes_no=True)
            yes_no.highlighted = None if suggested is None else (0 if suggested is True else 1)
            return yes_no
        field = self.query_one("#answer-text", Input)
        field.value = self._filled = _as_text(suggested)
        field.select_all()  # typing replaces a pre-filled answer, as on a fresh field
        return field

    def show_vials(self, question: Question, vials: list[object], picked: str | None) -> Widget:
        """The lot question as a pick of the open vials (with units left and use-by), or typing another."""
        from assistant.tui.widgets.vial_list import vial_words

        self.question = question
        self._set_hint("Up/Down and Enter: the vial you draw from, another lot, or none.")
        options = self.query_one("#answer-single", ChoiceList)
        options.offer(
            [Option(Text(vial_words(v)), id=f"vial:{v.vial_id}") for v in vials]  # type: ignore[arg-type]
            + [Option("Another lot (type it)", id=TYPE_LOT), Option("No lot (skip)", id=SKIP_LOT)]
        )
        ids = [f"vial:{v.vial_id}" for v in vials]  # type: ignore[attr-defined]
        # The vial picked before, else the one open vial (as `give` draws from it); of several, none:
        # the first is only first by its id, and an Enter typed ahead would record its lot unchosen.
        wanted = f"vial:{picked}" if f"vial:{picked}" in ids else ids[0] if len(ids) == 1 else None
        options.highlighted = ids.index(wanted) if wanted is not None else None
        for other in self.query(".answer-input"):
            other.display = other is options
        options.focus()
        return options

    def nothing_typed(self) -> bool:
        """The text field is the input on screen, holds only what ``show`` put there, and no other
        text input of the screen has the focus (a question asked with ? being typed, say); the focus
        may still be on the transcript, where the screen put it before ``show`` moved it here."""
        field, focused = self.query_one("#answer-text", Input), self.screen.focused
        return field.display and field.value == self._filled and (focused is field or not isinstance(focused, Input))

    def _set_hint(self, hint: str) -> None:
        if hint != self._hint:  # an unchanged hint is not drawn again
            redraw(self.query_one("#answer-hint", Label), hint, self._hint)
            self._hint = hint

    def select_rejected(self) -> None:
        """After a refusal: the text stays, selected, so typing replaces it."""
        field = self.query_one("#answer-text", Input)
        if field.display:
            field.select_all()

    def on_zone_selection_done(self, event: ZoneSelection.Done) -> None:
        event.stop()
        self.post_message(self.Submitted(event.selected))

    def on_choice_list_answered(self, event: ChoiceList.Answered) -> None:
        event.stop()
        self.post_message(self.Submitted(event.value))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Submitted(event.option.id))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted(event.value))


def lot_answer(session: ConsultSession, choice: str) -> str | None:
    """The answer to the lot question for an option picked other than "Another lot": an open
    vial's lot (its expiry then suggested next), or "" for no lot; None for no such vial."""
    if choice == SKIP_LOT:
        session.vial_id = None
        return ""
    vial = next((v for v in session.open_vials if f"vial:{v.vial_id}" == choice), None)
    return session.pick_vial(vial) if vial is not None else None
