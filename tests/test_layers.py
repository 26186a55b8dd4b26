"""No import circles inside a room (a folder of the package): a module that another imports never
imports it back, not at the top, not inside a function, not for type hints only.

A circle makes two modules one: neither can be read, changed or tested without the other, and the
one that loads first sees the other half-built. The imports are read from the source (``ast`` over
every module, every import statement wherever it stands), so a lazy import cannot hide a circle.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import assistant

PACKAGE_DIR = Path(assistant.__file__).parent

# Circles known and being removed elsewhere; a circle is tolerated only when all its modules are
# listed here together. Trim an entry when the change that removes it is merged.
KNOWN_CIRCLES: list[frozenset[str]] = []


def module_files(package_dir: Path = PACKAGE_DIR) -> dict[str, Path]:
    """Every module of the package by its dotted name (a package by its own name, for its ``__init__``)."""
    modules: dict[str, Path] = {}
    for path in sorted(package_dir.rglob("*.py")):
        parts = list(path.relative_to(package_dir.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def imported_modules(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The package's modules that ``name`` imports anywhere in its source."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in modules)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join([*base, node.module] if node.module else base)
            else:
                source = node.module or ""
            if source not in modules:
                continue
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                found.add(submodule if submodule in modules else source)
    found.discard(name)
    return found


def room(name: str, modules: dict[str, Path]) -> Path:
    """The folder a module lives in."""
    return modules[name].parent


def circles_in_rooms(modules: dict[str, Path]) -> list[list[str]]:
    """Each group of modules of one folder that reach each other by imports (Tarjan's strongly
    connected components over the imports that stay inside a folder), as one circle through them."""
    edges = {
        name: sorted(other for other in imported_modules(name, path, modules) if room(other, modules) == path.parent)
        for name, path in modules.items()
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []

    def visit(start: str) -> None:
        # Iterative, so a deep chain of imports cannot exhaust the recursion limit.
        work: list[tuple[str, Iterator[str]]] = [(start, iter(edges[start]))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, targets = work[-1]
            target = next(targets, None)
            if target is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        components.append(component)
            elif target not in index:
                index[target] = low[target] = len(index)
                stack.append(target)
                on_stack.add(target)
                work.append((target, iter(edges[target])))
            elif target in on_stack:
                low[node] = min(low[node], index[target])

    for name in edges:
        if name not in index:
            visit(name)
    return [circle_through(component, edges) for component in components]


def circle_through(component: set[str], edges: dict[str, list[str]]) -> list[str]:
    """One closed path of imports that visits the component's first module and comes back to it,
    so the failure message names who imports whom."""
    start = min(component)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        node = frontier.pop(0)
        for target in edges[node]:
            if target == start:
                return [*paths[node], start]
            if target in component and target not in paths:
                paths[target] = [*paths[node], target]
                frontier.append(target)
    raise AssertionError(f"no circle through {sorted(component)}")  # pragma: no cover: a component has one


def tolerated(circle: list[str]) -> bool:
    return any(set(circle) <= known for known in KNOWN_CIRCLES)


def test_no_module_imports_back_a_module_of_its_own_folder_that_imports_it() -> None:
    modules = module_files()
    circles = [circle for circle in circles_in_rooms(modules) if not tolerated(circle)]
    assert not circles, "import circles inside a folder:\n" + "\n".join(" -> ".join(c) for c in circles)


def test_each_known_circle_is_still_there() -> None:
    """A circle removed comes off ``KNOWN_CIRCLES``, so the list never tolerates one coming back."""
    circles = circles_in_rooms(module_files())
    gone = [sorted(known) for known in KNOWN_CIRCLES if not any(set(circle) <= known for circle in circles)]
    assert not gone, f"no longer a circle: take it off KNOWN_CIRCLES: {gone}"


def test_the_circle_finder_sees_lazy_and_type_only_imports(tmp_path: Path) -> None:
    """The finder itself: a circle closed only by an import inside a function, or under
    ``TYPE_CHECKING``, is found and named; imports across folders are not a circle of a room."""
    package = tmp_path / "shop"
    (package / "till").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "till" / "__init__.py").write_text("")
    (package / "till" / "drawer.py").write_text("from shop.till.receipt import Receipt\n")
    (package / "till" / "receipt.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from shop.till import coins\n"
    )
    (package / "till" / "coins.py").write_text("def count():\n    from . import drawer\n")
    (package / "shelf.py").write_text("from shop.till import label\n")
    (package / "till" / "label.py").write_text("from shop import shelf\n")
    circles = circles_in_rooms(module_files(package))
    assert circles == [["shop.till.coins", "shop.till.drawer", "shop.till.receipt", "shop.till.coins"]]
