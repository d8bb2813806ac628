from __future__ import annotations

import pytest

from mldebt.findings import Finding, Severity
from mldebt.suppression import parse_suppressions


def _finding(line: int = 1, code: str = "MLD801", name: str = "unseeded-randomness") -> Finding:
    return Finding(code, name, Severity.WARNING, "§8", "a.py", line, 1, line, 2, "m")


@pytest.mark.parametrize(
    "comment",
    [
        "# noqa",
        "# noqa: MLD801",
        "# NOQA:MLD801",
        "# noqa: E501, MLD801",
        "# noqa: unseeded-randomness",
        "# noqa: MLD8",
        "#noqa:MLD504,MLD801",
    ],
)
def test_line_comment_suppresses(comment: str) -> None:
    suppressions = parse_suppressions([f"x = 1  {comment}"])
    assert suppressions.suppresses(_finding())


@pytest.mark.parametrize(
    "comment",
    ["# noqa: E501", "# noqa: MLD504", "# noqa: glue-code", "# noqa:RUF100", "# a comment about noqa rules"],
)
def test_comment_for_something_else_does_not_suppress(comment: str) -> None:
    suppressions = parse_suppressions([f"x = 1  {comment}"])
    assert not suppressions.suppresses(_finding())


def test_line_comment_only_covers_its_line() -> None:
    suppressions = parse_suppressions(["x = 1  # noqa", "y = 2"])
    assert suppressions.suppresses(_finding(1))
    assert not suppressions.suppresses(_finding(2))


def test_file_level_comment() -> None:
    everything = parse_suppressions(["# mldebt: noqa", "x = 1"])
    assert everything.suppresses(_finding(2))
    by_prefix = parse_suppressions(["x = 1", "# mldebt: noqa: MLD5"])
    assert by_prefix.suppresses(_finding(1, "MLD504", "dead-experimental-codepath"))
    assert not by_prefix.suppresses(_finding(1))


def test_file_level_comment_must_stand_alone() -> None:
    suppressions = parse_suppressions(["x = 1  # mldebt: noqa"])
    # Trailing, it is a line comment for its own line only.
    assert suppressions.suppresses(_finding(1))
    assert not suppressions.suppresses(_finding(2))
