"""Line and column positions of reported nodes, without libcst's `PositionProvider`.

`MetadataWrapper.resolve(PositionProvider)` regenerates the whole module, splits
every token on newlines and builds two `CodePosition`s and a `CodeRange` for every
node -- and then, a quirk of the wrapper, walks the whole tree once more with no
visitor. With every rule on, that was a sixth of a whole check.

Here the module is regenerated with a codegen state that does no work per token
(tokens are only appended): it notes token indices, and only for the nodes asked
about. Token indices become lines and columns at the end, in one pass over the
joined text. Asked about particular nodes, generation stops as soon as the last of
them is written (a parsed module never holds one node twice, so nothing later could
move it). The positions are exactly `PositionProvider`'s: the same hooks
(`before_codegen`/`after_codegen` and `record_syntactic_position`, with its start
and end nodes) decide where a node starts and ends, and newlines are counted token
by token, as libcst counts them (tests/test_positions.py holds both to that).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from itertools import accumulate, repeat
from operator import add, sub
from typing import Any

import libcst as cst
from libcst._nodes.internal import CodegenState  # not exported; the hooks are what PositionProvider uses
from libcst.metadata import CodePosition, CodeRange

# A token-index range: the node spans tokens[start:end] of the generated code.
TokenSpan = tuple[int, int]

# Joins tokens so that no newline is counted across two tokens (libcst counts them
# token by token: `\r` ending one token and `\n` starting the next are two newlines).
# Python source cannot hold NUL (the parser rejects it); if it somehow does, the
# slower token-by-token count is used.
SEPARATOR = "\x00"

DEEP_RECURSION_LIMIT = 10_000  # codegen recurses once per nesting level, as visiting does


class _Stop(Exception):
    """Raised inside codegen once every node asked about has been written."""


class _Ignore:
    """`record_syntactic_position` for a node nobody asked about: nothing to record."""

    __slots__ = ()

    def __enter__(self) -> None:
        return None

    def __exit__(self, *_: object) -> None:
        return None


_IGNORE = _Ignore()


class _Record:
    """`record_syntactic_position` for a node asked about: what `PositionProvidingCodegenState`
    records, in token indices (a start or end may be hoisted from a child node)."""

    __slots__ = ("state", "key", "start_key", "end_key", "start")

    def __init__(self, state: _SpanState, key: int, start_key: int | None, end_key: int | None) -> None:
        self.state = state
        self.key = key
        self.start_key = start_key
        self.end_key = end_key
        self.start = 0

    def __enter__(self) -> None:
        self.start = len(self.state.tokens)

    def __exit__(self, error_type: type[BaseException] | None, *_: object) -> None:
        if error_type is not None:  # generation stopped early: nothing more is wanted
            return
        spans = self.state.spans
        start = spans[self.start_key][0] if self.start_key is not None else self.start
        end = spans[self.end_key][1] if self.end_key is not None else len(self.state.tokens)
        spans[self.key] = (start, end)


class _SpanState(CodegenState):
    """Codegen that notes the token span of the wanted nodes (all nodes when `wanted` is None).

    Keys are `id(node)`: a node's own `__hash__` is a Python call, and the nodes stay
    alive in the module meanwhile.
    """

    __slots__ = ("wanted", "spans", "starts", "pending")

    def __init__(self, module: cst.Module, wanted: set[int] | None) -> None:
        super().__init__(default_indent=module.default_indent, default_newline=module.default_newline)
        self.wanted = wanted
        self.spans: dict[int, TokenSpan] = {}
        # Start token index of each wanted node being written: codegen nests, so a stack
        # (a wanted start or end node is added before it is written, never while).
        self.starts: list[int] = []
        # Nodes asked about and not yet written; generation stops when none is left.
        self.pending = set(wanted) if wanted is not None else None

    def before_codegen(self, node: cst.CSTNode) -> None:
        wanted = self.wanted
        if wanted is None or id(node) in wanted:
            self.starts.append(len(self.tokens))

    def after_codegen(self, node: cst.CSTNode) -> None:
        key = id(node)
        wanted = self.wanted
        if wanted is not None and key not in wanted:
            return
        start = self.starts.pop()
        # As libcst: a syntactic position recorded inside the node is kept.
        if key not in self.spans:
            self.spans[key] = (start, len(self.tokens))
        pending = self.pending
        if pending is not None and key in pending:
            pending.discard(key)
            if not pending:
                raise _Stop

    def record_syntactic_position(
        self,
        node: cst.CSTNode,
        *,
        start_node: cst.CSTNode | None = None,
        end_node: cst.CSTNode | None = None,
    ) -> Any:
        key = id(node)
        wanted = self.wanted
        if wanted is not None:
            if key not in wanted:
                return _IGNORE
            # The hoisted positions come from children, written inside this block.
            if start_node is not None:
                wanted.add(id(start_node))
            if end_node is not None:
                wanted.add(id(end_node))
        return _Record(
            self,
            key,
            id(start_node) if start_node is not None else None,
            id(end_node) if end_node is not None else None,
        )

    def pop_trailing_newline(self) -> None:
        # libcst's position state keeps counting past the popped newline (the module's
        # end is after it); keeping the token keeps token indices in step with that.
        return None


def _generate(module: cst.Module, state: _SpanState) -> None:
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, DEEP_RECURSION_LIMIT))
    try:
        module._codegen(state)
    except _Stop:
        pass
    finally:
        sys.setrecursionlimit(limit)


def _positions_at(tokens: list[str], indices: Iterable[int]) -> dict[int, CodePosition]:
    """The position before `tokens[index]` for each index (ascending or not)."""
    wanted = sorted(set(indices))
    if not wanted:
        return {}
    text = SEPARATOR.join(tokens)
    if text.count(SEPARATOR) != max(len(tokens) - 1, 0):
        return dict(_count_token_by_token(tokens, wanted))
    # Token i starts at sum(len(tokens[:i])) + i in `text` (one separator after each).
    positions: dict[int, CodePosition] = {}
    line = 1
    offset = 0  # where token `done` starts in text
    done = 0
    line_start = 0  # where the current line starts in text
    for index in wanted:
        end = offset + sum(map(len, tokens[done:index])) + (index - done)
        end = min(end, len(text))
        # \r\n never spans two tokens here: a separator stands between them.
        newlines = text.count("\n", offset, end) + text.count("\r", offset, end) - text.count("\r\n", offset, end)
        if newlines:
            line += newlines
            line_start = max(text.rfind("\n", offset, end), text.rfind("\r", offset, end)) + 1
        column = (end - line_start) - text.count(SEPARATOR, line_start, end)
        positions[index] = CodePosition(line, column)
        offset, done = end, index
    return positions


def _count_token_by_token(tokens: list[str], wanted: list[int]) -> Iterator[tuple[int, CodePosition]]:
    """libcst's own count (`_update_position`), for text the fast count cannot take."""
    from libcst.metadata.position_provider import NEWLINE_RE

    line, column = 1, 0
    targets = iter(wanted)
    target: int | None = next(targets)
    for index, token in enumerate(tokens):
        while target == index:
            yield index, CodePosition(line, column)
            target = next(targets, None)
        if target is None:
            return
        segments = NEWLINE_RE.split(token)
        if len(segments) == 1:
            column += len(token)
        else:
            line += len(segments) - 1
            column = len(segments[-1])
    while target is not None:
        yield target, CodePosition(line, column)
        target = next(targets, None)


