"""Reading PINs: hidden at the terminal, or one a line from standard input (``--pin-stdin``).

With ``--pin-stdin`` standard input holds the PINs in the order a command asks for them (for
``staff add``: the new account's, then the director's; for ``give``, ``sign``, ``amend`` and the
vial commands: the signer's). A PIN is never echoed, printed or kept.
"""

from __future__ import annotations

import argparse
import getpass
import os
import stat
import sys

from assistant.files.reading import PIN_LINE_LIMIT


class PinInputError(Exception):
    """No PIN could be read (exit 2): no terminal, too few lines, or two entries that differ."""


class PinReader:
    def __init__(self, args: argparse.Namespace) -> None:
        self.from_stdin = bool(getattr(args, "pin_stdin", False))

    def read(self, prompt: str, whose: str = "") -> str:
        """``whose``: a sentence said when no PIN can be asked, naming whose PIN it is and why (a name
        remembered from the UI, not typed on this command line)."""
        if self.from_stdin:
            line = _line_of_stdin(prompt)
            if not line:
                raise PinInputError(f"--pin-stdin: standard input ran out before this PIN ({prompt.rstrip(': ')}).")
            return line.rstrip("\r\n")
        if not sys.stdin.isatty():
            raise PinInputError(
                f"There is no terminal to ask the PIN at: give it on standard input with --pin-stdin.{whose}"
            )
        return getpass.getpass(prompt)

    def new(self, name: str) -> str:
        """A new account's PIN: asked twice at the terminal (once from standard input)."""
        first = self.read(f"New PIN for {name}: ")
        if not self.from_stdin and self.read("The same PIN again: ") != first:
            raise PinInputError("The two PINs differ; nothing was changed.")
        return first


def _line_of_stdin(prompt: str) -> str:
    """One line of standard input, of at most ``PIN_LINE_LIMIT`` characters: a device such as
    ``/dev/zero`` (endless, without a line break) or a folder is refused with a sentence, never
    read until the memory is full. A pipe, a socket, a file and a terminal are what PINs come from."""
    stream = sys.stdin
    if stream is None:
        raise PinInputError("--pin-stdin: there is no standard input to read the PINs from.")
    try:
        info: os.stat_result | None = os.fstat(stream.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (a test's StringIO): read it as it is
        info = None
    if (
        info is not None
        and not stream.isatty()
        and not (stat.S_ISFIFO(info.st_mode) or stat.S_ISREG(info.st_mode) or stat.S_ISSOCK(info.st_mode))
        and not _is_devnull(info)  # nothing to read: "ran out", below
    ):
        raise PinInputError(
            "--pin-stdin: standard input is a device or a folder, not a pipe, a file or a terminal; "
            "give the PINs one a line (for example: printf '%s\\n' \"$PIN\" | botulax-consult ...)."
        )
    try:
        line = stream.readline(PIN_LINE_LIMIT + 1)
    except (OSError, UnicodeDecodeError) as error:
        raise PinInputError(f"--pin-stdin: standard input cannot be read as text: {error}.") from None
    if len(line.rstrip("\r\n")) > PIN_LINE_LIMIT:
        raise PinInputError(
            f"--pin-stdin: a line of standard input is longer than {PIN_LINE_LIMIT} characters, so it is not a "
            f"PIN ({prompt.rstrip(': ')}); give the PINs one a line."
        )
    return line


def _is_devnull(info: os.stat_result) -> bool:
    try:
        return os.path.samestat(info, os.stat(os.devnull))
    except OSError:
        return False


def add_pin_stdin(parser: argparse.ArgumentParser, order: str | None = None) -> None:
    """``order``: which PINs the lines hold, in turn, when the command asks for more than one."""
    said = f": {order}" if order else ""
    parser.add_argument(
        "--pin-stdin", action="store_true", help=f"read PINs from standard input, one a line (for scripts){said}"
    )
