"""Reading the question script from an .xlsx workbook, so that every problem names its sheet and cell.

The workbook is turned into the same plain data a YAML script gives (``{"id": ..., "questions": [...]}``)
and validated by the same models and checks; ``WorkbookLocated`` plays the part ``Located`` plays for
YAML, turning a problem's location (``('questions', 3, 'show_if')``) into ``questions!F5``. What a
spreadsheet adds that YAML has not (a formula, merged cells, a hidden sheet, the file still open in
Excel) is said in one sentence each.
"""

from __future__ import annotations

import difflib
import io
import zipfile
from pathlib import Path
from typing import Any

from assistant.files.problems import FileProblem
from assistant.files.reading import WORKBOOK_FILE_LIMIT, UnreadableFile, read_limited
from assistant.files.workbook_cells import cell_text, converted
from assistant.files.workbook_layout import (
    CHECKS,
    CHOICES,
    COLUMNS,
    GROUP_COLUMN,
    QUESTIONS,
    SETTING_KEYS,
    SETTINGS,
    SHEETS,
    Column,
    column_letter,
)
from assistant.files.workbook_located import WorkbookError, WorkbookLocated, lock_file_beside, row_of

MOST_ROWS = 5_000
"""Rows read per sheet: far more than any script; a sheet formatted to the last row is not walked."""


def read_workbook(path: Path, display: str | None = None) -> WorkbookLocated:
    """The script's plain data from a workbook; ``WorkbookError`` when it cannot be opened at all."""
    from openpyxl import load_workbook  # only when a workbook is read: start-up need not load it
    from openpyxl.utils.exceptions import InvalidFileException

    name = display or str(path)
    try:
        raw = read_limited(path, WORKBOOK_FILE_LIMIT)
    except FileNotFoundError:
        raise WorkbookError(FileProblem(name, 1, "missing-file", "the file does not exist.")) from None
    except UnreadableFile as error:
        raise WorkbookError(FileProblem(name, 1, "unreadable-file", f"{error.reason}.")) from None
    except OSError as error:
        raise WorkbookError(FileProblem(name, 1, "unreadable-file", f"cannot read the file: {error}.")) from None
    try:
        book = load_workbook(io.BytesIO(raw), data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError):
        raise WorkbookError(
            FileProblem(
                name,
                1,
                "unreadable-file",
                "this is not an .xlsx workbook Excel or LibreOffice saved; save it again as 'Excel Workbook (.xlsx)'.",
            )
        ) from None
    return _Reader(name, path, book).read()


