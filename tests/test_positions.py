"""Positions of reported nodes (mldebt.positions) are exactly libcst's `PositionProvider`'s.

Every node of varied sources is compared, asked about all at once, one at a time (so
that code generation stops early), through `line_of`, and through the engine's findings.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

import libcst as cst
import pytest
from libcst._position import CodeRange
from libcst.metadata import MetadataWrapper, PositionProvider, WhitespaceInclusivePositionProvider

from mldebt.analysis import RuleSetup, analyse_source
from mldebt.paper import Section
from mldebt.positions import FilePositions, _positions_at, node_ranges
from mldebt.rule import Rule

DECORATED = '''\
#!/usr/bin/env python
# -*- coding: utf-8 -*-
"""Module docstring
spanning lines."""
from __future__ import annotations

import os, sys as system
from . import sibling
from .pkg.mod import (a,  # comment inside brackets
    b as bee,
)

@decorator
# a comment between decorators
@decorator.with_args(1, key="value")  # trailing comment
class Model(Base, metaclass=Meta):
    """Docstring."""

    attribute: int = 3

    @property
    def size(self) -> int:
        return self._size  # comment

    async def fetch(self, *args, key=None, **kwargs):
        async with session() as client, other() as second:
            async for item in client:
                await item
        return [x async for x in aiter()]

    # a comment at the end of the class body


def outer(a, /, b, *, c=lambda x, *y, **z: (x, y, z)):
    total = 0
    def inner():
        nonlocal total
        global GLOBAL
        total += 1
        yield total
        yield from range(3)
    return inner
'''

STRINGS = '''\
text = """first line
second line with unicode: é, ü, 日本語, 🐍
third line"""
raw = r"C:\\path\\no\\escape"
byte = b'bytes' rb'raw bytes'
joined = ("implicitly "
          "concatenated "
          f"with {text!r:>10} and {raw=}")
nested = f"{'inner'} {f'{1 + 2}'} {{literal braces}}"
multi_f = f"""
{joined}
  {nested:{'>'}{10}}
