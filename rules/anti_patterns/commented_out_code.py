"""MLD505 commented-out-code: blocks of Python left behind in comments."""

from __future__ import annotations

import ast
import re
import textwrap
import warnings
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import cast

import libcst as cst

from mldebt import Invalid, Rule, Section, Severity, Valid

# Comment lines that are instructions to a tool or an editor, never code: shebang,
# encoding, type comments, linters' and formatters' pragmas, our own directives,
# notebook cell markers (`# %%`, `# In[3]:`). (Doctest prompts, `>>>`, never parse, so they
# split blocks, and what follows one is its output: see _EXAMPLE_INTRO.)
_DIRECTIVE = re.compile(
    r"""^\#(?:
        !                                   # shebang
      | .*-\*-.*-\*-                        # -*- coding: utf-8 -*-
      | \s*(?:vim?|ex):                     # vim modelines
      | \s*(?:type|mypy|pyright|pylint|ruff|flake8|isort|fmt|yapf|nosec|noqa|pragma|mldebt|cython)\b
      | \s*%%                               # # %% cell marker
      | \s*(?:In|Out)\s*\[\s*\d*\s*\]\s*:   # # In[3]: from nbconvert
    )""",
    re.VERBOSE | re.IGNORECASE,
)

# Comment lines that begin with a task marker or an annotation label are prose.
_PROSE_LABEL = re.compile(r"^(?:(?:TODO|FIXME|XXX|HACK)\b|(?:NOTE|NB|BUG|WARNING|WARN)\s*:)", re.IGNORECASE)

# A comment line that introduces the block as an example, a reference computation or an
# explanation makes the block documentation: `# Example:`, `# e.g.`, `# Expected values
# computed with mpmath:`, `# equivalent to`, a Markdown code fence, any line ending in `:`.
_EXAMPLE_INTRO = re.compile(
    r"""(?:
        :\s*$
      | ^\s*(?:>>>|\.\.\.)                  # a doctest prompt: what follows is its output
      | ^\s*```
      | \.\.\.\s*$
      | \b(?:examples?|usage|e\.g|i\.e|for\s+instance|as\s+follows|like\s+(?:this|so)|something\s+like)\b
      | \b(?:equivalent(?:ly)?|given)\b
      | \b(?:computed|generated|obtained|produced|derived|reproduced|checked|calculated)
        \s+(?:with|using|via|by|from|in)\b
      | (?-i:\bR(?:'s)?\b)                # R code that happens to parse as Python
    )""",
    re.VERBOSE | re.IGNORECASE,
)

# The longest block tried from one starting line; longer blocks are found in pieces.
_MAX_BLOCK_LINES = 60

# The most comment lines parsed in one file (a line counts once per block it is tried in).
_MAX_LINES_PARSED_PER_FILE = 100_000

# Parser messages that more lines could fix: the line is incomplete, not wrong.
_INCOMPLETE = ("was never closed", "expected an indented block", "unterminated triple-quoted", "unexpected EOF")

# Statements that do something: a block made of these (and calls) is code, not prose.
_CODE_STATEMENTS: tuple[type[ast.stmt], ...] = (
    ast.Assign,
    ast.AugAssign,
    ast.Import,
    ast.ImportFrom,
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.If,
    ast.With,
    ast.AsyncWith,
    ast.Try,
    ast.Return,
    ast.Raise,
    ast.Assert,
    ast.Delete,
    ast.Global,
    ast.Nonlocal,
    ast.Match,
    *((getattr(ast, "TryStar"),) if hasattr(ast, "TryStar") else ()),  # Python 3.11+
)

# Expressions that only code contains: `B = batch` may be a legend, `B = x.size(0)` is code.
_CODE_SIGNALS = (ast.Call, ast.Subscript, ast.Attribute, ast.BinOp, ast.Compare, ast.BoolOp, ast.Lambda)


# `name (remark)`: a call in form only; Python code does not put a space before the parenthesis.
_SPACED_CALL = re.compile(r"^\s*[\w.]+\s+\(")

