"""The program's bytecode, compiled once when the test run starts, for every Python process it starts.

Where ``PYTHONDONTWRITEBYTECODE`` is set (as on our development and CI machines), nothing ever writes
the ``__pycache__`` of the editable install: pip compiles the packages it installs, not a folder
installed with ``-e``. So each xdist worker, and each Python process a test starts (about 80 in a
run: the command line, saves killed on purpose, a second workstation, a PIN tried from several
processes), compiled the modules it imported from their source again, about 0.1-0.2 s of CPU each.
``compileall`` writes whatever that setting says; a module whose compiled file is up to date is
skipped, so a second run pays a directory walk. A module edited later is compiled again in memory by
Python, as before, because the file's time stamp no longer matches.
"""

from __future__ import annotations

import compileall

from assistant import locations


def compile_program() -> None:
    """Compile the ``assistant`` package where it lies. A folder that cannot be written is left as it
    is: the processes then compile in memory, as before."""
    compileall.compile_dir(locations.PACKAGE_DIR, quiet=2, workers=1)