"""
ünïcödé_name = "ünïcödé"  # identifier and comment: ✓
snake = "🐍🐍"; after = snake  # two statements on one line
'''

CONTINUATIONS = '''\
value = 1 + \\
    2 + \\
        3
if value and \\
   value > 2:
    pass
call(first,
     second,  # comment
     *rest,
     **options)
matrix = [[1, 2],
          [3, 4]][0][1:2]
sliced = matrix[::2, ..., None]
condition = a if b else (
    c
)
assert value, "message"
del value
'''

CONTROL_FLOW = '''\
for index, (key, item) in enumerate(pairs):
    if index % 2:
        continue
    elif not item:
        break
    else:
        pass
else:
    done = True
while True:
    try:
        risky()
    except (ValueError, TypeError) as error:
        raise RuntimeError("wrapped") from error
    except Exception:
        raise
    else:
        ok = 1
    finally:
        cleanup()
with open("a") as first, open("b") as second:
    data = [line for line in first if line if not line.startswith("#")]
    table = {k: v for k, v in zip(first, second)}
    unique = {value for value in data}
    lazy = (value for value in data)
if (count := len(data)) > 10:
    print(count, sep="", end="\\n")
match command.split():
    case [action]:
        pass
    case ["go", direction] | ["move", direction]:
        pass
    case {"key": value, **rest}:
        pass
    case Point(x=0, y=yy) if yy > 0:
        pass
    case (first, second):
        pass
    case _:
        pass
if ready: go(); stop()
literals = {1, 2}, {"key": [1, 2]}, {**base}
star, *others = [1, 2, 3]
x: list[int] = []
x += [1]
print(-x[0], ~1, not x, x @ y, x ** 2, x // 3, x << 1, x is not None, x not in y)
'''

TABS = "def tabbed():\n\tif True:\n\t\treturn 1\n\telse:\n\t\treturn [\n\t\t\t2,\n\t\t]\n"

CRLF = DECORATED.replace("\n", "\r\n")
CR_ONLY = "first = 1\rsecond = [\r    2,\r]\r"
MIXED_NEWLINES = "first = 1\r\nsecond = '''a\nb\r\nc'''\nthird = 3\r\n"
NO_TRAILING_NEWLINE = "def f():\n    return 1  # no newline at the end"
COMMENTS_ONLY = "# only a comment\n\n# and another\n"
EMPTY = ""

SOURCES = {
    "decorated": DECORATED,
    "strings": STRINGS,
    "continuations": CONTINUATIONS,
    "control_flow": CONTROL_FLOW,
    "tabs": TABS,
    "crlf": CRLF,
    "cr_only": CR_ONLY,
    "mixed_newlines": MIXED_NEWLINES,
    "no_trailing_newline": NO_TRAILING_NEWLINE,
    "comments_only": COMMENTS_ONLY,
    "empty": EMPTY,
}

# Node kinds the sources must contain, so that the comparison covers them (every kind with
# its own syntactic position, i.e. hoisted from children, among them).
REQUIRED_KINDS = {
    "Module", "ClassDef", "FunctionDef", "Decorator", "Lambda", "Param", "Parameters", "IndentedBlock",
    "SimpleStatementLine", "SimpleStatementSuite", "Expr", "Assign", "AnnAssign", "AugAssign", "Return",
    "Import", "ImportFrom", "ImportAlias", "If", "Else", "For", "While", "Try", "ExceptHandler", "Finally",
    "With", "WithItem", "Match", "MatchCase", "MatchList", "MatchTuple", "MatchMapping", "MatchClass", "MatchOr",
    "MatchAs",
    "Raise", "Assert", "Del", "Global", "Nonlocal", "Pass", "Break", "Continue", "Yield", "Await",
    "Call", "Arg", "Attribute", "Name", "Subscript", "SubscriptElement", "Slice", "Index", "Ellipsis",
    "BinaryOperation", "UnaryOperation", "BooleanOperation", "Comparison", "ComparisonTarget", "IfExp",
    "NamedExpr", "List", "Tuple", "Set", "Dict", "ListComp", "SetComp", "DictComp", "GeneratorExp",
    "CompFor", "CompIf", "StarredElement", "SimpleString", "ConcatenatedString", "FormattedString",
    "FormattedStringExpression", "Integer", "Comment", "EmptyLine", "TrailingWhitespace", "Newline",
    "SimpleWhitespace", "ParenthesizedWhitespace", "AsName", "Annotation", "Arg",
}


def _parse(source: str) -> tuple[cst.Module, dict[cst.CSTNode, CodeRange]]:
    module = cst.parse_module(source)
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    return module, dict(expected)


def _as_dict(module: cst.Module, nodes: list[cst.CSTNode]) -> dict[cst.CSTNode, CodeRange]:
    ranges = node_ranges(module, nodes)
    return {node: ranges[id(node)] for node in nodes if id(node) in ranges}


def test_the_sources_cover_the_node_kinds() -> None:
    seen = {type(node).__name__ for source in SOURCES.values() for node in _parse(source)[1]}
    assert REQUIRED_KINDS - seen == set()


@pytest.mark.parametrize("name", SOURCES)
def test_every_node_at_once_matches_position_provider(name: str) -> None:
    module, expected = _parse(SOURCES[name])
    assert _as_dict(module, list(expected)) == expected


@pytest.mark.parametrize("name", SOURCES)
def test_each_node_alone_matches_position_provider(name: str) -> None:
    # Asked about one node, generation stops right after it: the position must not change.
    module, expected = _parse(SOURCES[name])
    mismatches = {
        f"{type(node).__name__} {where}": _as_dict(module, [node]).get(node)
        for node, where in expected.items()
        if _as_dict(module, [node]).get(node) != where
    }
    assert mismatches == {}


@pytest.mark.parametrize("name", SOURCES)
def test_line_of_matches_position_provider(name: str) -> None:
    module, expected = _parse(SOURCES[name])
    positions = FilePositions(module)
    assert {node: positions.line_of(node) for node in expected} == {
        node: where.start.line for node, where in expected.items()
    }
    # Once every position is known, ranges come from it, and still match.
    assert {node: positions.ranges([node])[id(node)] for node in expected} == expected


def test_a_node_not_in_the_module_has_no_position() -> None:
    module = cst.parse_module("x = 1\n")
    stranger = cst.Name("x")
    assert node_ranges(module, [stranger]) == {}
    assert FilePositions(module).line_of(stranger) == 0


def test_the_comparison_sees_the_difference_between_syntactic_and_whitespace_positions() -> None:
    # The sources must tell the two providers apart, or the tests above could not catch a
    # position taken at the wrong hook.
    for name in ("decorated", "control_flow"):
        module = cst.parse_module(SOURCES[name])
        wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
        syntactic = wrapper.resolve(PositionProvider)
        inclusive = wrapper.resolve(WhitespaceInclusivePositionProvider)
        assert any(syntactic[node] != inclusive[node] for node in syntactic)


def _libcst_count(tokens: list[str], index: int) -> tuple[int, int]:
    """libcst's `_update_position`, token by token, up to `tokens[index]`."""
    from libcst.metadata.position_provider import NEWLINE_RE

    line, column = 1, 0
    for token in tokens[:index]:
        segments = NEWLINE_RE.split(token)
        if len(segments) == 1:
            column += len(token)
        else:
            line += len(segments) - 1
            column = len(segments[-1])
    return line, column


