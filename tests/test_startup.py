"""The start-up snapshot: what the UI draws before the engine loads must be what the engine asks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant import locations, startup
from assistant.core.hints import answer_hint
from assistant.files.resources import load_resources
from assistant.services.consult_session import ConsultSession
from tests.helpers import TODAY

pytestmark = pytest.mark.fresh_cache  # it plants files in the cache folder and reads them back


def _key(script: Path, knowledge: Path) -> str | None:
    return startup.cache_key(*startup.file_hashes(script, knowledge))


def test_a_load_that_passes_writes_the_first_question_as_the_consult_asks_it() -> None:
    key = _key(locations.SCRIPT_FILE, locations.KNOWLEDGE_DIR)
    assert startup.read_first(key) is None  # a fresh cache folder (see conftest)
    loaded = load_resources()
    assert loaded.value is not None
    first = startup.read_first(key)
    assert first is not None
    session = ConsultSession(loaded.value, TODAY)
    question = session.current
    assert question is not None
    assert (first.question_id, first.prompt, first.intro) == (question.id, question.prompt, session.script.intro)
    assert first.hint == answer_hint(question, session.script)
    assert first.total == session.progress()[1]


def test_an_edited_script_has_another_key_so_its_old_snapshot_is_never_drawn(tmp_path: Path) -> None:
    script = tmp_path / "consult.yaml"
    shutil.copy(locations.SCRIPT_FILE, script)
    before = _key(script, locations.KNOWLEDGE_DIR)
    assert load_resources(script=script).value is not None
    assert startup.read_first(before) is not None
    script.write_text(script.read_text(encoding="utf-8").replace("full name", "full legal name"), encoding="utf-8")
    after = _key(script, locations.KNOWLEDGE_DIR)
    assert after != before
    assert startup.read_first(after) is None


def test_a_damaged_or_old_snapshot_is_only_a_slower_start() -> None:
    key = _key(locations.SCRIPT_FILE, locations.KNOWLEDGE_DIR)
    assert key is not None
    path = startup.cache_dir() / f"{key}.first.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    for damaged in ("{not json", '{"question_id": "patient_name"}', "[]"):
        path.write_text(damaged, encoding="utf-8")
        assert startup.read_first(key) is None
    assert startup.read_first(None) is None


def test_drawing_the_first_question_imports_no_engine_library() -> None:
    """The first frame waits for every module imported before it: pydantic, the YAML parser and
    TinyDB belong to the engine, which loads after that frame (see assistant.startup)."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from assistant import cli, startup\n"
        "from assistant.tui import app\n"
        "from assistant.tui.screens import welcome_screen\n"
        "cli.parse_arguments(['--today', '2026-11-24', '--data-dir', '/tmp'])\n"  # the UI's options, checked
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'pydantic', 'ruamel', 'tinydb', 'jinja2', 'simpleeval', 'rank_bm25', 'babel', 'weasyprint'})\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_command_loads_the_fhir_models_only_to_export() -> None:
    """Every command builds the whole parser; the FHIR resource classes (about 0.1 s to import) are
    loaded by ``export`` and ``export-script`` when they run, not by ``check`` or ``give``."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from assistant.cli.parser import build_parser\n"
        "build_parser().parse_args(['check'])\n"
        "fhir = sorted(m for m in sys.modules if m.startswith(('fhir', 'assistant.exchange')))\n"
        "assert not fhir, fhir\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_ui_command_turns_the_garbage_collector_off_until_the_first_frame(tmp_path: Path, monkeypatch) -> None:
    """From the snapshot, the collector is off while the first frame is made (the UI turns it back
    on once it is drawn: ``StartUp.drawn``), and on again whatever happens when the UI ends."""
    import gc

    from assistant import cli
    from assistant.tui import app

    assert load_resources().value is not None  # writes the snapshot
    seen: list[bool] = []

    class Run:
        return_code = 0

        def run(self) -> None:
            seen.append(gc.isenabled())
            raise RuntimeError("the UI failed")

    monkeypatch.setattr(app, "make_app", lambda *args, **kwargs: Run())
    with pytest.raises(RuntimeError):
        cli.main(["--today", "2026-11-24", "--data-dir", str(tmp_path)])
    assert seen == [False]
    assert gc.isenabled()


@pytest.mark.parametrize(("given", "read"), [(None, 0.05), ("20", 0.02)])
def test_the_ui_sets_the_escape_delay_before_textual_reads_it(tmp_path: Path, given: str | None, read: float) -> None:
    """Textual reads ESCDELAY once, when imported: the UI command sets its shorter delay (a user's
    own ESCDELAY kept) before anything imports Textual."""
    import os
    import subprocess
    import sys

    code = (
        "import sys, types\n"
        "from assistant import cli\n"
        "class Run:\n"  # in place of the app: what Textual reads when the UI first imports it
        "    return_code = 0\n"
        "    def run(self):\n"
        "        assert 'textual' not in sys.modules\n"
        "        from textual import constants\n"
        "        print(constants.ESCAPE_DELAY)\n"
        "probe = types.ModuleType('assistant.tui.app')\n"
        "probe.make_app = lambda *args, **kwargs: Run()\n"
        "sys.modules['assistant.tui.app'] = probe\n"
        f"cli.main(['--today', '2026-11-24', '--data-dir', {str(tmp_path)!r}])\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "ESCDELAY"} | ({"ESCDELAY": given} if given else {})
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert float(done.stdout.split()[-1]) == read