def _ranges(state: _SpanState, keys: Iterable[int]) -> dict[int, CodeRange]:
    spans = {key: state.spans[key] for key in keys if key in state.spans}
    points = _positions_at(state.tokens, (index for span in spans.values() for index in span))
    return {key: CodeRange(points[start], points[end]) for key, (start, end) in spans.items()}


def node_ranges(module: cst.Module, nodes: Iterable[cst.CSTNode]) -> dict[int, CodeRange]:
    """`PositionProvider`'s range of each node, by `id(node)`; nodes not in the module are left out."""
    keys = {id(node) for node in nodes}
    if not keys:
        return {}
    state = _SpanState(module, set(keys))
    _generate(module, state)
    return _ranges(state, keys)


class FilePositions:
    """Positions in one parsed module, computed when first asked for and then kept.

    `line_of` (a rule asking mid-traversal, without saying which nodes will follow)
    notes every node's span once; `ranges` (the engine, for the reported nodes)
    generates code only up to the last node asked about, unless every span is known.
    """

    def __init__(self, module: cst.Module) -> None:
        self.module = module
        self._every: _SpanState | None = None
        self._line_at: list[int] = []  # 1-based line where each token starts (every-node mode)

    def line_of(self, node: cst.CSTNode) -> int:
        every = self._every_spans()
        span = every.spans.get(id(node))
        return self._line_at[span[0]] if span is not None else 0

    def ranges(self, nodes: Iterable[cst.CSTNode]) -> dict[int, CodeRange]:
        if self._every is not None:
            return _ranges(self._every, {id(node) for node in nodes})
        return node_ranges(self.module, nodes)

    def _every_spans(self) -> _SpanState:
        if self._every is None:
            state = _SpanState(self.module, None)
            _generate(self.module, state)
            self._every = state
            # Lines per token, counted as libcst counts them (a lone `\r` is a newline too).
            tokens = state.tokens
            newlines = map(
                sub,
                map(add, map(str.count, tokens, repeat("\n")), map(str.count, tokens, repeat("\r"))),
                map(str.count, tokens, repeat("\r\n")),
            )
            self._line_at = list(accumulate(newlines, initial=1))
        return self._every
