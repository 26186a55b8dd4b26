"""Issue 15, items 1-3 and 7: what another user of the computer plants is never run, used or written through.

Each test plants the file another local user could have planted (a pickle or a doctored cache in the
cache folder, settings writable by others, a link in the data folder, a damaged registry) and shows
that nothing runs, nothing changes and the practitioner is told which file and how to fix it.
Folders are created 0700 and files 0600 even under ``umask 000``.
"""

from __future__ import annotations

import json
import os
import pickle
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant import locations, startup
from assistant.cli import main
from assistant.files.resources import load_resources
from assistant.files.user_config import UserConfig, load_user_config, save_user_config
from assistant.records import new_record_id
from assistant.services.recording import now

pytestmark = pytest.mark.fresh_cache  # it plants files in the cache folder and reads them back

FULL_FACE = str(locations.EXAMPLES_DIR / "full_face.yaml")
OTHER_USER = 65534  # nobody
as_root = pytest.mark.skipif(os.geteuid() != 0, reason="planting a file as another user needs root")


@pytest.fixture
def umask_000() -> Iterator[None]:
    """What a careless login script sets: nothing taken away from new files' modes."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def cache_key() -> str:
    key = startup.cache_key(*startup.file_hashes(locations.SCRIPT_FILE, locations.KNOWLEDGE_DIR))
    assert key is not None
    return key


class _RunsCode:
    """Unpickling this runs ``os.mkdir(marker)``: what an attacker's pickle would do, harmlessly."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.mkdir, (str(self.marker),))


# --- 1. the validated cache ------------------------------------------------------------------------


@pytest.mark.parametrize("umask", [0o022, 0o000], ids=["umask-022", "umask-000"])
def test_a_pickle_planted_in_the_cache_is_never_run(umask: int, tmp_path: Path) -> None:
    marker = tmp_path / "code-ran"
    payload = pickle.dumps((_RunsCode(marker), _RunsCode(marker)))
    folder = startup.cache_dir()
    folder.mkdir(parents=True)
    os.chmod(folder, 0o777)  # as an older version left it under umask 000
    key = cache_key()
    planted = [folder / f"{key}{suffix}" for suffix in (".pickle", ".json", ".first.json")]
    for path in planted:
        path.write_bytes(payload)
        os.chmod(path, 0o666)
    old = os.umask(umask)
    try:
        loaded = load_resources()
        again = load_resources()  # and the start after that, from whatever the cache now holds
    finally:
        os.umask(old)
    assert not marker.exists(), "a pickle from the cache folder was run"
    assert loaded.value is not None and again.value is not None
    assert again.value.kb.knowledge == loaded.value.kb.knowledge
    assert startup.read_first(key) is not None, "the cache was written afresh, owner-only"
    assert mode(folder) == 0o700
    assert [mode(p) for p in planted[1:]] == [0o600, 0o600], "replaced by our own, owner-only"


def _doctored_cache(key: str) -> bytes:
    """A well-formed cache file whose glabella dose was raised: what a careful attacker would plant."""
    from assistant.files.validated_cache import Cached

    fresh = load_resources(use_cache=False).value
    assert fresh is not None
    knowledge = fresh.kb.knowledge
    zones = tuple(
        z.model_copy(update={"default_units": z.default_units.model_copy(update={"value": 40.0})})
        if z.id == "glabella"
        else z
        for z in knowledge.zones
    )
    doctored = knowledge.model_copy(update={"zones": zones})
    return Cached(key=key, script=fresh.script, knowledge=doctored).model_dump_json().encode()


def _glabella_default() -> float:
    loaded = load_resources()
    assert loaded.value is not None
    return loaded.value.kb.zone("glabella").default_units.value


@pytest.mark.parametrize("how", ["writable by others", "renamed from another key", "owned by another user"])
def test_a_doctored_cache_file_is_ignored(how: str, tmp_path: Path) -> None:
    if how == "owned by another user" and os.geteuid() != 0:
        pytest.skip("planting a file as another user needs root")
    expected = _glabella_default()  # also writes the genuine cache
    key = cache_key()
    path = startup.cache_dir() / f"{key}.json"
    payload = _doctored_cache("0" * 64 if how == "renamed from another key" else key)
    path.unlink()
    path.write_bytes(payload)
    os.chmod(path, 0o666 if how == "writable by others" else 0o600)
    if how == "owned by another user":
        os.chown(path, OTHER_USER, OTHER_USER)
    assert _glabella_default() == expected


def test_everything_written_under_umask_000_is_owner_only(umask_000: None, tmp_path: Path) -> None:
    assert load_resources().value is not None
    save_user_config(UserConfig(staff_name="Dr Hana Cho"))
    data = tmp_path / "data"
    assert main(["run", FULL_FACE, "--data-dir", str(data), "--format", "json"]) == 0
    assert main(["check", "--data-dir", str(data)]) == 0
    roots = [startup.cache_dir(), locations.user_config_dir(), data]
    for root in roots:
        for path in [root, *root.rglob("*")]:
            if path.is_dir():
                assert mode(path) == 0o700, path
            else:
                assert mode(path) == 0o600, path


# --- 2. settings that others could have written ----------------------------------------------------


