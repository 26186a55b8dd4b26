"""A real CUPS print server with a PDF printer, started for the tests in a temporary folder.

``CupsServer`` runs its own ``cupsd`` (Debian's ``cups``) in the foreground with every file it writes
(configuration, spool, cache, logs, its socket) under one temporary folder, and adds a queue using the
``cups-pdf`` backend (``printer-driver-cups-pdf``) that writes each job as a PDF into that folder too.
Clients reach it through ``CUPS_SERVER`` (its socket). The system's own cupsd, if any, is not touched.

Two things cannot live in the temporary folder: cups-pdf reads its settings only from
``/etc/cups/cups-pdf-<queue>.conf`` (one file per queue, with a unique name, removed afterwards), and the
backend runs only under a cupsd started as root. The queue converts with poppler's ``pdftocairo``:
cups-pdf re-distils the job's PostScript with Ghostscript, and only that renderer keeps the text's
Unicode, so the PDF that arrives can be read back with ``pdftotext``.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

BACKEND = Path("/usr/lib/cups/backend/cups-pdf")
PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")
CUPS_PDF_CONFIG_DIR = Path("/etc/cups")
INSTALL = "apt-get install cups printer-driver-cups-pdf poppler-utils"


def missing() -> str | None:
    """Why a CUPS server with a PDF printer cannot be started here, or None when it can."""
    for command in ("cupsd", "lpadmin", "lp", "lpstat", "cupsdisable", "pdftocairo", "pdftotext"):
        if shutil.which(command) is None:
            return f"'{command}' is not installed ({INSTALL})"
    for path in (BACKEND, PPD):
        if not path.exists():
            return f"{path} is missing ({INSTALL})"
    if os.geteuid() != 0:
        return "the cups-pdf backend runs only under a cupsd started as root"
    return None


@dataclass
class CupsServer:
    """``root``: a new folder the filters (run as the ``lp`` user) can reach: not pytest's own, which only
    root may enter; ``start()`` makes one under the system's temporary folder."""

    root: Path | None = None

    def __post_init__(self) -> None:
        if self.root is None:
            self.root = Path(tempfile.mkdtemp(prefix="botulax-cups-"))
            self.root.chmod(0o755)
            self._made_root = True
        else:
            self._made_root = False
        self.queue = f"botulax_test_{os.getpid()}_{secrets.token_hex(3)}"
        self.socket = self.root / "run" / "cups.sock"
        self.output = self.root / "pdf"
        self.config = CUPS_PDF_CONFIG_DIR / f"cups-pdf-{self.queue}.conf"
        self.process: subprocess.Popen[bytes] | None = None
        self._stderr: IO[bytes] | None = None

    @property
    def env(self) -> dict[str, str]:
        return {"CUPS_SERVER": str(self.socket)}

    def start(self, timeout: float = 30) -> None:
        folders = {name: self.root / name for name in ("etc", "spool", "tmp", "cache", "state", "log", "run", "pdf")}
        for folder in folders.values():
            folder.mkdir(parents=True, exist_ok=True)
        folders["tmp"].chmod(0o1777)
        (folders["etc"] / "cupsd.conf").write_text(
            f"Listen {self.socket}\nLogLevel info\nDefaultAuthType None\nBrowsing No\nWebInterface No\n"
            "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
            "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n",
            encoding="utf-8",
        )
        (folders["etc"] / "cups-files.conf").write_text(
            f"ServerRoot {folders['etc']}\nRequestRoot {folders['spool']}\nTempDir {folders['tmp']}\n"
            f"CacheDir {folders['cache']}\nStateDir {folders['state']}\nPrintcap {folders['state']}/printcap\n"
            f"AccessLog {folders['log']}/access_log\nErrorLog {folders['log']}/error_log\n"
            f"PageLog {folders['log']}/page_log\n",
            encoding="utf-8",
        )
        self.config.write_text(
            f"Out {self.output}\nAnonDirName {self.output}\nSpool {folders['spool']}/cups-pdf\n"
            f"Log {folders['log']}\nLabel 0\nUserUMask 0077\n",
            encoding="utf-8",
        )
        self._stderr = (folders["log"] / "cupsd.out").open("wb")
        self.process = subprocess.Popen(
            ["cupsd", "-f", "-c", str(folders["etc"] / "cupsd.conf"), "-s", str(folders["etc"] / "cups-files.conf")],
            stdout=subprocess.DEVNULL,
            stderr=self._stderr,
        )
        deadline = time.monotonic() + timeout
        while self.run("lpstat", "-r").stdout.strip() != "scheduler is running":
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"cupsd did not start: {self.log()}")
            time.sleep(0.1)
        self.run(
            "lpadmin", "-p", self.queue, "-E", "-v", f"cups-pdf:/{self.queue}", "-P", str(PPD),
            "-o", "pdftops-renderer-default=pdftocairo", check=True,
        )  # fmt: skip

    def run(self, *command: str, check: bool = False) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            command, capture_output=True, text=True, env={**os.environ, **self.env}, check=check, timeout=60
        )

    def stop_queue(self) -> None:
        self.run("cupsdisable", self.queue, check=True)

    def start_queue(self) -> None:
        self.run("cupsenable", self.queue, check=True)

    def arrived(self, count: int, timeout: float = 90) -> list[Path]:
        """The PDFs the printer wrote, once ``count`` have arrived and the queue is idle. A queue idle
        for 5 s with fewer (its jobs failed) or a timeout is an AssertionError with the server's log."""
        deadline = time.monotonic() + timeout
        idle_since: float | None = None
        while True:
            files = sorted(self.output.glob("*.pdf"))
            idle = not self.run("lpstat", "-o", self.queue).stdout.strip()
            if len(files) >= count and idle:
                return files
            now = time.monotonic()
            idle_since = (idle_since or now) if idle else None
            if now > deadline or (idle_since is not None and now - idle_since > 5):
                raise AssertionError(f"{len(files)} of {count} PDFs arrived; the server's log:\n{self.log()}")
            time.sleep(0.2)

    def log(self) -> str:
        path = self.root / "log" / "error_log"
        return path.read_text(encoding="utf-8", errors="replace")[-4000:] if path.exists() else "(no log)"

    def close(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._stderr is not None:
            self._stderr.close()
        self.config.unlink(missing_ok=True)
        if self._made_root:
            shutil.rmtree(self.root, ignore_errors=True)