# R (`x <- c(1, 2)`, `TRUE`, `NULL`) that happens to parse as Python.
_FOREIGN_CODE = re.compile(r"\s<-\s|\b(?:TRUE|FALSE|NULL)\b")


@dataclass(frozen=True)
class CodeBlock:
    """Consecutive comment lines (1-based, inclusive) whose text is Python statements."""

    first: int
    last: int
    lines: tuple[int, ...]  # the non-empty comment lines of the block
    first_code: str  # the block's first line of code, without the `#`


class CommentedOutCode(Rule):
    """
    ## What it does
    Finds blocks of 3 or more consecutive comment lines that together are
    Python statements: code switched off by commenting it out.

    A block counts only when its text parses as Python *and* looks like code:
    every statement is an assignment, an import, a definition, a control-flow
    statement or a call, and the block contains a call, a subscript, an
    attribute, an operator or a statement keyword. Prose that happens to parse
    (`# B = batch`, `# Note: see below`, a list of single words) is not code.
    Never counted: doctest prompts (`>>>`), shebang and encoding lines, type
    comments and tool pragmas (`# type:`, `# noqa`, `# pragma`, `# fmt:`,
    `# mldebt:`), notebook cell markers (`# %%`, `# In[3]:`), task markers
    (`# TODO: ...`), license headers, and code that the comment line just
    above presents as documentation: a line ending in `:` (`# Example:`,
    `# Reverse filter:`), an example or usage (`e.g.`, `for instance`,
    `equivalent to`), a reference computation (`computed with mpmath`), or
    a Markdown code fence.
    Lines inside strings and docstrings are not comments.

    ## Why is this bad?
    Code kept in comments is a dead experimental codepath (§5): an old
    alternative nobody runs or tests, left in place "just in case". It drifts
    out of date with the code around it, misleads readers about what the
    system does, and invites someone to uncomment it into a system that has
    moved on. Version control already remembers it.

    ## Example
    ```python
    model = build_model(config)
    # model = OldModel(depth=12)
    # model.load_state_dict(torch.load("old.pt"))
    # model.freeze_backbone()
    ```

    Use instead: delete the block (the history keeps it), or, if the
    alternative still matters, make it a real, tested option:
    ```python
    model = build_model(config) if not config.use_old_model else load_old_model()
    ```

    ## Options
    - `min-lines` (default `3`): the fewest non-empty comment lines a block needs
      (comments inside the commented-out code count; at least 2 lines must be code).

    ## References
    - Sculley et al. (2015), §5 "ML-System Anti-Patterns", Dead Experimental Codepaths
    """

    CODE = "MLD505"
    NAME = "commented-out-code"
    SEVERITY = Severity.INFO
    SECTION = Section.DEAD_EXPERIMENTAL_CODEPATHS
    SUMMARY = "Consecutive comment lines that are commented-out Python code"
    MESSAGE = "Comment lines {first}-{last} are {count} lines of commented-out code, starting `{code}`"

    @dataclass(frozen=True)
    class Options:
        min_lines: int = 3

    VALID = [
        # Prose.
        Valid(
            """
            # Load the data from the bucket and split it
            # into train and test sets; see the README for
            # how the bucket is laid out.
            frame = load()
            """
        ),
        # Prose that parses as Python: bare names, `label: text`, a legend of names.
        Valid(
            """
            # Note: something
            # Returns: tensor
            # Args: config
            x = 1
            """
        ),
        Valid(
            """
            # B = batch
            # T = time
            # C = channels
            x = 1
            """
        ),
        Valid("# TODO\n# fix\n# this\nx = 1\n"),
        # Two lines of code are not a block.
        Valid("# x = load()\n# y = x.mean()\nz = 1\n"),
        # A doctest in a comment, a license header, tool directives.
        Valid(
            """
            # >>> split_dataset
            # DatasetDict({
            #     train: Dataset({
            #         num_rows: 8009762
            #     })
            # })
            x = 1
            """
        ),
        Valid(
            """
            # >>> model = build()
            # >>> model.fit(x)
            # >>> model.predict(y)
            x = 1
            """
        ),
        Valid(
            """
            # Copyright 2024 The Authors. All rights reserved.
            #
            # Licensed under the Apache License, Version 2.0 (the "License");
            # you may not use this file except in compliance with the License.
            import torch
            """
        ),
        Valid(
            """
            #!/usr/bin/env python
            # -*- coding: utf-8 -*-
            # type: ignore
            # noqa
            # pragma: no cover
            import torch
            """
        ),
        # Notebook cell markers.
        Valid("# %%\n# %% [markdown]\n# In[3]:\nx = 1\n"),
        # A usage example introduced as such is documentation.
        Valid(
            """
            # Example:
            #     model = build_model(config)
            #     trainer = Trainer(model)
            #     trainer.fit(loader)
            def build_model(config):
                ...
            """
        ),
        # `#` lines inside a string are not comments.
        Valid(
            '''
            TEMPLATE = """
            # x = load()
            # y = x.mean()
            # z = y + 1
            """
            '''
        ),
        # Comments separated by blank lines are not one block.
        Valid("# x = load()\n\n# y = x.mean()\n\n# z = y + 1\nz = 2\n"),
        # Code presented as an explanation: a line ending in `:`, a reference computation.
        Valid(
            """
            # Reverse filter:
            # output[K - 1] = zi / (zi - 1) * yplus[K - 1]
            # for k in range(K - 2, -1, -1):
            #     output[k] = zi * (output[k + 1] - yplus[k])
            output = reverse(yplus, zi)
            """
        ),
        Valid(
            """
            def test_tail():
                # Expected value computed with mpmath
                # from mpmath import mp
                # mp.dps = 50
                # float(mp.betainc(a, b, 0.0, x))
                assert tail(a, b, x) == 0.25
            """
        ),
        # Prose that looks like calls (`name (remark)`), and R that parses as Python.
        Valid(
            """
            # __getstate__ (pickle)
            # __setstate__ (pickle)
            # __reduce__ (pickle)
            x = 1
            """
        ),
        Valid(
            """
            # cp0 = a1 * b2 - 0  (a2 = 0)
            # cp1 = 0 - a0 * b2  (a2 = 0)
            # cp2 = a0 * b1 - a1 * b0
            x = 1
            """
        ),
        Valid(
            """
            # options(digits = 16)
            # wilcox.test(x, y, exact = FALSE)
            # wilcox.test(x, y, exact = TRUE)
            x = 1
            """
        ),
        # A directive or a task marker interrupts a block.
        Valid("# x = load()\n# y = x.mean()\n# TODO: drop this\n# z = y + 1\n# w = z * 2\nw = 1\n"),
        # Comments inside commented-out code count as its lines, but one line of code is too little.
        Valid("# # why we stopped\n# # and this\n# x = load(path)\nz = 1\n"),
    ]
    INVALID = [
        Invalid(
            """
            model = build_model(config)
            # model = OldModel(depth=12)
            # model.load_state_dict(torch.load("old.pt"))
            # model.freeze_backbone()
            """,
            line=2,
            message=(
                "Comment lines 2-4 are 3 lines of commented-out code, "
                "starting `model = OldModel(depth=12)`"
            ),
        ),
        # Inside a function, indented, with a multi-line call.
        Invalid(
            """
            def train(model, loader):
                for batch in loader:
                    loss = model(batch)
                    # scaler.scale(loss).backward()
                    # scaler.step(
                    #     optimizer,
                    # )
                    loss.backward()
            """,
            line=4,
        ),
        # A prose line introducing the block, and a commented `if` with its body.
        Invalid(
            """
            # old preprocessing, kept for now
            # if normalize:
            #     frame = (frame - frame.mean()) / frame.std()
            #     frame = frame.fillna(0)
            frame = scale(frame)
            """,
            line=2,
        ),
        # `#x = 1` without a space, and an empty comment line inside the block.
        Invalid(
            """
            x = 1
            #import pandas as pd
            #
            #frame = pd.read_csv("a.csv")
            #frame.to_parquet("a.parquet")
            """,
            line=2,
        ),
        # Comments that were in the code before it was commented out belong to the block.
        Invalid("# # why we stopped\n# x = load()\n# # and this\n# y = x.mean()\nz = 1\n", line=1),
        # Comment lines inside brackets are comments too.
        Invalid(
            """
            optimizer = torch.optim.AdamW(
                params,
                # lr=config.lr * 10,
                # betas=(0.9, 0.95),
                # weight_decay=wd,
                lr=config.lr,
            )
            """,
            line=3,
        ),
        # In a notebook, two cells' comments are not one block.
        Valid(
            """
            # %%
            # import runpy
            # globs = runpy.run_path("metric.py")
            # %%
            # score = globs["score"]
            x = 1
            """,
            path="explore.ipynb",
        ),
    ]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._comments: list[cst.Comment] = []

    def visit_EmptyLine(self, node: cst.EmptyLine) -> None:
        # An own-line comment, wherever it sits: before a statement, at the end of a
        # block, at the top of the module, or inside brackets.
        if node.comment is not None:
            self._comments.append(node.comment)

    def leave_Module(self, original_node: cst.Module) -> None:
        minimum = max(cast(CommentedOutCode.Options, self.options).min_lines, 1)
        if len(self._comments) < minimum:
            return
        blocks = list(code_blocks(self.context.lines, minimum, self.context.cell_starts))
        if not blocks:
            return
        # Only now pay for positions: keep blocks whose every line is a real comment
        # (a `#` line inside a string literal is not one).
        by_line = {self.context.line_of(comment): comment for comment in self._comments}
        for block in blocks:
            if all(line in by_line for line in block.lines):
                self.report(
                    by_line[block.first],
                    count=len(block.lines),
                    first=block.first,
                    last=block.last,
                    code=_shorten(block.first_code),
                )