@pytest.mark.parametrize("file_mode", [0o666, 0o664, 0o646], ids=["0666", "0664", "0646"])
def test_clinic_settings_writable_by_others_are_refused(
    file_mode: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clinic = locations.user_clinic_file()
    clinic.parent.mkdir(parents=True)
    clinic.write_text('name = "Our clinic"\nsaline_ml = 1.0\n', encoding="utf-8")  # planted: every mL changes
    os.chmod(clinic, file_mode)
    assert main(["run", FULL_FACE, "--no-save", "--format", "json"]) == 2
    err = capsys.readouterr().err
    assert str(clinic) in err and f"chmod 600 {clinic}" in err
    assert "Traceback" not in err
    assert clinic.read_text(encoding="utf-8").endswith("saline_ml = 1.0\n"), "left as it is"


def test_clinic_settings_of_the_owner_alone_are_used(capsys: pytest.CaptureFixture[str]) -> None:
    clinic = locations.user_clinic_file()
    clinic.parent.mkdir(parents=True)
    clinic.write_text("saline_ml = 5.0\n", encoding="utf-8")
    os.chmod(clinic, 0o600)
    assert main(["run", FULL_FACE, "--no-save", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["dilution"]["saline_ml"] == 5.0


def test_a_staff_name_planted_in_a_config_others_can_write_is_not_used(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = locations.user_config_dir() / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('staff_name = "Dr Mallory"\n', encoding="utf-8")
    os.chmod(config, 0o666)
    assert load_user_config() == UserConfig()
    assert main(["run", FULL_FACE, "--data-dir", str(tmp_path), "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert f"chmod 600 {config}" in captured.err
    consult_id = json.loads(captured.out)["consult_id"]
    assert main(["print", consult_id, "--what", "summary", "--format", "text", "--data-dir", str(tmp_path)]) == 0
    assert "Mallory" not in capsys.readouterr().out


# --- 3. the data folder ----------------------------------------------------------------------------


def test_check_creates_a_new_data_folder_owner_only(umask_000: None, tmp_path: Path) -> None:
    data = tmp_path / "new" / "data"
    assert main(["check", "--data-dir", str(data)]) == 0
    assert mode(data) == 0o700 and mode(data.parent) == 0o700
    assert mode(data / "versions.json") == 0o600


@pytest.mark.parametrize("link", ["consults", "month"])
def test_a_link_planted_in_the_data_folder_is_not_written_through(
    link: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, elsewhere = tmp_path / "data", tmp_path / "elsewhere"
    data.mkdir(mode=0o700)
    elsewhere.mkdir(mode=0o777)
    consult_id = new_record_id(now())
    month = data / "consults" / f"{consult_id[:4]}-{consult_id[4:6]}"
    planted = data / "consults" if link == "consults" else month
    planted.parent.mkdir(mode=0o700, exist_ok=True)
    planted.symlink_to(elsewhere, target_is_directory=True)
    assert main(["run", FULL_FACE, "--data-dir", str(data), "--format", "json"]) == 2
    err = capsys.readouterr().err
    assert f"{planted} is a link" in err
    assert "Traceback" not in err
    assert list(elsewhere.rglob("*")) == [], "nothing was written through the link"


def test_a_data_folder_others_can_write_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    data.mkdir()
    os.chmod(data, 0o777)
    assert main(["run", FULL_FACE, "--data-dir", str(data), "--format", "json"]) == 2
    err = capsys.readouterr().err
    assert f"chmod 700 {data}" in err
    assert list(data.iterdir()) == []


def test_a_data_file_others_can_write_is_not_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", FULL_FACE, "--data-dir", str(tmp_path), "--format", "json"]) == 0
    consult_id = json.loads(capsys.readouterr().out)["consult_id"]
    record = next((tmp_path / "consults").rglob(f"{consult_id}.json"))
    os.chmod(record, 0o666)
    before = record.read_bytes()
    assert main(["print", consult_id, "--format", "text", "--data-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"chmod 600 {record}" in err
    assert record.read_bytes() == before


@as_root
def test_a_data_file_planted_by_another_user_is_not_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", FULL_FACE, "--data-dir", str(tmp_path), "--format", "json"]) == 0
    consult_id = json.loads(capsys.readouterr().out)["consult_id"]
    record = next((tmp_path / "consults").rglob(f"{consult_id}.json"))
    os.chown(record, OTHER_USER, OTHER_USER)
    assert main(["print", consult_id, "--format", "text", "--data-dir", str(tmp_path)]) == 2
    assert "belongs to another user" in capsys.readouterr().err


# --- 7. the version registry: a damaged file is named and left as it is ------------------------------


@pytest.mark.parametrize(
    "content", ['{"script": []}', "garbage, not JSON", "[1, 2]", '{"script": {"botulax-consult": {"1.2.0": 7}}}']
)
def test_a_damaged_version_registry_is_named_and_left_alone(
    content: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    registry = tmp_path / "versions.json"
    os.chmod(tmp_path, 0o700)
    registry.write_text(content, encoding="utf-8")
    os.chmod(registry, 0o600)
    assert main(["check", "--data-dir", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert "versions.json" in captured.out and "left as it is" in captured.out
    assert registry.read_text(encoding="utf-8") == content


def test_check_remembers_both_versions_in_a_fresh_registry(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--data-dir", str(tmp_path)]) == 0
    registry = json.loads((tmp_path / "versions.json").read_text(encoding="utf-8"))
    assert set(registry) == {"script", "knowledge"}
