"""MLD511 prototype-leftover beyond its own examples: splits, samples, debugger switches."""

from __future__ import annotations

from mldebt.registry import load_registry
from mldebt.rule import Valid
from mldebt.testing import run_example

RULE = next(rule for rule in load_registry().rules if rule.CODE == "MLD511")


def lines(code: str, path: str = "train.py") -> list[int]:
    return [finding.line for finding in run_example(RULE, Valid(code, path=path)).findings]


def test_a_literal_head_slice_is_a_sample_unless_the_rest_is_used() -> None:
    assert lines("model.fit(X[:800], y[:800])\n") == [1]
    assert lines("model.fit(X[:800], y[:800])\nscore = model.score(X[800:], y[800:])\n") == []


def test_a_sample_split_off_by_index_is_a_split() -> None:
    code = "train = df.sample(frac=0.8, random_state=0)\ntest = df.drop(train.index)\nmodel.fit(train[F], train.y)\n"
    assert lines(code) == []


def test_sample_sizes_must_be_literal() -> None:
    assert lines("small = df.sample(n=n_rows)\nmodel.fit(small[F], small.y)\n") == []
    assert lines("small = df.sample(500)\nmodel.fit(small[F], small.y)\n") == [2]
    assert lines("small = df.head()\nmodel.fit(small[F], small.y)\n") == [2]


def test_a_name_assigned_twice_must_be_a_sample_both_times() -> None:
    code = "X = df.head(100)\nif full:\n    X = df\nmodel.fit(X, y)\n"
    assert lines(code) == []


def test_one_debugger_finding_per_call_and_none_for_its_import() -> None:
    code = "import ipdb\n\ndef f():\n    ipdb.set_trace()\n    breakpoint()\n"
    assert lines(code) == [4, 5]


def test_debugger_stops_in_debug_helpers_are_deliberate() -> None:
    assert lines("def debug_hook():\n    breakpoint()\n") == []
    assert lines("import pdb\nif os.environ.get('DEBUG'):\n    pdb.set_trace()\n") == []
    assert lines("breakpoint()\n", path="tools/debug_utils.py") == []
