"""The shipped files load cleanly and an example plans: the floor every other test stands on."""

from assistant.services.lint import lint


def test_shipped_script_and_knowledge_have_no_problems() -> None:
    assert lint() == []
