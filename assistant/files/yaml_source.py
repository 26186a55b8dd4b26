"""Reading YAML so that every problem can name its file and line.

ruamel.yaml's round-trip loader keeps the position of every key and item; ``Located`` turns a
pydantic error location (``('questions', 3, 'show_if')``) back into a line number. Values are handed
on as plain Python types so that no ruamel type reaches the models.
"""

from __future__ import annotations

import contextlib
import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

from pydantic import BaseModel
from ruamel.yaml.anchor import Anchor
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

from assistant.core.script import QuestionType
from assistant.core.text_safety import text_problem
from assistant.files.problems import FileProblem
from assistant.files.reading import YAML_FILE_LIMIT, UnreadableFile, read_limited
from assistant.files.yaml_hints import syntax_problem
from assistant.files.yaml_scanner import load_round_trip, round_trip

_UNION_TAGS = set(get_args(QuestionType))


class YamlFileError(Exception):
    """A file that cannot be read as YAML; carries the problem to print."""

    def __init__(self, problem: FileProblem) -> None:
        super().__init__(str(problem))
        self.problem = problem


MAX_DEPTH = 64
"""Deeper than any script, knowledge file or answer file needs; deeper is refused, not recursed into."""

MAX_VALUES = 200_000
"""Values a file may expand to. A few hundred bytes of nested aliases (a "billion laughs") would
otherwise expand to hundreds of millions of values and hang every command."""


class _TooBig(Exception):
    """The document nests deeper than MAX_DEPTH, expands past MAX_VALUES, or holds an alias where none may be."""

    def __init__(self, message: str, *, alias: bool = False) -> None:
        super().__init__(message)
        self.alias = alias


class _Plain:
    """ruamel's round-trip values as plain Python, with the bounds above."""

    def __init__(self, allow_aliases: bool) -> None:
        self.allow_aliases = allow_aliases
        self.count = 0

    def convert(self, node: Any, depth: int = 0) -> Any:
        self.count += 1
        if self.count > MAX_VALUES:
            raise _TooBig(
                f"the file expands to more than {MAX_VALUES:,} values (aliases repeating aliases?); write the "
                "values out, or use fewer aliases"
            )
        if depth > MAX_DEPTH:
            raise _TooBig(f"the file is nested more than {MAX_DEPTH} levels deep")
        if not self.allow_aliases and getattr(getattr(node, Anchor.attrib, None), "value", None) is not None:
            raise _TooBig(
                "an answer file may not use YAML anchors or aliases (&name, *name); write each answer out",
                alias=True,
            )
        if isinstance(node, CommentedMap | dict):
            return {
                (str(k) if not isinstance(k, bool | int | float) else k): self.convert(v, depth + 1)
                for k, v in node.items()
            }
        if isinstance(node, CommentedSeq | list):
            return [self.convert(v, depth + 1) for v in node]
        if isinstance(node, str):
            return str(node)
        if isinstance(node, bool):
            return bool(node)
        if isinstance(node, int):
            return int(node)
        if isinstance(node, float):
            return float(node)
        return node


def _plain(node: Any, *, allow_aliases: bool = True) -> Any:
    """Plain Python values of a loaded document; ``_TooBig`` past the bounds."""
    return _Plain(allow_aliases).convert(node)


@dataclass
class Located:
    """A YAML document with its positions: ``data`` is plain Python, ``line_of`` finds lines."""

    file: str
    root: Any
    data: Any

    def line_of(self, loc: Sequence[str | int]) -> int:
        """1-based line of the deepest part of ``loc`` that exists in the file.

        Parts that are not in the file (a union tag pydantic adds, a missing key) are skipped, so a
        missing key is reported at its parent's line.
        """
        node, line = self.root, 1
        for part in loc:
            if isinstance(node, CommentedMap) and part in node:
                line = node.lc.key(part)[0] + 1
                node = node[part]
            elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
                line = node.lc.item(part)[0] + 1
                node = node[part]
            elif isinstance(node, CommentedMap | CommentedSeq) and isinstance(part, str):
                continue
            else:
                break
        return line

    def problem(self, loc: Sequence[str | int], code: str, message: str, severity: str = "error") -> FileProblem:
        return FileProblem(self.file, self.line_of(loc), code, message, severity)


def read_yaml(path: Path, display: str | None = None, *, allow_aliases: bool = True) -> Located:
    """Parse a YAML file; a syntax error becomes a YamlFileError naming the line."""
    name = display or str(path)
    try:
        text = read_limited(path, YAML_FILE_LIMIT).decode("utf-8")
    except FileNotFoundError:
        raise YamlFileError(FileProblem(name, 1, "missing-file", "the file does not exist.")) from None
    except UnreadableFile as error:
        raise YamlFileError(FileProblem(name, 1, "unreadable-file", f"{error.reason}.")) from None
    except (OSError, UnicodeDecodeError) as error:
        raise YamlFileError(FileProblem(name, 1, "unreadable-file", f"cannot read the file: {error}.")) from None
    return parse_yaml(text, name, allow_aliases=allow_aliases)


