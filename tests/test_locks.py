"""The locks agree with pyproject.toml (issue 25).

Why: README's commands install the locks' exact versions and then the project with ``--no-deps``, so a
dependency added to pyproject.toml without refreshing the locks (``bash .ci/lock``) would be missing on a
fresh install, and a range changed without it would install a version outside the range. Every pin also
carries hashes: pip then checks each file it downloads, and refuses an unhashed pin.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)")


def pins(lock: Path) -> dict[str, Version]:
    """Each package the lock pins, by its canonical name, with every pin checked to carry a hash."""
    found: dict[str, Version] = {}
    entries = re.split(r"\n(?=[A-Za-z0-9])", lock.read_text(encoding="utf-8"))
    for entry in entries:
        match = PIN.match(entry)
        if match is None:
            continue
        name = canonicalize_name(match.group(1))
        assert "--hash=sha256:" in entry, f"{lock.name}: {name} is pinned without a hash"
        assert name not in found, f"{lock.name}: {name} is pinned twice (one version for every platform)"
        found[name] = Version(match.group(2))
    return found


def requirements(*extras: str) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    listed = list(project["dependencies"])
    for extra in extras:
        listed += project["optional-dependencies"][extra]
    return [Requirement(line) for line in listed]


@pytest.mark.parametrize(("lock", "extras"), [("requirements.lock", ()), ("requirements-test.lock", ("test",))])
def test_the_lock_pins_every_dependency_within_its_range(lock: str, extras: tuple[str, ...]) -> None:
    pinned = pins(ROOT / lock)
    for requirement in requirements(*extras):
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{requirement.name} is not in {lock}: run `bash .ci/lock`"
        assert requirement.specifier.contains(pinned[name], prereleases=True), (
            f"{lock} pins {requirement.name} {pinned[name]}, outside {requirement.specifier}: run `bash .ci/lock`"
        )


def test_every_dependency_and_test_tool_has_an_upper_bound() -> None:
    for requirement in requirements("test"):
        assert any(spec.operator in {"<", "<=", "=="} for spec in requirement.specifier), (
            f"{requirement} has no upper bound (README, Versions)"
        )


@pytest.mark.parametrize("lock", ["requirements.lock", "requirements-test.lock"])
def test_a_package_asked_for_with_an_extra_is_locked_with_it(lock: str) -> None:
    """WeasyPrint asks for ``fonttools[woff]``; a lock that pins plain ``fonttools`` makes pip, checking
    hashes, look for the newest fonttools (which it has no hash for) once one is released."""
    assert re.search(r"^fonttools\[woff\]==", (ROOT / lock).read_text(encoding="utf-8"), re.M), lock