class _Reader:
    def __init__(self, name: str, path: Path, book: Any) -> None:
        self.located = WorkbookLocated(name, None)
        self.path = path
        self.book = book

    def problem(self, cell: str, code: str, message: str, severity: str = "error") -> None:
        self.located.sheet_problems.append(FileProblem(self.located.file, row_of(cell), code, message, severity, cell))

    def read(self) -> WorkbookLocated:
        lock = lock_file_beside(self.path)
        if lock is not None:
            self.problem(
                f"{QUESTIONS}!A1",
                "open-in-excel",
                f"the workbook looks open in Excel ({lock.name} is beside it): save it and close it, so that "
                "what is checked is what you see.",
                "warning",
            )
        for sheet in self.book.worksheets:
            if sheet.title not in SHEETS:
                self.problem(
                    f"{sheet.title}!A1",
                    "unknown-sheet",
                    f"the sheet '{sheet.title}' is not read (the sheets are {', '.join(SHEETS)}); "
                    "rename it or delete it.",
                    "warning",
                )
            elif sheet.sheet_state != "visible":
                self.problem(
                    f"{sheet.title}!A1",
                    "hidden-sheet",
                    f"the sheet '{sheet.title}' is hidden, but it is read all the same: unhide it "
                    "(right-click a sheet tab, Unhide) so you see what the consult asks.",
                )
        data: dict[str, Any] = {}
        self.located.cells[()] = f"{SETTINGS}!A1"
        self.located.cells[("questions",)] = f"{QUESTIONS}!A1"
        self.located.cells[("lists",)] = f"{CHOICES}!A1"
        self._settings(data)
        data["lists"] = self._choices()
        data["questions"] = self._questions()
        self._checks(data["questions"])
        self.located.data = data
        return self.located

    # --- the sheets -------------------------------------------------------------------------------

    def _rows(self, title: str) -> list[tuple[int, dict[str, tuple[str, Any]]]]:
        """Each non-empty row under the header as (row number, {header: (cell, value)})."""
        if title not in self.book.sheetnames:
            self.problem(f"{title}!A1", "missing-sheet", f"the workbook has no sheet '{title}'; add it.")
            return []
        sheet = self.book[title]
        for merged in sheet.merged_cells.ranges:
            self.problem(
                f"{title}!{merged.coord.split(':')[0]}",
                "merged-cells",
                f"cells {merged.coord} are merged: unmerge them (Home, Merge, Unmerge) and give each cell "
                "its own value.",
            )
        known = {c.header: c for c in COLUMNS[title]}
        headers: dict[int, str] = {}
        rows: list[tuple[int, dict[str, tuple[str, Any]]]] = []
        for number, row in enumerate(sheet.iter_rows(max_row=MOST_ROWS), start=1):
            values: dict[str, tuple[str, Any]] = {}
            for index, cell in enumerate(row):
                ref = f"{title}!{column_letter(index)}{number}"
                value = cell.value
                if cell.data_type == "f" or (isinstance(value, str) and value.startswith("=") and number > 1):
                    self.problem(
                        ref,
                        "formula",
                        f"this cell holds a formula ({str(value)[:40]}): the script reads what is typed, not "
                        "what Excel computes; type the value itself.",
                    )
                    continue
                if isinstance(value, str):
                    value = value.strip()
                if value is None or value == "":
                    continue
                if number == 1:
                    header = str(value).strip().lower()
                    if header not in known:
                        close = difflib.get_close_matches(header, sorted(known), n=1)
                        hint = f" Did you mean '{close[0]}'?" if close else f" The columns are: {', '.join(known)}."
                        self.problem(ref, "unknown-column", f"unknown column '{value}'.{hint}")
                    else:
                        headers[index] = header
                        key = known[header].key or header
                        self.located.letters.setdefault(title, {})[key] = column_letter(index)
                elif index in headers:
                    values[headers[index]] = (ref, value)
                else:
                    self.problem(ref, "unknown-column", f"{ref} is under no known column heading, so it is not read.")
            if number > 1 and values:
                rows.append((number, values))
        missing = [c.header for c in COLUMNS[title][:1] if c.header not in headers.values()]
        if missing and rows:
            self.problem(f"{title}!A1", "missing-column", f"the sheet '{title}' has no column '{missing[0]}'.")
        return rows

    def _settings(self, data: dict[str, Any]) -> None:
        for number, values in self._rows(SETTINGS):
            key_cell, key = values.get("setting", (f"{SETTINGS}!A{number}", ""))
            ref, value = values.get("value", (f"{SETTINGS}!B{number}", None))
            key = str(key).strip().lower()
            if key not in SETTING_KEYS:
                close = difflib.get_close_matches(key, SETTING_KEYS, n=1)
                hint = f" Did you mean '{close[0]}'?" if close else f" The settings are {', '.join(SETTING_KEYS)}."
                self.problem(key_cell, "unknown-key", f"unknown setting '{key}'.{hint}")
                continue
            if value is not None:
                data[key] = cell_text(value)
            self.located.cells[(key,)] = ref

    def _choices(self) -> dict[str, list[dict[str, Any]]]:
        lists: dict[str, list[dict[str, Any]]] = {}
        for number, values in self._rows(CHOICES):
            if "list" not in values:
                self.problem(f"{CHOICES}!A{number}", "missing-key", f"{CHOICES}!A{number} needs the list's name.")
                continue
            list_cell, list_name = values["list"]
            name = cell_text(list_name)
            entries = lists.setdefault(name, [])
            self.located.cells.setdefault(("lists", name), list_cell)
            loc = ("lists", name, len(entries))
            self.located.cells[loc] = list_cell
            entry = {}
            for header in ("code", "label"):
                if header in values:
                    ref, value = values[header]
                    entry[header] = value if header == "code" and isinstance(value, bool | int) else cell_text(value)
                    self.located.cells[(*loc, header)] = ref
            entries.append(entry)
        return lists

    def _questions(self) -> list[dict[str, Any]]:
        questions: list[dict[str, Any]] = []
        groups: dict[str, int] = {}
        columns = {c.header: c for c in COLUMNS[QUESTIONS]}
        for number, values in self._rows(QUESTIONS):
            group_ref, group = values.pop(GROUP_COLUMN, (None, None))
            if group is not None and cell_text(group) not in groups:
                self.problem(
                    group_ref or f"{QUESTIONS}!A{number}",
                    "unknown-group",
                    f"there is no repeat group '{group}' above this row: a group's own row (type repeat) "
                    "comes before its questions.",
                )
                continue
            if group is not None:
                parent = questions[groups[cell_text(group)]]
                members = parent.setdefault("questions", [])
                loc: tuple[str | int, ...] = ("questions", groups[cell_text(group)], "questions", len(members))
                members.append(question := {})
            else:
                loc = ("questions", len(questions))
                questions.append(question := {})
            self.located.cells[loc] = f"{QUESTIONS}!A{number}"
            kind = cell_text(values["type"][1]) if "type" in values else ""
            for header, (ref, value) in values.items():
                column = columns[header]
                self._put(question, column, converted(column, value, kind), (*loc, *column.key.split(".")), ref)
            if kind == "repeat" and "id" in question:
                groups[str(question["id"])] = len(questions) - 1
            if "id" in question:
                qid = str(question["id"])
                name = qid if group is None else f"{cell_text(group)}.{qid}"
                self.located.id_cells.setdefault(name, f"{QUESTIONS}!A{number}")
                self.located.id_cells.setdefault(qid, f"{QUESTIONS}!A{number}")
        return questions

    def _put(self, target: dict[str, Any], column: Column, value: Any, loc: tuple[str | int, ...], ref: str) -> None:
        keys = column.key.split(".")
        for key in keys[:-1]:
            target = target.setdefault(key, {})
        target[keys[-1]] = value
        for depth in range(len(keys)):
            self.located.cells.setdefault(loc[: len(loc) - len(keys) + depth + 1], ref)

    def _checks(self, questions: list[dict[str, Any]]) -> None:
        by_id: dict[str, tuple[dict[str, Any], tuple[str | int, ...]]] = {}
        for index, question in enumerate(questions):
            by_id[str(question.get("id"))] = (question, ("questions", index))
            for inner, member in enumerate(question.get("questions", [])):
                by_id[f"{question.get('id')}.{member.get('id')}"] = (member, ("questions", index, "questions", inner))
        for number, values in self._rows(CHECKS):
            ref, name = values.pop("question", (f"{CHECKS}!A{number}", ""))
            if cell_text(name) not in by_id:
                self.problem(
                    ref,
                    "unknown-name",
                    f"there is no question '{name}' for this check (a repeat group's question is named group.id).",
                )
                continue
            question, loc = by_id[cell_text(name)]
            checks = question.setdefault("checks", [])
            check_loc = (*loc, "checks", len(checks))
            self.located.cells.setdefault((*loc, "checks"), ref)
            self.located.cells[check_loc] = ref
            check = {}
            for header, (cell, value) in values.items():
                check[header] = cell_text(value)
                self.located.cells[(*check_loc, header)] = cell
            checks.append(check)
