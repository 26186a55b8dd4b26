"""Every file the program reads is a regular file under its limit; anything else is a sentence.

Issue 20: a FIFO given as an answer file, a script or a knowledge file hung the command; /dev/zero
as an answer file or as the PINs' standard input filled the memory; an answer file with 200,000
comment lines took minutes to read. Each command here runs in a child process with a time and
memory limit, so a hang fails its test instead of hanging the suite.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant import locations
from assistant.files.loaders import load_answers
from assistant.files.reading import PIN_LINE_LIMIT, SETTINGS_FILE_LIMIT, YAML_FILE_LIMIT, UnreadableFile, read_limited
from tests.conftest import REPO
from tests.helpers import copy_sources, owner_only_file, run_limited

SECONDS = 60
MEMORY = 1 << 30
FULL_FACE = locations.EXAMPLES_DIR / "full_face.yaml"


def botulax(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str] | None:
    argv = [sys.executable, "-m", "assistant", *args]
    if stdin is None:
        return run_limited(argv, SECONDS, memory=MEMORY)
    with open(stdin, "rb") as source:
        try:
            return subprocess.run(
                argv, stdin=source, capture_output=True, text=True, timeout=SECONDS, cwd=REPO, check=False
            )
        except subprocess.TimeoutExpired:
            return None


def not_a_file(kind: str, tmp_path: Path) -> Path:
    if kind == "FIFO":
        path = tmp_path / "answers.yaml"
        os.mkfifo(path)
        return path
    if kind == "folder":
        path = tmp_path / "answers.yaml"
        path.mkdir()
        return path
    return Path("/dev/zero")


KINDS = {"FIFO": "a FIFO (named pipe), not a file", "folder": "a folder, not a file", "/dev/zero": "a device"}


@pytest.mark.parametrize("kind", list(KINDS))
def test_an_answer_file_that_is_not_a_file_is_a_sentence(kind: str, tmp_path: Path) -> None:
    path = not_a_file(kind, tmp_path)
    result = botulax("run", str(path), "--no-save", "--data-dir", str(tmp_path / "data"))
    assert result is not None, f"run {path} hung"
    assert result.returncode == 2, result.stderr
    assert f"{path}:1: [unreadable-file] it is {KINDS[kind]}" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("kind", ["FIFO", "/dev/zero"])
def test_a_given_file_that_is_not_a_file_is_a_sentence(kind: str, tmp_path: Path) -> None:
    path = not_a_file(kind, tmp_path)
    result = botulax(
        "give", "20261124-100000-aaaaaaaa", "--by", "Ina Choi", "--given", str(path), "--pin-stdin",
        "--data-dir", str(tmp_path / "data"),
    )  # fmt: skip
    assert result is not None, f"give --given {path} hung"
    assert result.returncode == 2 and f"{path}:1: [unreadable-file] it is {KINDS[kind]}" in result.stderr


def test_a_script_that_is_a_fifo_is_a_sentence(tmp_path: Path) -> None:
    script = tmp_path / "consult.yaml"
    os.mkfifo(script)
    result = botulax("run", str(FULL_FACE), "--script", str(script), "--no-save", "--data-dir", str(tmp_path / "d"))
    assert result is not None, "a FIFO as the script hung start-up"
    assert result.returncode == 2 and "it is a FIFO (named pipe), not a file" in result.stderr


def test_a_knowledge_file_that_is_a_fifo_is_a_sentence(tmp_path: Path) -> None:
    _, knowledge = copy_sources(tmp_path)
    (knowledge / "zones.yaml").unlink()
    os.mkfifo(knowledge / "zones.yaml")
    result = botulax("check", "--knowledge", str(knowledge))
    assert result is not None, "a FIFO in the knowledge folder hung check"
    assert result.returncode == 1 and "zones.yaml:1: [unreadable-file] it is a FIFO" in result.stderr + result.stdout


@pytest.mark.parametrize("kind", ["FIFO", "/dev/zero"])
def test_clinic_settings_that_are_not_a_file_are_a_sentence(kind: str, tmp_path: Path) -> None:
    path = not_a_file(kind, tmp_path)
    result = botulax("run", str(FULL_FACE), "--clinic", str(path), "--no-save", "--data-dir", str(tmp_path / "d"))
    assert result is not None, f"--clinic {path} hung"
    assert result.returncode == 2 and "not a regular file" in result.stderr and str(path) in result.stderr


def test_files_over_their_limit_are_refused_unread(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_bytes(FULL_FACE.read_bytes() + b"#" * YAML_FILE_LIMIT)
    result = botulax("run", str(answers), "--no-save", "--data-dir", str(tmp_path / "data"))
    assert result is not None and result.returncode == 2
    assert f"{answers}:1: [unreadable-file] it is larger than 2 MB" in result.stderr
    clinic = owner_only_file(tmp_path / "clinic.toml", "# " + "x" * SETTINGS_FILE_LIMIT + "\n")
    result = botulax("run", str(FULL_FACE), "--clinic", str(clinic), "--no-save", "--data-dir", str(tmp_path / "d"))
    assert result is not None and result.returncode == 2 and "larger than 256 KB" in result.stderr


def test_a_file_that_grows_past_its_limit_while_read_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "grows.yaml"
    path.write_bytes(b"a: 1\n")
    assert read_limited(path, 10) == b"a: 1\n"
    path.write_bytes(b"a: 1\n" * 3)
    with pytest.raises(UnreadableFile, match="larger than 10 bytes"):
        read_limited(path, 10)


@pytest.mark.parametrize("source", ["/dev/zero", "long line", "/dev/null"])
def test_pin_input_that_is_a_device_or_endless_is_a_sentence(source: str, tmp_path: Path) -> None:
    if source == "long line":
        stdin = tmp_path / "pins"
        stdin.write_bytes(b"1" * (64 * PIN_LINE_LIMIT))
        expected = f"longer than {PIN_LINE_LIMIT} characters"
    elif source == "/dev/null":
        stdin, expected = Path(source), "standard input ran out before this PIN"  # nothing to read, said so
    else:
        stdin, expected = Path(source), "standard input is a device"
    result = botulax(
        "staff", "add", "Dr Mina Seo", "--role", "medical_director", "--pin-stdin",
        "--data-dir", str(tmp_path / "data"), stdin=str(stdin),
    )  # fmt: skip
    assert result is not None, "--pin-stdin hung"
    assert result.returncode == 2 and expected in result.stderr and "Traceback" not in result.stderr


# -- comments: read in linear time ------------------------------------------------------------------


def test_an_answer_file_with_200000_comment_lines_reads_quickly_and_keeps_its_lines(tmp_path: Path) -> None:
    lines = FULL_FACE.read_text(encoding="utf-8").splitlines()
    at = lines.index("zones: [glabella, forehead, crows_feet]")
    comments = ["# a", "  # b"] * 100_000  # 1 MB: under the 2 MB limit
    text = "\n".join([*lines[:at], *comments, *lines[at:], "later: [not, text]"]) + "\n"
    path = tmp_path / "commented.yaml"
    path.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    loaded = load_answers(path)
    seconds = time.perf_counter() - started
    assert loaded.value is not None, loaded.problems
    assert seconds < 8, f"200,000 comment lines took {seconds:.1f} s"
    plain = load_answers(FULL_FACE).value
    assert plain is not None
    assert loaded.value.answers == {**plain.answers, "later": ["not", "text"]}
    assert loaded.value.located.line_of(("zones",)) == at + 1 + len(comments)
    assert loaded.value.located.line_of(("later",)) == len(lines) + len(comments) + 1


def test_comments_inside_block_and_quoted_text_stay_text(tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text("goals: |\n  # not a comment\n  smile\n# a comment\nnotes: 'a\n  # still text'\n", encoding="utf-8")
    loaded = load_answers(path)
    assert loaded.value is not None
    assert loaded.value.answers == {"goals": "# not a comment\nsmile\n", "notes": "a # still text"}


def test_the_shipped_files_read_the_same_as_before(tmp_path: Path) -> None:
    """Every shipped YAML file: same values and the same line for every key and item as ruamel's own
    round-trip loader gives."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from assistant.files.yaml_scanner import round_trip

    def positions(node: object, path: tuple[object, ...] = ()) -> list[object]:
        found: list[object] = []
        if isinstance(node, CommentedMap):
            for key in node:
                found += [(*path, key, node.lc.key(key)), *positions(node[key], (*path, key))]
        elif isinstance(node, CommentedSeq):
            for index, item in enumerate(node):
                found += [(*path, index, node.lc.item(index)), *positions(item, (*path, index))]
        return found

    files = [*sorted(locations.KNOWLEDGE_DIR.glob("*.yaml")), locations.SCRIPT_FILE]
    files += sorted(locations.EXAMPLES_DIR.glob("*.yaml"))
    assert len(files) > 20
    for path in files:
        text = path.read_text(encoding="utf-8")
        theirs, ours = YAML(typ="rt").load(text), round_trip().load(text)
        assert ours == theirs and positions(ours) == positions(theirs), path
