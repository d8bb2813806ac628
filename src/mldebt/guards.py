"""Limits that keep one pathological file from taking a run down.

CPython's parser is the gate before libcst's: run at CPython's own default
recursion limit, it rejects nesting deeper than CPython itself compiles
(brackets nested 2,000 deep crash libcst's native parser; a sum of 20,000
terms takes it minutes), with CPython's message. What it accepts can still be
a tree thousands of levels deep (a 2,900-term sum, a 5,000-term `and`), which
the visitors walk recursively: the analysis of files runs in a thread with a
large stack and a recursion limit to match, so those files are checked like
any other instead of failing with `RecursionError`.
"""

from __future__ import annotations

import ast
import sys
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

# CPython's default: the gate accepts what a stock interpreter compiles, whatever the limit is here.
CPYTHON_RECURSION_LIMIT = 1000
# In the deep-stack thread. Measured: a Python frame that recurses through C takes under 1 KB of C
# stack, so 100,000 frames fit in the stack below with room to spare.
DEEP_RECURSION_LIMIT = 100_000
DEEP_STACK_BYTES = 256 * 1024 * 1024  # virtual: only the pages a deep recursion touches are used

T = TypeVar("T")


@contextmanager
def recursion_limit(limit: int) -> Iterator[None]:
    """Set the interpreter's recursion limit for a block, then restore it."""
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(limit)
    try:
        yield
    finally:
        sys.setrecursionlimit(previous)


def cpython_parse(text: str, path: str, top_level_await: bool = False) -> ast.Module:
    """`ast.parse` as a stock CPython would do it: at most its default recursion limit, warnings off
    (a `SyntaxWarning` for an invalid escape is not ours to report); `top_level_await` for
    notebooks, whose kernel runs it.

    Raises what `ast.parse` raises: SyntaxError, ValueError (NUL bytes before 3.12),
    RecursionError or MemoryError for nesting it rejects.
    """
    flags = ast.PyCF_ONLY_AST | (ast.PyCF_ALLOW_TOP_LEVEL_AWAIT if top_level_await else 0)
    with warnings.catch_warnings(), recursion_limit(min(sys.getrecursionlimit(), CPYTHON_RECURSION_LIMIT)):
        warnings.simplefilter("ignore")
        tree: ast.Module = compile(text, path, "exec", flags, dont_inherit=True)
        return tree


def run_deep(function: Callable[[], T]) -> T:
    """Call `function` in a thread with a large stack and a high recursion limit, and return its
    result (or raise its exception). Where no such thread can be made, it runs here as is."""
    outcome: dict[str, object] = {}

    def body() -> None:
        try:
            with recursion_limit(max(sys.getrecursionlimit(), DEEP_RECURSION_LIMIT)):
                outcome["value"] = function()
        except BaseException as error:  # handed to the caller's thread
            outcome["error"] = error

    previous = threading.stack_size()
    try:
        threading.stack_size(DEEP_STACK_BYTES)
        thread = threading.Thread(target=body, name="mldebt-deep", daemon=True)
        thread.start()
    except (RuntimeError, ValueError, MemoryError):  # no thread of that size here
        return function()
    finally:
        threading.stack_size(previous)
    thread.join()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]
