"""The usual fix for a YAML syntax error, in a trainer's words.

ruamel's messages say what the parser expected ("mapping values are not allowed here"), not what the
trainer typed wrong. The few mistakes trainers make (a colon inside a prompt, a tab, a quote left
open, a line indented out of step) are recognised from the message and the line's text, and each
gets the fix that usually works; anything else keeps ruamel's words alone.
"""

from __future__ import annotations

import re

from ruamel.yaml.error import MarkedYAMLError

from assistant.files.problems import FileProblem

_COLON_IN_TEXT = re.compile(r"^\s*(?:-\s+)?[\w-]+:\s+[^'\"\s].*:\s")


def syntax_hint(problem: str, context: str, line_text: str) -> str:
    """A sentence starting with "Usual fix:", or "" when the mistake is not one of the usual ones."""
    if "'\\t'" in problem or "\t" in line_text[: len(line_text) - len(line_text.lstrip())]:
        return "Usual fix: a tab: YAML indents with spaces only; replace the tab with spaces."
    if "mapping values are not allowed" in problem:
        if _COLON_IN_TEXT.match(line_text):
            return (
                "Usual fix: a colon followed by a space inside a prompt: put the prompt in quotes "
                '(prompt: "Note: ...").'
            )
        return "Usual fix: this line is indented further than the key above it; line it up with the keys beside it."
    if "quoted scalar" in context:
        return "Usual fix: a quote opened and not closed; close it, or write a quote inside the text twice ('it''s')."
    if "expected <block end>" in problem:
        return (
            "Usual fix: the indentation does not line up: keys beside each other start in the same column, "
            "and text after a closing quote belongs inside the quotes."
        )
    if re.search(r"expected ',' or '[\]}]'", problem):
        return "Usual fix: a list [a, b] or a mapping {a: b} is not closed; add the ] or }."
    return ""


def found_text(line_text: str) -> str:
    """The line as typed, cut to a readable length, to quote in the message."""
    text = line_text.replace("\t", "\\t").strip()
    return text if len(text) <= 70 else text[:67] + "..."


def syntax_problem(error: MarkedYAMLError, text: str, name: str) -> FileProblem:
    """The line, what is there and the usual fix; a quote left open is named where it opened."""
    context = str(error.context or "")
    mark = error.context_mark if "quoted scalar" in context and error.context_mark else error.problem_mark
    mark = mark or error.context_mark
    line = mark.line + 1 if mark is not None else 1
    lines = text.splitlines()
    line_text = lines[line - 1] if 0 < line <= len(lines) else ""
    what = error.problem or error.context or "invalid YAML"
    found = f" (found: {found_text(line_text)})" if line_text.strip() else ""
    hint = syntax_hint(str(error.problem or ""), context, line_text)
    message = f"this is not valid YAML: {what}{found}." + (f" {hint}" if hint else "")
    return FileProblem(name, line, "yaml-syntax", message)
