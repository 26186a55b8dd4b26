"""Issue 15, item 17: a trainer-edited template that computes ``9**(9**9)``, loops 10^10 times or asks
for gigabytes is a sentence naming the template, within seconds; the shipped templates still render.

Each render runs in a child process with a time and memory limit, so that code which does not bound
a template fails the test instead of hanging the suite or exhausting the machine.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from tests.helpers import run_limited

SECONDS = 20.0
MEMORY = 2 * 1024**3

CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from assistant.documents.render import RenderError, make_environment, render
    try:
        print("OK", render(make_environment(Path(sys.argv[1])), "edited.txt.j2", {"name": "Mina"})[:200])
    except RenderError as error:
        print("RenderError", error)
    """
)


def render_in_child(folder: Path, template: str) -> str:
    (folder / "edited.txt.j2").write_text(template, encoding="utf-8")
    result = run_limited([sys.executable, "-c", CHILD, str(folder)], SECONDS, memory=MEMORY)
    if result is None:
        pytest.fail(f"the template was still rendering after {SECONDS:g} s")
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


@pytest.mark.parametrize(
    "template",
    [
        "{{ 9**(9**9) }}",
        "{% for i in range(100000) %}{% for j in range(100000) %}.{% endfor %}{% endfor %}",
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        "{{ 'x' * 10**10 }}",
        "{{ 'x'|center(10**9) }}",
        "{{ '%999999999d'|format(1) }}",
        "{{ '%999999999s' % name }}",
        "{{ '{:>999999999}'.format(1) }}",
        "{{ name.ljust(10**9) }}",
        "{{ range(10**10)|list }}",
    ],
)
def test_a_template_asking_for_too_much_is_stopped_with_its_name(template: str, tmp_path: Path) -> None:
    output = render_in_child(tmp_path, "line one\n" + template + "\n")
    assert output.startswith("RenderError edited.txt.j2:2:"), output[:300]


def test_ordinary_repetition_and_formats_still_render(tmp_path: Path) -> None:
    template = "{{ '-' * 88 }}|{{ '%-38s %6d'|format(name, 3) }}|{{ 2**10 }}|{% for i in range(50) %}{% endfor %}ok"
    output = render_in_child(tmp_path, template)
    assert output.startswith("OK " + "-" * 88 + "|Mina"), output
    assert "|1024|ok" in output
