"""The program's log file: errors and the record server's own words, kept off the screen.

Staff read one plain line while the server is away (``tui/widgets/server_line.py``); what libpq
said, and any error a worker met, goes here for whoever looks after the clinic's computers. The
file rotates (1 MB, three old files kept) so a long outage cannot fill the disk. It lives in the
user's log folder (``platformdirs.user_log_dir("botulax-consult")``), or where
``BOTULAX_CONSULT_LOG`` names. Nothing secret is written: addresses without their password, never a
PIN or an answer.
"""

from __future__ import annotations

import logging
import os
from logging.handlers import RotatingFileHandler
from pathlib import Path

import platformdirs

from assistant.locations import APP_NAME

ENV = "BOTULAX_CONSULT_LOG"
LOGGER = "assistant"
"""The package's loggers are its modules' (``logging.getLogger(__name__)``): all under this one."""
MAX_BYTES = 1_000_000
BACKUPS = 3
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"


def log_path() -> Path:
    """Where the log is written: ``BOTULAX_CONSULT_LOG``, else ``botulax-consult.log`` in the user's log folder."""
    named = os.environ.get(ENV)
    if named:
        return Path(named).expanduser()
    return Path(platformdirs.user_log_dir(APP_NAME)) / f"{APP_NAME}.log"


def start_logging(path: Path | None = None) -> Path | None:
    """Send the package's warnings and errors to the rotating file: one file per process, the one
    named last (a second start with the same file keeps it). Returns the file, or None when it
    cannot be written: the log never stops a consult."""
    target = (path or log_path()).resolve()
    logger = logging.getLogger(LOGGER)
    for handler in list(logger.handlers):
        if isinstance(handler, RotatingFileHandler) and getattr(handler, "botulax", False):
            if Path(handler.baseFilename) == target:
                return target
            logger.removeHandler(handler)
            handler.close()
    try:
        if not target.parent.exists():  # its own folder owner-only, as the config's and cache's: a log
            target.parent.parent.mkdir(parents=True, exist_ok=True)  # names consults and accounts
            target.parent.mkdir(mode=0o700, exist_ok=True)
        handler = RotatingFileHandler(target, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True)
    except OSError:
        return None
    handler.botulax = True  # type: ignore[attr-defined]  # ours, replaced by the next start
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.setLevel(logging.INFO)
    logger.addHandler(handler)
    if logger.level == logging.NOTSET or logger.level > logging.INFO:
        logger.setLevel(logging.INFO)
    return target