@pytest.mark.parametrize(
    "tokens",
    [
        ["a", "\r", "\n", "b"],  # a lone \r then a \n in the next token: two newlines for libcst
        ["x = '", "é\r\n", "🐍\r", "", "\tz", "\n"],
        ["nul\x00inside", "\n", "after"],  # the fallback count (NUL cannot join tokens)
        [],
    ],
)
def test_token_counting_matches_libcst(tokens: list[str]) -> None:
    points = _positions_at(tokens, range(len(tokens) + 1))
    assert {index: (p.line, p.column) for index, p in points.items()} == {
        index: _libcst_count(tokens, index) for index in range(len(tokens) + 1)
    }


class _ReportEverything(Rule):
    """Reports every node of the file: the engine locates them all after the traversal."""

    CODE = "MLD999"
    NAME = "report-everything"
    SECTION = Section.TOOL

    def leave_Module(self, original_node: cst.Module) -> None:
        for node in _walk(original_node):
            self.report(node, message=self.describe(node))

    def describe(self, node: cst.CSTNode) -> str:
        return type(node).__name__


class _ReportEverythingWithLines(_ReportEverything):
    """Also asks `line_of` for each node mid-traversal (then every position is noted at once)."""

    def describe(self, node: cst.CSTNode) -> str:
        return f"{type(node).__name__} {self.context.line_of(node)}"


def _walk(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    yield node
    for child in node.children:
        yield from _walk(child)


@pytest.mark.parametrize("rule", [_ReportEverything, _ReportEverythingWithLines])
@pytest.mark.parametrize("name", ["decorated", "strings", "crlf", "tabs", "no_trailing_newline"])
def test_findings_carry_position_provider_positions(name: str, rule: type[_ReportEverything]) -> None:
    source = SOURCES[name]
    module, expected = _parse(source)
    result = analyse_source(source, "example.py", [RuleSetup(rule, rule.Options(), rule.SEVERITY)])
    assert not result.errors
    with_lines = rule is _ReportEverythingWithLines
    wanted = [
        (
            f"{type(node).__name__} {where.start.line}" if with_lines else type(node).__name__,
            where.start.line,
            where.start.column + 1,
            where.end.line,
            where.end.column + 1,
        )
        for node, where in ((node, expected[node]) for node in _walk(module) if node in expected)
    ]
    got = [(f.message, f.line, f.column, f.end_line, f.end_column) for f in result.findings]
    assert got == wanted


def test_deep_nesting_does_not_exhaust_the_recursion_limit() -> None:
    depth = sys.getrecursionlimit() // 4
    source = "x = " + "(" * depth + "1" + ")" * depth + "\n"
    module = cst.parse_module(source)
    last = module.body[0]
    assert node_ranges(module, [last])[id(last)].start.line == 1
