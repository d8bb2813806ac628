"""MLD512 self-admitted-debt beyond its own examples: which comments carry a marker."""

from __future__ import annotations

import sys

import pytest

from mldebt.registry import load_registry
from mldebt.rule import Valid
from mldebt.testing import run_example

RULE = next(rule for rule in load_registry().rules if rule.CODE == "MLD512")
marker = sys.modules[RULE.__module__]._marker


def test_off_by_default() -> None:
    assert RULE.DEFAULT_ENABLED is False


@pytest.mark.parametrize(
    ("comment", "expected"),
    [
        ("# TODO: x", "TODO"),
        ("# TODO(bob) x", "TODO"),
        ("#TODO", "TODO"),
        ("# see FIXME below", "FIXME"),
        ("# HACK!", "HACK"),
        ("# XXX: why", "XXX"),
        ("# TODOs", "TODO"),
        ("# todo: x", "TODO"),
        ("# FixMe: x", "FIXME"),
        ("## Todo remove", "TODO"),
        ("# a hack", None),
        ("# todo", None),
        ("# the todo list", None),
        ("# xxx placeholder", None),
        ("# TODOLIST", None),
        ("# XXX-1234", None),
        ("# pre-TODO", None),
    ],
)
def test_markers(comment: str, expected: str | None) -> None:
    assert marker(comment) == expected


def test_one_finding_per_comment() -> None:
    code = "# TODO: a FIXME and a HACK\nx = 1  # XXX\n"
    assert [f.line for f in run_example(RULE, Valid(code)).findings] == [1, 2]
