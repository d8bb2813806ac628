"""Property-based tests: every rule (off-by-default ones too) on generated programs.

mldebt never raises; findings are well-formed (known code, inside the file); `# noqa: CODE` on a
finding's line removes that finding and no other; every output format carries the same findings.
A longer run of the same properties: tests/fuzz/README.md.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from fuzzing import QUICK, assert_all_properties, grammar_programs, ml_projects


@QUICK
@given(files=ml_projects(), data=st.data())
def test_ml_flavoured_programs(files: dict[str, str], data: st.DataObject) -> None:
    assert_all_properties(files, lambda options: data.draw(st.sampled_from(options)))


@QUICK
@given(files=grammar_programs(), data=st.data())
def test_programs_from_the_grammar(files: dict[str, str], data: st.DataObject) -> None:
    assert_all_properties(files, lambda options: data.draw(st.sampled_from(options)))
