"""The consent forms are parsed once and kept while their files say the same; a trainer's edit, even
one that keeps the file's size and lands within the same clock tick, is read at the next use."""

from __future__ import annotations

import shutil
from pathlib import Path

from assistant import locations
from assistant.files.consent_forms import load_consent_forms


def test_an_edited_form_is_read_again_and_an_untouched_one_is_not(tmp_path: Path) -> None:
    folder = tmp_path / "consent"
    shutil.copytree(locations.PROMPTS_DIR / "consent", folder)
    first = load_consent_forms(folder=folder)
    assert load_consent_forms(folder=folder) is first, "the same files: the forms already read"
    path = folder / "treatment.en.yaml"
    text = path.read_text(encoding="utf-8")
    version = first.version("treatment")
    assert version is not None and len(version) == 1
    bumped = str(int(version) + 1)[-1]  # one character for one: the same size
    path.write_text(text.replace(f'version: "{version}"', f'version: "{bumped}"', 1), encoding="utf-8")
    again = load_consent_forms(folder=folder)
    assert again.version("treatment") == bumped
    (folder / "photos.ko.yaml").unlink()
    assert ("photos", "ko") not in load_consent_forms(folder=folder).forms
