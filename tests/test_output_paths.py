"""Issue 15, items 4 and 16: ``--output`` never replaces what it did not create, and every output
error is a sentence saying what failed and whether the consult was kept, with exit code 2."""

from __future__ import annotations

import errno
import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from assistant import locations
from assistant.cli import main

FULL_FACE = str(locations.EXAMPLES_DIR / "full_face.yaml")
as_root = pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")


def saved_consult(data: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["run", FULL_FACE, "--data-dir", str(data), "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)["consult_id"]


def copy_of_device(folder: Path, name: str = "null") -> Path:
    """A character device like /dev/null or /dev/full, made where a test may change it: the code
    under test must never get the chance to replace the real one."""
    node = folder / name
    os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, {"null": 3, "full": 7}[name]))
    os.chmod(node, 0o666)
    return node


COMMANDS = {
    "export": lambda cid: ["export", cid, "--fhir"],
    "print": lambda cid: ["print", cid, "--what", "summary", "--format", "text"],
    "export-script": lambda cid: ["export-script", "--fhir"],
}


@as_root
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_output_to_a_device_writes_into_it_and_leaves_it_a_device(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    consult_id = saved_consult(tmp_path / "data", capsys)
    node = copy_of_device(tmp_path)
    before = node.stat()
    argv = [*COMMANDS[command](consult_id), "--output", str(node), "--data-dir", str(tmp_path / "data")]
    assert main(argv) == 0, capsys.readouterr().err
    after = node.lstat()
    assert stat.S_ISCHR(after.st_mode), "the device was replaced by a regular file"
    assert (after.st_rdev, after.st_ino, stat.S_IMODE(after.st_mode)) == (
        before.st_rdev,
        before.st_ino,
        0o666,
    ), "its mode is not ours to change"


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_output_to_a_named_pipe_is_read_by_its_reader(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    consult_id = saved_consult(tmp_path / "data", capsys)
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe, 0o640)
    reader = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)  # a reader is waiting, as `cat pipe` would be
    received: list[bytes] = []
    done = threading.Event()

    def drain() -> None:
        while not done.is_set():
            try:
                chunk = os.read(reader, 65536)
            except BlockingIOError:
                chunk = b""
            if chunk:
                received.append(chunk)
            else:
                done.wait(0.01)

    thread = threading.Thread(target=drain, daemon=True)
    thread.start()
    argv = [*COMMANDS[command](consult_id), "--output", str(pipe), "--data-dir", str(tmp_path / "data")]
    try:
        code = main(argv)
    finally:
        done.set()
        thread.join(timeout=10)
        while rest := os.read(reader, 65536):  # what the writer left in the pipe before closing it
            received.append(rest)
        os.close(reader)
    assert code == 0, capsys.readouterr().err
    assert stat.S_ISFIFO(pipe.lstat().st_mode), "the pipe was replaced by a regular file"
    assert stat.S_IMODE(pipe.lstat().st_mode) == 0o640
    assert b"".join(received).strip(), "the reader got the document"


def test_output_to_a_new_or_regular_file_is_the_owners_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    consult_id = saved_consult(tmp_path / "data", capsys)
    old = os.umask(0)
    try:
        existing = tmp_path / "out" / "existing.json"
        existing.parent.mkdir()
        existing.write_text("old", encoding="utf-8")
        for target in (existing, tmp_path / "new" / "deeper" / "consult.json"):
            assert (
                main(["export", consult_id, "--fhir", "--output", str(target), "--data-dir", str(tmp_path / "data")])
                == 0
            )
            assert json.loads(target.read_text(encoding="utf-8"))["resourceType"] in {"Bundle", "QuestionnaireResponse"}
            assert stat.S_IMODE(target.stat().st_mode) == 0o600
        assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o700
    finally:
        os.umask(old)


# --- 16. output errors: a sentence, exit 2, and whether the consult was kept -------------------------


@pytest.mark.parametrize(
    ("where", "reason"),
    [
        (lambda tmp: Path("/proc/botulax-consult.json"), ""),
        (lambda tmp: tmp / "a-file" / "consult.json", "a part of the path is a file, not a folder"),
        pytest.param(lambda tmp: copy_of_device(tmp, "full"), "No space left on device", marks=as_root),
    ],
    ids=["into /proc", "under a regular file", "a full device"],
)
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_an_output_that_cannot_be_written_is_said_in_a_sentence(
    command: str, where, reason: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    consult_id = saved_consult(tmp_path / "data", capsys)
    (tmp_path / "a-file").write_text("notes", encoding="utf-8")
    target = where(tmp_path)
    code = main([*COMMANDS[command](consult_id), "--output", str(target), "--data-dir", str(tmp_path / "data")])
    err = capsys.readouterr().err
    assert code == 2
    assert f"cannot write {target}" in err and reason in err
    assert "Traceback" not in err
    assert (tmp_path / "a-file").read_text(encoding="utf-8") == "notes"


def test_a_full_disk_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    consult_id = saved_consult(tmp_path / "data", capsys)
    target = tmp_path / "out" / "consult.json"
    target.parent.mkdir()
    target.write_text("the earlier export", encoding="utf-8")

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    assert main(["export", consult_id, "--fhir", "--output", str(target), "--data-dir", str(tmp_path / "data")]) == 2
    assert "No space left on device" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "the earlier export"
    assert [p.name for p in target.parent.iterdir()] == ["consult.json"]


def _run_cli(args: list[str], shell_redirect: str) -> subprocess.CompletedProcess[str]:
    command = " ".join([f"'{sys.executable}'", "-m", "assistant", *(f"'{a}'" for a in args)])
    return subprocess.run(
        ["sh", "-c", f"{command} {shell_redirect}"],
        capture_output=False,
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path(locations.PACKAGE_DIR).parent,
        timeout=120,
    )


@pytest.mark.parametrize("redirect", [">/dev/full", ">&-"], ids=["stdout full", "stdout closed"])
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_run_says_the_consult_was_kept_when_its_output_cannot_be_written(
    redirect: str, fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    result = _run_cli(["run", FULL_FACE, "--format", fmt, "--data-dir", str(data)], redirect)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr
    assert "standard output" in result.stderr
    kept = list((data / "consults").rglob("*.json"))
    assert len(kept) == 1
    assert f"the consult was kept as consult {kept[0].stem}" in result.stderr
    assert main(["history", "--data-dir", str(data), "--format", "json"]) == 0
    assert [row["consult_id"] for row in json.loads(capsys.readouterr().out)] == [kept[0].stem]


@pytest.mark.parametrize("args", [["history"], ["export-script", "--fhir"], ["ask", "glabella"]])
def test_other_commands_say_when_standard_output_is_full(args: list[str], tmp_path: Path) -> None:
    result = _run_cli([*args, "--data-dir", str(tmp_path)], ">/dev/full")
    assert result.returncode == 2, result.stderr
    assert "cannot write to standard output: No space left on device" in result.stderr
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr


def test_a_folder_named_as_the_output_is_said_once(tmp_path: Path) -> None:
    """The sentence says "cannot write" once: "cannot write X: it is a folder", not wrapped again."""
    from assistant.files.output import OutputError, write_output

    with pytest.raises(OutputError) as raised:
        write_output(tmp_path, b"x")
    assert str(raised.value) == f"cannot write {tmp_path}: it is a folder"
