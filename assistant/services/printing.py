"""Handing a consult's PDFs to the system print queue (CUPS: ``lpstat`` and ``lp``), for the UI and the CLI.

The PDFs are always saved before anything is printed, so a queue that is missing, stopped or refusing
loses nothing: ``send_to_printer`` then says so in one sentence, with the folder the PDFs are in. The
clinic settings name the printer (``printer``; none: the system's default queue) and the paper
(``paper``: "a4" or "letter"), which is also the page size the documents are made in. ``lp`` and
``lpstat`` find the print server as any CUPS client does (``CUPS_SERVER``, client.conf).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from assistant.core.text import counted
from assistant.settings import ClinicSettings

#: The ``media`` option ``lp`` is given for each paper size the documents are made in.
MEDIA = {"a4": "A4", "letter": "Letter"}

_TIMEOUT = 30  # seconds: a print server that does not answer is a problem to report, not a hang


@dataclass
class PrintOutcome:
    """What happened: ``printed`` only when every file was accepted by the queue."""

    printed: bool
    message: str
    files: list[Path]
    jobs: list[str] = field(default_factory=list)


def documents_folder(data_dir: Path | None) -> Path:
    """Where a consult's PDFs are saved: ``documents/`` in the data folder."""
    from assistant.locations import user_data_dir

    return (data_dir or user_data_dir()) / "documents"


def _saved(files: list[Path]) -> str:
    folder = files[0].parent if files else Path()
    return f"the PDFs were saved instead in {folder}: {', '.join(p.name for p in files)}"


def _run(command: list[str]) -> subprocess.CompletedProcess[str] | str:
    """The command's result, or a sentence when it could not be run at all."""
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=_TIMEOUT)
    except subprocess.TimeoutExpired:
        return f"the print service did not answer within {_TIMEOUT} s"
    except OSError as error:
        return f"'{command[0]}' could not be run ({error.strerror or error})"


def _said(result: subprocess.CompletedProcess[str]) -> str:
    """What a CUPS command said, without its own name in front ("lp: Error - ...")."""
    text = " ".join((result.stderr or result.stdout).split())
    return re.sub(r"^\w+:\s*(Error\s*-\s*)?", "", text).rstrip(".") or f"exit status {result.returncode}"


def _not_running(said: str) -> bool:
    return "scheduler is not running" in said.lower() or "connection refused" in said.lower()


def queue_problem(printer: str | None) -> tuple[str | None, str | None]:
    """(the queue to print to, None) when it can take jobs now, else (its name or None, why not)."""
    lpstat = shutil.which("lpstat")
    if lpstat is None:
        return printer, None  # lp alone decides (some systems have lp without lpstat)
    running = _run([lpstat, "-r"])
    if isinstance(running, str):
        return printer, running
    if "not running" in running.stdout:  # asked first: lpstat then calls every printer invalid
        return printer, "the print service (CUPS) is not running"
    if printer is None:
        result = _run([lpstat, "-d"])
        if isinstance(result, str):
            return None, result
        found = re.search(r"destination:\s*(\S+)", result.stdout)
        if result.returncode != 0 and _not_running(_said(result)):
            return None, "the print service (CUPS) is not running"
        if found is None:
            return None, 'no default printer is set (name one in the clinic settings: printer = "...")'
        printer = found.group(1)
    result = _run([lpstat, "-p", printer])
    if isinstance(result, str):
        return printer, result
    if result.returncode != 0 or not result.stdout.strip():
        said = _said(result)
        if _not_running(said):
            return printer, "the print service (CUPS) is not running"
        if "invalid destination" in said.lower() or not said or "does not exist" in said.lower():
            return printer, f"there is no printer '{printer}' on this computer"
        return printer, f"the printer '{printer}' cannot be asked: {said}"
    if " disabled" in result.stdout:
        return printer, f"the printer '{printer}' is stopped"
    accepting = _run([lpstat, "-a", printer])
    if not isinstance(accepting, str) and "not accepting" in accepting.stdout:
        return printer, f"the printer '{printer}' is not accepting jobs"
    return printer, None


def send_to_printer(files: list[Path], clinic: ClinicSettings, paper: str | None = None) -> PrintOutcome:
    """Queue each saved PDF on the clinic's printer, on ``paper`` (the size they were made in; default:
    the clinic's)."""
    media = MEDIA.get(paper or clinic.paper, MEDIA["a4"])
    lp = shutil.which("lp")
    if lp is None:
        return PrintOutcome(
            False, f"There is no system print queue here (the 'lp' command is missing); {_saved(files)}.", files
        )
    printer, problem = queue_problem(clinic.printer)
    if problem is not None:
        return PrintOutcome(False, f"Not printed: {problem}; {_saved(files)}.", files)
    destination = ["-d", printer] if printer else []
    jobs: list[str] = []
    for path in files:
        result = _run([lp, *destination, "-o", f"media={media}", "--", str(path)])
        if isinstance(result, str) or result.returncode != 0:
            reason = result if isinstance(result, str) else _said(result)
            sent = f" ({len(jobs)} of {len(files)} sent first)" if jobs else ""
            message = f"Not printed: the print queue refused {path.name}: {reason}{sent}; {_saved(files)}."
            return PrintOutcome(False, message, files, jobs)
        found = re.search(r"request id is (\S+)", result.stdout)
        jobs.append(found.group(1) if found else "")
    where = f"'{printer}'" if printer else "the default printer"
    folder = files[0].parent if files else Path()
    return PrintOutcome(
        True,
        f"Sent {counted(len(files), 'document')} to {where} ({media}); the PDFs are also saved in {folder}.",
        files,
        jobs,
    )
