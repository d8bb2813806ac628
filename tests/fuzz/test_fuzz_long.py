"""The long fuzz run: the properties of tests/test_fuzz.py on many more generated programs.

Not part of the default test command (pyproject's `norecursedirs` leaves this folder out);
run it by naming the folder, see tests/fuzz/README.md:

    python -m pytest tests/fuzz -q                              # 2,000 programs of each kind
    MLDEBT_FUZZ_EXAMPLES=20000 python -m pytest tests/fuzz -q   # more
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzzing import (
    ANY_TEXT,
    assert_all_properties,
    assert_formats_round_trip,
    assert_well_formed,
    check,
    grammar_programs,
    ml_projects,
)

LONG = settings(
    max_examples=int(os.environ.get("MLDEBT_FUZZ_EXAMPLES", "2000")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)


# hypothesmith compiles what it generates: `1()` and the like warn.
pytestmark = pytest.mark.filterwarnings("ignore::SyntaxWarning")

@LONG
@given(files=ml_projects(), data=st.data())
def test_ml_flavoured_programs_long(files: dict[str, str], data: st.DataObject) -> None:
    assert_all_properties(files, lambda options: data.draw(st.sampled_from(options)), rounds=5)


@LONG
@given(files=grammar_programs(), data=st.data())
def test_programs_from_the_grammar_long(files: dict[str, str], data: st.DataObject) -> None:
    assert_all_properties(files, lambda options: data.draw(st.sampled_from(options)), rounds=5)


@LONG
@given(text=ANY_TEXT)
def test_any_text_long(text: str) -> None:
    files = {"train.py": text}
    result = check(files)
    assert_well_formed(result, files)
    assert_formats_round_trip(result)
