"""Property-based tests: every rule (off-by-default ones too) on generated programs.

mldebt never raises; findings are well-formed (known code, inside the file); `# noqa: CODE` on a
finding's line removes that finding and no other; every output format carries the same findings.
A longer run of the same properties: tests/fuzz/README.md.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fuzzing import (
    ANY_TEXT,
    EVERY_RULE,
    QUICK,
    assert_all_properties,
    assert_formats_round_trip,
    assert_well_formed,
    check,
    grammar_programs,
    ml_projects,
    with_noqa,
)
from mldebt.analysis import analyse_bytes


# hypothesmith compiles what it generates: `1()` and the like warn.
pytestmark = pytest.mark.filterwarnings("ignore::SyntaxWarning")

@QUICK
@given(files=ml_projects(), data=st.data())
def test_ml_flavoured_programs(files: dict[str, str], data: st.DataObject) -> None:
    assert_all_properties(files, lambda options: data.draw(st.sampled_from(options)))


@QUICK
@given(files=grammar_programs(), data=st.data())
def test_programs_from_the_grammar(files: dict[str, str], data: st.DataObject) -> None:
    assert_all_properties(files, lambda options: data.draw(st.sampled_from(options)))


@QUICK
@given(text=ANY_TEXT)
def test_any_text_gives_well_formed_findings_and_reports(text: str) -> None:
    files = {"train.py": text}
    result = check(files)
    assert_well_formed(result, files)
    assert_formats_round_trip(result)


@QUICK
@given(data=st.binary())
def test_any_bytes_never_raise(data: bytes) -> None:
    result = analyse_bytes(data, "train.py", EVERY_RULE, False)
    assert result.errors == ()


def test_noqa_goes_only_where_a_comment_can_go() -> None:
    source = 'x = """first\nsecond"""\ny = 1 + \\\n    2\nz = 3  # noqa: E501\nw = 4\n'
    assert with_noqa(source, 1, "MLD504") is None  # opens a string that goes on
    assert with_noqa(source, 2, "MLD504") == source.replace('second"""', 'second"""  # noqa: MLD504')
    assert with_noqa(source, 3, "MLD504") is None  # ends in a backslash
    assert with_noqa(source, 5, "MLD504") is None  # another noqa is there first
    assert with_noqa(source, 6, "MLD504") == source.replace("w = 4", "w = 4  # noqa: MLD504")