def code_blocks(lines: Sequence[str], min_lines: int = 3, breaks: Collection[int] = ()) -> Iterator[CodeBlock]:
    """The blocks of commented-out code in a file's lines, judged from the text alone. A block
    never runs across a line in `breaks` (where a notebook's next cell begins)."""
    budget = _Budget()
    run: list[tuple[int, str | None]] = []  # (line number, text after `#`; None: prose or directive)
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if number in breaks:
            yield from _blocks_in_run(run, min_lines, budget)
            run = []
        if stripped.startswith("#"):
            run.append((number, _payload(stripped)))
            continue
        yield from _blocks_in_run(run, min_lines, budget)
        run = []
    yield from _blocks_in_run(run, min_lines, budget)


@dataclass
class _Budget:
    """Lines left to parse in one file: a file made of thousands of comment lines is not worth more."""

    lines: int = _MAX_LINES_PARSED_PER_FILE

    def take(self, lines: int) -> bool:
        self.lines -= lines
        return self.lines >= 0


def _may_start_code(text: str | None) -> bool:
    """Whether a block of code can start with this line: alone, it parses, or it is only
    incomplete (an open bracket, a block header, a decorator). Cheap, and most prose fails it."""
    if not text:
        return False
    line = text.strip()
    if line.startswith("@"):
        return True
    _, error = _parse(line + "\n")
    return error is None or any(reason in (error.msg or "") for reason in _INCOMPLETE)