def parse_yaml(text: str, name: str, *, allow_aliases: bool = True) -> Located:
    """``allow_aliases=False`` refuses anchors and aliases (answer files have no use for them)."""
    try:
        root = load_round_trip(text)
    except MarkedYAMLError as error:
        raise YamlFileError(syntax_problem(error, text, name)) from None
    except YAMLError as error:
        raise YamlFileError(FileProblem(name, 1, "yaml-syntax", f"this is not valid YAML: {error}.")) from None
    except ValueError as error:
        # A scalar YAML resolves but cannot build, e.g. the date 2026-02-30 or `!!int x`.
        line = _unbuildable_scalar_line(text)
        raise YamlFileError(FileProblem(name, line, "yaml-syntax", f"this is not valid YAML: {error}.")) from None
    except RecursionError:
        raise YamlFileError(too_deep(name)) from None
    try:
        return Located(name, root, _plain(root, allow_aliases=allow_aliases))
    except _TooBig as error:
        line = _first_anchor_line(text) if error.alias else 1
        raise YamlFileError(FileProblem(name, line, "yaml-too-big", f"{error}.")) from None
    except RecursionError:
        raise YamlFileError(too_deep(name)) from None


def too_deep(name: str) -> FileProblem:
    return FileProblem(name, 1, "yaml-too-big", f"the file is nested more than {MAX_DEPTH} levels deep.")


def _first_anchor_line(text: str) -> int:
    """1-based line of the first anchor or alias (1 when it cannot be found)."""
    for event in round_trip().parse(text):
        if getattr(event, "anchor", None) is not None:
            return event.start_mark.line + 1
    return 1


def _unbuildable_scalar_line(text: str) -> int:
    """1-based line of the first scalar that cannot be built (1 when it cannot be found)."""
    yaml = round_trip()
    try:
        node = yaml.compose(text)
    except YAMLError:
        return 1
    stack = [node] if node is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, ScalarNode):
            try:
                yaml.constructor.construct_object(node, deep=True)
            except ValueError:
                return node.start_mark.line + 1
            except Exception:  # only a ValueError is what is being located
                pass
        elif isinstance(node, MappingNode):
            stack += [part for pair in reversed(node.value) for part in reversed(pair)]
        elif isinstance(node, SequenceNode):
            stack += list(reversed(node.value))
    return 1


def text_problems(located: Located) -> list[FileProblem]:
    """A problem at its line for every text (key or value) that holds a control or text-direction
    character: a script or knowledge text is shown on screens and printed for patients."""
    problems = []
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), located.data)]
    while stack:
        loc, value = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str) and (problem := text_problem(key, "A key")) is not None:
                    problems.append(located.problem((*loc, key), "control-character", problem))
                stack.append(((*loc, key), item))
        elif isinstance(value, list):
            stack += [((*loc, index), item) for index, item in enumerate(value)]
        elif isinstance(value, str):
            where = ".".join(str(part) for part in loc) or "The text"
            if (problem := text_problem(value, where, multiline=True)) is not None:
                problems.append(located.problem(loc, "control-character", problem))
    return sorted(problems, key=lambda p: p.line)


def _field_names(models: Iterable[type[BaseModel]]) -> set[str]:
    """Every key any of the models (and the models they hold) accept, for "did you mean"."""
    names: set[str] = set()
    seen: set[type] = set()
    stack = list(models)
    while stack:
        model = stack.pop()
        if model in seen:
            continue
        seen.add(model)
        for field_name, field in model.model_fields.items():
            names.add(field_name)
            stack += _models_in(field.annotation)
    return names


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    found: list[type[BaseModel]] = []
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        found.append(annotation)
    for arg in getattr(annotation, "__args__", ()) or ():
        found += _models_in(arg)
    for meta in getattr(annotation, "__metadata__", ()) or ():
        found += _models_in(meta)
    origin = getattr(annotation, "__origin__", None)
    if origin is not None and origin is not annotation:
        found += _models_in(origin)
    return found


def _named_at(located: Located, loc: Sequence[str | int]) -> str | None:
    """ "question 'toxin_allergy'" when the mapping at ``loc`` has an ``id`` (a question), else None."""
    node: Any = located.data
    with contextlib.suppress(KeyError, IndexError, TypeError):
        for part in loc:
            node = node[part]
        found = node.get("id") if isinstance(node, dict) else None
        return f"question '{found}'" if isinstance(found, str) else None
    return None


def validation_problems(located: Located, errors: Iterable[Any], model: type[BaseModel]) -> list[FileProblem]:
    """Pydantic's errors as a trainer reads them: where, and what to do about it."""
    vocabulary = _field_names([model])
    problems = []
    for item in errors:
        loc = tuple(item["loc"])
        key = loc[-1] if loc else ""
        kind = item["type"]
        where = ".".join(str(p) for p in loc if not (isinstance(p, str) and p in _UNION_TAGS))
        if kind == "extra_forbidden":
            close = difflib.get_close_matches(str(key), sorted(vocabulary), n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            problems.append(located.problem(loc, "unknown-key", f"unknown key '{key}' (at {where}).{hint}"))
        elif kind == "missing":
            problems.append(located.problem(loc, "missing-key", f"'{key}' is required (at {where})."))
        elif kind == "union_tag_invalid":
            tag = item.get("ctx", {}).get("tag", "?")
            expected = item.get("ctx", {}).get("expected_tags", "")
            options = [t.strip().strip("'") for t in str(expected).split(",")]
            close = difflib.get_close_matches(str(tag), options, n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            problems.append(
                located.problem((*loc, "type"), "bad-type", f"unknown question type '{tag}' (types: {expected}).{hint}")
            )
        elif kind == "union_tag_not_found":  # no ``type:`` at all: which question, and the types there are
            named, types = _named_at(located, loc) or where, ", ".join(sorted(_UNION_TAGS))
            problems.append(located.problem(loc, "missing-key", f"{named} has no type: add type: and one of {types}."))
        else:
            message = item["msg"]
            if message.startswith("Value error, "):
                message = message.removeprefix("Value error, ")
            problems.append(located.problem(loc, "bad-value", f"{where}: {message}."))
    return problems
