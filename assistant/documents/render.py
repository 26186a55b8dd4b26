"""Rendering documents from the trainers' Jinja2 templates in prompts/templates/.

The environment is sandboxed (a template cannot reach Python internals), undefined names are errors
(a misspelt field fails loudly instead of printing a blank), and HTML is autoescaped (a patient
called ``<script>`` is printed, not run).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined, TemplateError, select_autoescape
from jinja2.sandbox import SandboxedEnvironment

from assistant.core.text import number


class RenderError(Exception):
    """A template that cannot be rendered; the message names the template and line."""


def _units(value: float) -> str:
    return number(float(value))


def _iso(value: date) -> str:
    return value.isoformat()


def make_environment(templates_dir: Path) -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=FileSystemLoader(str(templates_dir)),
        undefined=StrictUndefined,
        autoescape=select_autoescape(enabled_extensions=("html", "htm", "html.j2"), default_for_string=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["units"] = _units
    env.filters["iso"] = _iso
    return env


def render(env: SandboxedEnvironment, template_name: str, context: dict[str, Any]) -> str:
    try:
        return env.get_template(template_name).render(**context)
    except TemplateError as error:
        line = getattr(error, "lineno", None)
        where = f"{template_name}:{line}" if line else template_name
        raise RenderError(f"{where}: the template cannot be rendered: {error}") from None
