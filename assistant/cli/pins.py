"""Reading PINs: hidden at the terminal, or one a line from standard input (``--pin-stdin``).

With ``--pin-stdin`` standard input holds the PINs in the order a command asks for them (for
``staff add``: the new account's, then the director's; for ``give``, ``sign``, ``amend`` and the
vial commands: the signer's). A PIN is never echoed, printed or kept.
"""

from __future__ import annotations

import argparse
import getpass
import sys


class PinInputError(Exception):
    """No PIN could be read (exit 2): no terminal, too few lines, or two entries that differ."""


class PinReader:
    def __init__(self, args: argparse.Namespace) -> None:
        self.from_stdin = bool(getattr(args, "pin_stdin", False))

    def read(self, prompt: str) -> str:
        if self.from_stdin:
            line = sys.stdin.readline()
            if not line:
                raise PinInputError(f"--pin-stdin: standard input ran out before this PIN ({prompt.rstrip(': ')}).")
            return line.rstrip("\r\n")
        if not sys.stdin.isatty():
            raise PinInputError("There is no terminal to ask the PIN at: give it on standard input with --pin-stdin.")
        return getpass.getpass(prompt)

    def new(self, name: str) -> str:
        """A new account's PIN: asked twice at the terminal (once from standard input)."""
        first = self.read(f"New PIN for {name}: ")
        if not self.from_stdin and self.read("The same PIN again: ") != first:
            raise PinInputError("The two PINs differ; nothing was changed.")
        return first


def add_pin_stdin(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--pin-stdin", action="store_true", help="read PINs from standard input, one a line (for scripts)"
    )
