"""MLD505 commented-out-code beyond its own examples: blocks, prose, strings, options."""

from __future__ import annotations

import sys
import time
import textwrap

import pytest

from mldebt.analysis import RuleSetup
from mldebt.registry import load_registry
from mldebt.rule import Valid
from mldebt.runner import check_sources
from mldebt.testing import run_example

RULE = next(rule for rule in load_registry().rules if rule.CODE == "MLD505")
code_blocks = sys.modules[RULE.__module__].code_blocks


def lines(code: str, **options: object) -> list[int]:
    if not options:
        return [finding.line for finding in run_example(RULE, Valid(code)).findings]
    setup = RuleSetup(RULE, RULE.Options(**options), RULE.SEVERITY)
    result = check_sources({"example.py": Valid(code).source}, [setup])
    return [finding.line for finding in result.findings if finding.code == RULE.CODE]


def blocks(code: str) -> list[tuple[int, int]]:
    return [(block.first, block.last) for block in code_blocks(textwrap.dedent(code).strip("\n").splitlines())]


def test_a_prose_line_splits_a_run_into_blocks() -> None:
    code = """
    # x = load()
    # y = x.mean()
    # z = y + 1
    # and the plotting we no longer need
    # plt.plot(z)
    # plt.title(name)
    # plt.savefig(path)
    w = 1
    """
    assert lines(code) == [1, 5]


def test_a_block_starts_after_leading_prose() -> None:
    code = """
    # the old way was slow
    # frame = load(path)
    # frame = frame.dropna()
    # frame.to_csv(out)
    """
    assert blocks(code) == [(2, 4)]


def test_the_whole_block_is_one_finding_at_its_first_line() -> None:
    code = """
    def f():
        x = 1
        # for i in range(10):
        #     x += i
        #     if x > 5:
        #         break
        # return x
        return x
    """
    assert lines(code) == [3]


def test_comment_lines_among_string_lines_are_not_reported() -> None:
    # Line 2 is a comment, lines 3-4 are inside a string: not three comment lines.
    code = '''
    x = 1
    # y = load()
    TEXT = """
    # z = y.mean()
    # w = z + 1
    """
    '''
    assert lines(code) == []


def test_min_lines_option() -> None:
    code = "# x = load()\n# y = x.mean()\nz = 1\n"
    assert lines(code) == []
    assert lines(code, min_lines=2) == [1]


@pytest.mark.parametrize(
    "comment",
    [
        "# see below for details\n# this is the second line\n# and a third one\n",
        "# foo\n# bar\n# baz\n",
        "# - item one\n# - item two\n# - item three\n",
        "# x: the input\n# y: the target\n# w: the weights\n",
        "# python train.py --lr 0.1\n# python eval.py --ckpt last\n# python export.py\n",
        "# www.example.com\n# github.com/org/repo\n# docs.python.org\n",
        "# ```python\n# model = build()\n# model.fit(x)\n# model.save(p)\n",
        "# Usage\n# model = build()\n# model.fit(x)\n# model.save(p)\n",
    ],
)
def test_prose_and_documentation_are_not_code(comment: str) -> None:
    assert blocks(comment) == []


def test_long_prose_runs_stay_fast() -> None:
    prose = [f"# Written by people who read this, under terms described elsewhere, line {i}." for i in range(2000)]
    start = time.perf_counter()
    assert list(code_blocks(prose)) == []
    assert time.perf_counter() - start < 2.0


def test_message_names_the_lines_and_the_first_code_line() -> None:
    code = "# # why\n# x = load()\n# y = x.mean()\n# z = y + 1\nw = 1\n"
    [finding] = run_example(RULE, Valid(code)).findings
    assert finding.line == 1
    assert "starting `x = load()`" in finding.message
