"""ruamel's round-trip loader in linear time, however many comments a file holds.

The round-trip scanner keeps every comment as a token and joins consecutive comment lines by
repeated string concatenation: quadratic, so an answer file with 200,000 comment lines took
minutes to read (issue 20). Nothing in the program reads comments (positions come from the nodes,
``Located.line_of``), so ``_Scanner`` skips them as ruamel's plain scanner does, each to the end
of its line in one step, and hands the parser no comment at all. Values and line numbers are the
same as the round-trip loader's.
"""

from __future__ import annotations

import re

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
