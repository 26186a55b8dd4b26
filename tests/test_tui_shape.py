"""The app is composed, not stacked (issue 21.1): ``ConsultApp`` inherits from Textual's ``App``
alone and builds plain collaborators; no class of ``assistant/tui`` stands on more than one of ours,
and no collaborator imports a screen or a widget."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import assistant.tui
import assistant.tui.collaborators
from assistant.tui.app import ConsultApp

TUI = Path(assistant.tui.__file__).parent


def _modules(package) -> list:  # type: ignore[no-untyped-def]
    names = [info.name for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}.")]
    return [importlib.import_module(name) for name in names]


def _classes_of(modules: list) -> list[type]:  # type: ignore[type-arg]
    return [
        cls
        for module in modules
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if cls.__module__ == module.__name__
    ]


def test_the_app_inherits_from_textuals_app_alone() -> None:
    from textual.app import App

    assert ConsultApp.__mro__ == (ConsultApp, *App.__mro__)


def test_no_class_of_the_tui_stands_on_more_than_one_of_ours() -> None:
    """A class may extend a Textual class, or one of ours (a kind of transcript turn extends the
    turn), but never a chain or a mix of ours: the mixins are gone and stay gone."""
    classes = _classes_of(_modules(assistant.tui))
    assert ConsultApp in classes and len(classes) > 30, "every module of the tui was walked"
    stacked = {
        cls.__qualname__: ours
        for cls in classes
        if len(ours := [base.__qualname__ for base in cls.__mro__[1:] if base.__module__.startswith("assistant.")]) > 1
    }
    assert stacked == {}


def test_the_collaborators_are_plain_objects_that_import_no_screen() -> None:
    """They ask people through ``tui/dialogs.py`` and tell screens through ``tui/messages.py``."""
    modules = _modules(assistant.tui.collaborators)
    assert {m.__name__.rsplit(".", 1)[1] for m in modules} >= {"signed_in", "drafts", "record_desk", "finishing"}
    for cls in _classes_of(modules):
        textual = [base for base in cls.__mro__ if base.__module__.startswith("textual")]
        assert not textual, f"{cls.__qualname__} is a Textual class"
    for path in (TUI / "collaborators").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                assert not name.startswith(("assistant.tui.screens", "assistant.tui.widgets")), f"{path.name}: {name}"
                assert name != "assistant.tui.app", f"{path.name} reaches into the app"