def _payload(comment: str) -> str | None:
    """The text of a comment line, or None when it is a directive or a task marker."""
    if _DIRECTIVE.match(comment):
        return None
    text = comment.lstrip("#")
    if text.startswith(" "):
        text = text[1:]
    if _PROSE_LABEL.match(text.strip()):
        return None
    return text.rstrip()


def _blocks_in_run(run: list[tuple[int, str | None]], min_lines: int, budget: _Budget) -> Iterator[CodeBlock]:
    if sum(1 for _, text in run if text) < min_lines:
        return
    if any(text and re.search(r"copyright|spdx-license|licensed under", text, re.IGNORECASE) for _, text in run):
        return  # a license header
    start = 0
    while start < len(run) and budget.lines > 0:
        if not _may_start_code(run[start][1]):
            start += 1
            continue
        end, tree = _longest_parsing_block(run, start, budget)
        if tree is None:
            start += 1
            continue
        # Keep the statements up to the first one that is not code (`Note: text`, `foo`).
        statements: list[ast.stmt] = []
        resume = end
        for statement in tree.body:
            if not _is_code_statement(statement, run[start + statement.lineno - 1][1] or ""):
                end = start + statement.lineno - 1
                resume = start + (statement.end_lineno or statement.lineno)
                break
            statements.append(statement)
        block = _trim(run[start:end])
        lines = tuple(number for number, text in block if text)
        # Comments inside the commented-out block (`# # why`) are lines of it, but it needs
        # two lines of code at least.
        code = [text.strip() for _, text in block if text and not text.lstrip().startswith("#")]
        if (
            len(lines) >= min_lines
            and len(code) >= min(2, min_lines)
            and _has_code_signal(statements)
            and not _FOREIGN_CODE.search("\n".join(code))
            and not _introduced_as_example(run, start)
        ):
            yield CodeBlock(block[0][0], block[-1][0], lines, code[0])
        start = max(resume, start + 1)


