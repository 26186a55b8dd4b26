"""Every dialog is centred over the screen it belongs to: the patient-match list, the same-day
question and Find a patient sat in the top-left corner over the header (a tryout at 80x24 and 160x50)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from textual.screen import ModalScreen

from assistant.tui import screens, styles


def modal_screens() -> set[str]:
    found = set()
    for module in pkgutil.iter_modules(screens.__path__):
        loaded = importlib.import_module(f"{screens.__name__}.{module.name}")
        for name, value in inspect.getmembers(loaded, inspect.isclass):
            if issubclass(value, ModalScreen) and value.__module__ == loaded.__name__:
                found.add(name)
    return found


def test_every_dialog_is_centred() -> None:
    css = styles.REST.read_text(encoding="utf-8")
    rule = css[css.index("/* Dialogs, centred") :]
    selectors = rule[rule.index("*/") + 2 : rule.index("{")]
    centred = {name.strip() for name in selectors.split(",")}
    assert "align: center middle" in rule[: rule.index("}")]
    assert modal_screens() <= centred, sorted(modal_screens() - centred)
