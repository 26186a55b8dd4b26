"""ruamel's round-trip loader in linear time, however many comments a file holds.

The round-trip scanner keeps every comment as a token and joins consecutive comment lines by
repeated string concatenation: quadratic, so an answer file with 200,000 comment lines took
minutes to read (issue 20). Nothing in the program reads comments (positions come from the nodes,
``Located.line_of``), so ``_Scanner`` skips them as ruamel's plain scanner does, each to the end
of its line in one step, and hands the parser no comment at all. Values and line numbers are the
same as the round-trip loader's.

A text read again in the same process is not parsed again (``load_round_trip``): checking a script
reads the same knowledge files for each of its checks, a rehearsal reads the script for every
example, and parsing is most of what those cost.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.scanner import RoundTripScanner

_LINE_END = re.compile("[\0\r\n\x85\u2028\u2029]")
"""Where a comment ends (ruamel's ``_THE_END``): a line break, or the end of the text."""


class _Scanner(RoundTripScanner):
    def scan_to_next_token(self) -> None:
        """Skip spaces, line breaks and comments up to the next token (the plain scanner's rule)."""
        reader = self.reader
        peek, forward = reader.peek, reader.forward
        if reader.index == 0 and peek() == "\ufeff":
            forward()
        white_space = " \t" if self.flow_level > 0 else " "
        while True:
            while peek() in white_space:
                forward()
            if peek() == "#":
                end = _LINE_END.search(reader.buffer, reader.pointer)
                if end is not None:
                    forward(end.start() - reader.pointer)
                while peek() not in "\0\r\n\x85\u2028\u2029":  # a text read in parts: to the end of its line
                    forward()
            if not self.scan_line_break():
                return None
            if not self.flow_level:
                self.allow_simple_key = True


def round_trip() -> YAML:
    """A round-trip loader (every key and item keeps its line) that skips comments."""
    yaml = YAML(typ="rt")
    yaml.Scanner = _Scanner
    return yaml


REMEMBERED_TEXTS = 64
"""Documents kept parsed, most recently read first: a script, its knowledge base and forms."""

REMEMBERED_TEXT_LIMIT = 256 * 1024
"""Longer texts (answer files can be large) are parsed each time rather than kept."""


def load_round_trip(text: str) -> Any:
    """The round-trip document of ``text``, parsed once per process for texts up to the limit.

    The document is shared between callers: read it, never change it (``yaml_source`` hands on
    fresh plain values built from it). A text that does not parse raises each time.
    """
    if len(text) > REMEMBERED_TEXT_LIMIT:
        return round_trip().load(text)
    return _remembered(text)


@functools.lru_cache(maxsize=REMEMBERED_TEXTS)
def _remembered(text: str) -> Any:
    return round_trip().load(text)
