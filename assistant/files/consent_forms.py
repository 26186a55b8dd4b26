"""Reading the consent forms (prompts/consent/<form>.<language>.yaml) with their problems.

The forms live in a ``consent`` folder beside the question script, so a copy of prompts/ passed with
``--script COPY/consult.yaml`` brings its own forms (a trainer's rehearsal, a test bumping a version);
a script with no such folder beside it uses the shipped forms.
``check`` prints the problems; the commands that need a form refuse to go on while one has an error.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from assistant import locations
from assistant.core.consent_form import REQUIRED_SECTIONS, ConsentForm, form_problems, version_mismatches
from assistant.files.clinic_file import display_path
from assistant.files.problems import FileProblem
from assistant.files.reading import YAML_FILE_LIMIT, read_limited

FOLDER_NAME = "consent"


@dataclass
class ConsentForms:
    """Every form read from a folder, by (form, language); ``problems`` of every file."""

    folder: Path
    forms: dict[tuple[str, str], ConsentForm] = field(default_factory=dict)
    problems: list[FileProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)

    def current(self, form: str, language: str = "en") -> ConsentForm | None:
        """The form in ``language``, else in English (a language without its own form reads English)."""
        return self.forms.get((form, language)) or self.forms.get((form, "en"))

    def version(self, form: str) -> str | None:
        found = self.current(form)
        return found.version if found else None


def forms_folder(script: Path | None = None) -> Path:
    """The ``consent`` folder beside ``script`` when there is one (a copy of prompts/), else the
    shipped prompts/consent (a script kept on its own uses the shipped forms)."""
    beside = script.parent / FOLDER_NAME if script is not None else None
    return beside if beside is not None and beside.is_dir() else locations.PROMPTS_DIR / FOLDER_NAME


_read: dict[Path, tuple[tuple[tuple[str, str], ...], ConsentForms]] = {}
"""The forms last read from each folder, with each file's name and SHA-256 then: every give, consent
and photo asks for them, and parsing is what costs, not reading a few kilobytes to see they are the same."""


def _files_as_they_are(files: list[Path]) -> tuple[tuple[str, str], ...] | None:
    try:
        return tuple((path.name, hashlib.sha256(read_limited(path, YAML_FILE_LIMIT)).hexdigest()) for path in files)
    except OSError:
        return None


def load_consent_forms(script: Path | None = None, folder: Path | None = None) -> ConsentForms:
    """Every form in ``folder`` (default: beside ``script``), with the problems ``check`` prints; parsed
    again only when a file in the folder was added, removed or changed since the last reading."""
    folder = folder or forms_folder(script)
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    state = _files_as_they_are(files)
    kept = _read.get(folder)
    if state is not None and kept is not None and kept[0] == state:
        return kept[1]
    found = _load(folder, files)
    if state is not None:
        _read[folder] = (state, found)
    return found


def _load(folder: Path, files: list[Path]) -> ConsentForms:
    from pydantic import ValidationError

    from assistant.files.yaml_source import YamlFileError, read_yaml, text_problems, validation_problems  # slow

    found = ConsentForms(folder)
    places: dict[tuple[str, str], tuple[object, Path]] = {}
    for path in files:
        try:
            located = read_yaml(path, display_path(path))
        except YamlFileError as error:
            found.problems.append(error.problem)
            continue
        found.problems += text_problems(located)
        try:
            form = ConsentForm.model_validate(located.data)
        except ValidationError as error:
            found.problems += validation_problems(located, error.errors(), ConsentForm)
            continue
        found.problems += [located.problem(loc, code, message) for loc, code, message in form_problems(form)]
        expected = f"{form.form}.{form.language}.yaml"
        if path.name != expected:
            message = f"this file holds the {form.form} form in '{form.language}': name it {expected}."
            found.problems.append(located.problem(("form",), "bad-file-name", message))
        found.forms[(form.form, form.language)] = form
        places[(form.form, form.language)] = (located, path)
    for key, message in version_mismatches(found.forms.values()).items():
        located = places[key][0]
        found.problems.append(located.problem(("version",), "version-mismatch", message))  # type: ignore[attr-defined]
    for form_id in REQUIRED_SECTIONS:
        if (form_id, "en") not in found.forms:
            name = f"{display_path(folder)}/{form_id}.en.yaml"
            found.problems.append(FileProblem(name, 1, "missing-file", f"the {form_id} consent form is missing."))
    return found
