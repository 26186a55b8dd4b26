"""A YAML text read again in one process is parsed once, and no reader sees another's changes.

`check` reads the same knowledge files for each of its checks and `rehearse` the same script for
each example; parsing was most of their time. What each reader gets must still be its own.
"""

from __future__ import annotations

import pytest

from assistant.files import yaml_scanner
from assistant.files.yaml_source import YamlFileError, parse_yaml

TEXT = "zones:\n  - glabella\n  - forehead\nunits:\n  glabella: 20\n"


def test_a_text_read_again_gives_the_same_values_without_being_parsed_again() -> None:
    first = parse_yaml(TEXT + "# first\n", "a.yaml")
    hits = yaml_scanner._remembered.cache_info().hits
    again = parse_yaml(TEXT + "# first\n", "b.yaml")
    assert yaml_scanner._remembered.cache_info().hits == hits + 1
    assert again.data == first.data
    assert again.file == "b.yaml"
    assert again.line_of(("units", "glabella")) == 5


def test_changing_the_values_one_reader_got_leaves_the_next_readers_alone() -> None:
    text = TEXT + "# changed\n"
    mine = parse_yaml(text, "a.yaml").data
    mine["zones"].append("masseter")
    mine["units"]["glabella"] = 99
    del mine["units"]
    theirs = parse_yaml(text, "a.yaml")
    assert theirs.data == {"zones": ["glabella", "forehead"], "units": {"glabella": 20}}
    assert theirs.line_of(("zones", 1)) == 3


def test_an_edited_text_is_parsed_afresh() -> None:
    assert parse_yaml(TEXT, "a.yaml").data["units"]["glabella"] == 20
    assert parse_yaml(TEXT.replace("20", "24"), "a.yaml").data["units"]["glabella"] == 24


def test_a_long_text_is_parsed_each_time_and_not_kept() -> None:
    long = TEXT + "#" * yaml_scanner.REMEMBERED_TEXT_LIMIT + "\n"
    before = yaml_scanner._remembered.cache_info()
    assert parse_yaml(long, "a.yaml").data["zones"] == ["glabella", "forehead"]
    assert parse_yaml(long, "a.yaml").data["zones"] == ["glabella", "forehead"]
    after = yaml_scanner._remembered.cache_info()
    assert (after.hits, after.misses) == (before.hits, before.misses)


def test_a_text_that_does_not_parse_is_refused_at_its_line_every_time() -> None:
    bad = TEXT + "goals: [unclosed\n"
    for _ in range(2):
        with pytest.raises(YamlFileError) as refused:
            parse_yaml(bad, "a.yaml")
        assert refused.value.problem.line in (6, 7)
        assert refused.value.problem.code == "yaml-syntax"
