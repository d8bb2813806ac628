"""Regressions found by `benchmarks/crash_free.py` on real trees: each is the smallest snippet
that made mldebt raise, or report MLD001 on a file CPython compiles."""

from __future__ import annotations

import pytest

from mldebt.analysis import RuleSetup, analyse_source
from mldebt.registry import load_registry
from mldebt.runner import check_sources
from mldebt.source import split_lines

REGISTRY = load_registry()
EVERY_RULE = [RuleSetup(rule, rule.Options(), rule.SEVERITY) for rule in REGISTRY.rules]


def check_every_rule(files: dict[str, str]):  # type: ignore[no-untyped-def]
    return check_sources(files, EVERY_RULE)


# Valid Python that libcst's parser rejects (black's test data has both).
LIBCST_GAPS = {
    "parenthesised annotated target": "import numpy as np\n(x): int = 5\n",
    "a line that is only a backslash": "import numpy as np\nclass Plotter:\n\\\n    pass\n",
}


@pytest.mark.parametrize("source", LIBCST_GAPS.values(), ids=LIBCST_GAPS.keys())
def test_valid_python_that_libcst_cannot_parse_is_a_notice_not_a_syntax_error(source: str) -> None:
    compile(source, "gap.py", "exec")  # CPython accepts it: MLD001 would be wrong
    result = check_every_rule({"gap.py": source})
    assert not result.errors
    assert [f for f in result.findings if f.code == "MLD001"] == []
    assert any("libcst cannot parse this file" in notice.message for notice in result.notices)


@pytest.mark.parametrize("source", LIBCST_GAPS.values(), ids=LIBCST_GAPS.keys())
def test_a_file_libcst_cannot_parse_still_gives_its_facts_to_the_project(source: str) -> None:
    result = analyse_source(source, "gap.py", EVERY_RULE)
    assert result.facts is not None
    assert [fact.qualified for fact in result.facts.imports] == ["numpy"]
    assert result.facts.lines == len(split_lines(source))
