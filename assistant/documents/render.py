"""Rendering documents from the trainers' Jinja2 templates in prompts/templates/.

The environment is sandboxed (a template cannot reach Python internals), undefined names are errors
(a misspelt field fails loudly instead of printing a blank), and HTML is autoescaped (a patient
called ``<script>`` is printed, not run). Every failure is a ``RenderError`` whose message names the
template file and line, so a trainer's mistake is a sentence, never a traceback.
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import Any

from jinja2 import (
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    UndefinedError,
    select_autoescape,
)
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from assistant.core.text import number
from assistant.documents.bounds import BoundedSandbox, TemplateTooCostly, bounded_steps


class RenderError(Exception):
    """A template that cannot be rendered; the message names the template and line."""


def _units(value: float) -> str:
    return number(float(value))


def _iso(value: date) -> str:
    return value.isoformat()


def _ml(value: float) -> str:
    """A volume per point as a syringe reads: 0.100, 0.063."""
    return f"{float(value):.3f}"


def _capfirst(value: object) -> str:
    """Upper-case the first letter only ("your forehead lines" -> "Your forehead lines")."""
    text = str(value)
    return text[:1].upper() + text[1:]


def make_environment(templates_dir: Path) -> SandboxedEnvironment:
    """The sandbox every document is rendered in; it also bounds a template's work and escapes the
    control characters of every value it prints (see ``assistant.documents.bounds``)."""
    env = BoundedSandbox(
        loader=FileSystemLoader(str(templates_dir)),
        undefined=StrictUndefined,
        autoescape=select_autoescape(enabled_extensions=("html", "htm", "html.j2"), default_for_string=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["units"] = _units
    env.filters["iso"] = _iso
    env.filters["ml"] = _ml
    env.filters["capfirst"] = _capfirst
    return env


_environments: dict[str, SandboxedEnvironment] = {}


def environment_for(templates_dir: Path) -> SandboxedEnvironment:
    """One shared environment per templates folder, so compiled templates are reused.

    Jinja checks each template file's modification time on use, so a trainer's edit on disk still
    shows at the next render.
    """
    key = os.path.realpath(templates_dir)
    env = _environments.get(key)
    if env is None:
        env = _environments[key] = make_environment(templates_dir)
    return env


def _template_file_and_line(
    env: SandboxedEnvironment, template_name: str, traceback: TracebackType | None
) -> tuple[str, int | None]:
    """The innermost template frame of a rendering error: (template name, line)."""
    found: tuple[str, int | None] = (template_name, None)
    while traceback is not None:
        if "__jinja_exception__" in traceback.tb_frame.f_globals:
            found = (_template_name(env, traceback.tb_frame.f_code.co_filename, template_name), traceback.tb_lineno)
        traceback = traceback.tb_next
    return found


def _template_name(env: SandboxedEnvironment, filename: str, fallback: str) -> str:
    loader = env.loader
    if isinstance(loader, FileSystemLoader) and filename and not filename.startswith("<"):
        for folder in loader.searchpath:
            try:
                return Path(filename).resolve().relative_to(Path(folder).resolve()).as_posix()
            except ValueError:
                continue
    return fallback


def _explain(error: Exception) -> str:
    if isinstance(error, TemplateTooCostly):
        return f"the template cannot be rendered: {error}"
    if isinstance(error, SecurityError):
        found = re.search(r"attribute '([^']+)'", str(error))
        what = f"'{found.group(1)}'" if found else f"something ({str(error).rstrip('.')})"
        return (
            f"the template reaches for {what}, which templates may not use: "
            "a template can only show the values it is given"
        )
    if isinstance(error, UndefinedError):
        return f"the template uses a value it is not given: {error} (a misspelt name?)"
    if isinstance(error, TemplateNotFound):
        return f"no template named '{error.name}' in the templates folder"
    if isinstance(error, TemplateSyntaxError):
        return f"the template has a syntax error: {error.message}"
    if isinstance(error, TemplateError):
        return f"the template cannot be rendered: {error}"
    return f"the template cannot be rendered: {type(error).__name__}: {error}"


def render(env: SandboxedEnvironment, template_name: str, context: dict[str, Any]) -> str:
    try:
        template = env.get_template(template_name)
        with bounded_steps(env):
            return template.render(**context)
    except Exception as error:  # a trainer's template may fail in any way; each becomes a sentence
        if isinstance(error, TemplateSyntaxError) and error.lineno:
            name = error.name or template_name
            where = f"{name}:{error.lineno}"
        elif isinstance(error, TemplateNotFound) and error.name == template_name:
            where = template_name
        else:
            name, line = _template_file_and_line(env, template_name, error.__traceback__)
            where = f"{name}:{line}" if line else name
        raise RenderError(f"{where}: {_explain(error)}") from None