def _longest_parsing_block(
    run: list[tuple[int, str | None]], start: int, budget: _Budget
) -> tuple[int, ast.Module | None]:
    """The end (exclusive) of the longest block from `start` that parses, and its tree."""
    end = start
    limit = min(len(run), start + _MAX_BLOCK_LINES)
    while end < limit and run[end][1] is not None:
        end += 1  # a directive or a task marker ends the block
    while end > start and budget.take(end - start):
        tree, error = _parse(_source(run[start:end]))
        if tree is not None:
            return end, tree
        # More lines cannot fix an error, so try the lines before it (or one line fewer).
        line = error.lineno if error is not None and error.lineno else end - start
        end = min(end - 1, start + line - 1)
    return start, None


def _trim(block: list[tuple[int, str | None]]) -> list[tuple[int, str | None]]:
    """Drop trailing empty lines and comments from a block."""
    while block and (not block[-1][1] or (block[-1][1] or "").lstrip().startswith("#")):
        block = block[:-1]
    return block


def _source(block: list[tuple[int, str | None]]) -> str:
    return textwrap.dedent("\n".join(text or "" for _, text in block)) + "\n"


def _parse(source: str) -> tuple[ast.Module | None, SyntaxError | None]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # invalid escapes in commented strings
        try:
            return ast.parse(source), None
        except SyntaxError as error:
            return None, error
        except (ValueError, RecursionError, MemoryError):
            return None, None


def _is_code_statement(statement: ast.stmt, first_line: str) -> bool:
    """A statement that does something: not `Note: text` (an annotation), not a bare name or
    value, not `pass`/`break` (too little to tell)."""
    if isinstance(statement, ast.Expr):
        if not isinstance(statement.value, ast.Call | ast.Await | ast.Yield | ast.YieldFrom):
            return False
        if _SPACED_CALL.match(first_line):
            return False  # `__reduce__ (pickle)`: a name with a remark
    elif not isinstance(statement, _CODE_STATEMENTS):
        return False
    # `cp0 = a1 * b2 - 0  (a2 = 0)` parses, as a call of `0`: a formula with a remark.
    return not any(
        isinstance(node, ast.Call) and isinstance(node.func, ast.Constant) for node in ast.walk(statement)
    )


def _has_code_signal(statements: list[ast.stmt]) -> bool:
    """Something unmistakably code: a call, subscript, attribute, operator or statement keyword
    (`B = batch` alone may be a legend)."""
    return any(
        isinstance(node, _CODE_SIGNALS) or (isinstance(node, _CODE_STATEMENTS) and not isinstance(node, ast.Assign))
        for statement in statements
        for node in ast.walk(statement)
    )


def _introduced_as_example(run: list[tuple[int, str | None]], start: int) -> bool:
    """The comment line just before the block presents it as an example."""
    for _, text in reversed(run[:start]):
        if not text:
            continue
        return bool(_EXAMPLE_INTRO.search(text))
    return False


def _shorten(code: str, limit: int = 60) -> str:
    code = code.replace("`", "'")
    return code if len(code) <= limit else code[: limit - 3].rstrip() + "..."
