"""The log's own folder is owner-only, as the config's and the cache's are (a tryout found it 0755):
the log names consults, accounts and the record's comings and goings."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

from assistant.files.log_file import LOGGER, start_logging


def test_the_log_folder_made_for_the_log_is_owner_only(tmp_path: Path) -> None:
    target = tmp_path / "state" / "botulax-consult" / "botulax-consult.log"
    logger = logging.getLogger(LOGGER)
    before = list(logger.handlers)
    try:
        assert start_logging(target) == target.resolve()
        assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700
    finally:
        for handler in [h for h in logger.handlers if h not in before]:
            logger.removeHandler(handler)
            handler.close()
