"""``db import DIR`` looks the folder over first: a link, or a file that cannot or may not be read,
is named and skipped before anything is written to the server; the rest comes over.

Today's reproduction: the staff came over, then a traceback at a consult file that is a link.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assistant import locations
from assistant.records import TinyDBStore
from assistant.records.postgres.store import PostgresStore
from assistant.records.postgres.url import parse_database_url
from assistant.services import audit_trail
from tests.helpers import DIRECTOR, PINS, Cli

FULL_FACE = str(locations.EXAMPLES_DIR / "full_face.yaml")


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    """The command line on a TinyDB folder; each test names the server with --database."""
    return Cli(tmp_path / "data", capsys, monkeypatch)


def _cli_child(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """The command in a process of its own; as root, one that file modes bind (no DAC override), so
    a file with mode 000 cannot be read, as for any other user."""
    prefix = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"] if os.geteuid() == 0 else []
    return subprocess.run(
        [*prefix, sys.executable, "-m", "assistant", *args], input=stdin + "\n",
        capture_output=True, text=True, timeout=300, cwd=locations.PACKAGE_DIR.parent,
    )  # fmt: skip


def _folder_with_consults(cli: Cli, count: int) -> tuple[TinyDBStore, list[str]]:
    """A workstation's folder: a medical director and ``count`` consults."""
    assert cli("staff", "add", DIRECTOR, "--role", "medical_director", "--pin-stdin", pins=(PINS[DIRECTOR],))[0] == 0
    ids = []
    for _ in range(count):
        code, out, err = cli("run", FULL_FACE, "--staff", DIRECTOR, "--format", "json")
        assert code == 0, err
        ids.append(json.loads(out)["consult_id"])
    return TinyDBStore(cli.data), ids


def _link_in_place(path: Path, elsewhere: Path) -> None:
    """Move a data file away and leave a link to it where it was."""
    path.rename(elsewhere)
    path.symlink_to(elsewhere)


@pytest.mark.skipif(os.geteuid() == 0 and not shutil.which("setpriv"), reason="needs setpriv to drop root's reading")
def test_db_import_names_and_skips_a_link_and_an_unreadable_file_before_writing_anything(
    cli: Cli, postgres_url: str, tmp_path: Path
) -> None:
    """Every such file is named first and skipped; the rest comes over, and the server's trail verifies."""
    folder, ids = _folder_with_consults(cli, 4)
    _, unreadable, linked, in_linked_month = (folder.layout.consult_path(c) for c in ids)
    _link_in_place(linked, tmp_path / "elsewhere.json")
    unreadable.chmod(0o000)
    month = tmp_path / "month"
    month.mkdir(mode=0o700)
    in_linked_month.rename(month / in_linked_month.name)
    os.symlink(month, folder.layout.consults / "2099-01")
    fifo = cli.data / "drafts" / "20261124100000abcdefab.json"
    fifo.parent.mkdir(mode=0o700, exist_ok=True)
    os.mkfifo(fifo, 0o600)

    named = (
        (linked, f"is a link (to {tmp_path / 'elsewhere.json'})"),
        (folder.layout.consults / "2099-01", f"is a link (to {month})"),
        (unreadable, "cannot be read (permission denied)"),
        (fifo, "is a pipe (FIFO), not a data file"),
    )
    by = ("--by", DIRECTOR, "--pin-stdin")
    result = _cli_child("db", "import", str(cli.data), *by, "--database", postgres_url, stdin=PINS[DIRECTOR])
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1, "a folder that cannot be verified whole is refused"
    for path, words in named:
        assert f"botulax-consult: db import refused: {path} {words}" in result.stderr, result.stderr
    server = PostgresStore(parse_database_url(postgres_url))
    assert server.staff() == [] and server.get(ids[0]) is None, "nothing was written"
    server.close()

    args = (*by, "--accept-unverified", "--reason", "links left by a backup tool")
    result = _cli_child("db", "import", str(cli.data), *args, "--database", postgres_url, stdin=PINS[DIRECTOR])
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 2, result.stderr
    for path, words in named:
        assert f"botulax-consult: skipped: {path} {words}" in result.stderr, result.stderr
    assert "drafts: not imported" in result.stderr
    server = PostgresStore(parse_database_url(postgres_url))
    assert server.get(ids[0]) is not None, "what could be read came over"
    assert [server.get(c) for c in ids[1:]] == [None, None, None], "nothing was read through a link"
    assert [a.name for a in server.staff()] == [DIRECTOR]
    assert audit_trail.check(server).ok
    server.close()


def test_db_import_reads_no_staff_file_through_a_link(cli: Cli, postgres_url: str, tmp_path: Path) -> None:
    folder, ids = _folder_with_consults(cli, 1)
    _link_in_place(folder.layout.staff_file, tmp_path / "accounts.json")
    by = ("--by", DIRECTOR, "--pin-stdin", "--accept-unverified", "--reason", "a link")
    code, out, err = cli("db", "import", str(cli.data), *by, "--database", postgres_url, pins=(PINS[DIRECTOR],))
    assert code == 2 and str(folder.layout.staff_file) in err and "link" in err, err
    assert "Traceback" not in err and "Imported" not in out, "the director cannot be checked: nothing comes over"
    server = PostgresStore(parse_database_url(postgres_url))
    assert server.staff() == [] and server.get(ids[0]) is None
    server.close()
