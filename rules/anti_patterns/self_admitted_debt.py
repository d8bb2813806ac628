"""MLD512 self-admitted-debt: `TODO`, `FIXME`, `HACK` and `XXX` comments."""

from __future__ import annotations

import re

import libcst as cst

from mldebt import Invalid, Rule, Section, Severity, Valid

# The conventional markers, written in capitals, anywhere in a comment: `# TODO: ...`,
# `# ... (FIXME)`, `# TODO(alice): ...`, `# HACK!`. A plural (`TODOs`) counts too.
_MARKER = re.compile(r"(?<![\w-])(TODO|FIXME|HACK|XXX)[sS]?(?![\w-])")

# Lower- or mixed-case markers count only where they open the comment and are followed by
# a colon, a parenthesis or the text of the task (`# todo: wrap`, `# Fixme(bob) ...`):
# in running prose, "a hack" or "todo" is usually a word, not a marker.
_LEADING_MARKER = re.compile(r"^#+\s*(todo|fixme)\b\s*[:(\-\w]", re.IGNORECASE)

_MAX_TEXT = 80


class SelfAdmittedDebt(Rule):
    """
    ## What it does
    Reports comments in which the authors admit debt: `TODO`, `FIXME`, `HACK`
    and `XXX`, written in capitals as the convention has it (`# TODO: ...`,
    `# TODO(alice): ...`, `# ... HACK ...`). A lower- or mixed-case `todo` or
    `fixme` counts only at the start of the comment and followed by the task
    (`# todo: remove`); elsewhere "a hack" or "xxx" in lower case is prose or a
    placeholder. One finding per comment. Strings and docstrings are not
    comments.

    This rule is off by default: such comments are an inventory to count in
    an audit rather than a defect to fix line by line. Turn it on by its full
    code or name, `extend-select = ["MLD512"]` (selecting the `MLD5` prefix
    does not enable it).

    ## Why is this bad?
    Each marker is a shortcut its authors knew they were taking. The paper
    calls for measuring debt and paying it off (§5 "ML-System Anti-Patterns",
    §9): markers that accumulate in model and pipeline code are prototype
    shortcuts that reached production, and their number is one of the few
    direct measures of how much debt a team has admitted.

    ## Example
    ```python
    # HACK: the scaler is fit on all rows until the split is fixed
    scaler.fit(frame)
    ```

    Use instead: pay the debt, or move it to the issue tracker where it is
    prioritised, and keep a link:
    ```python
    scaler.fit(train)  # fit on the training split only (see #123 for history)
    ```

    ## References
    - Sculley et al. (2015), §5 "ML-System Anti-Patterns", Common Smells (Prototype Smell)
    """

    CODE = "MLD512"
    NAME = "self-admitted-debt"
    SEVERITY = Severity.INFO
    SECTION = Section.PROTOTYPE_SMELL
    SUMMARY = "A TODO, FIXME, HACK or XXX comment"
    MESSAGE = "`{marker}` comment admits debt: `{text}`"
    DEFAULT_ENABLED = False

    VALID = [
        Valid("# Fit the scaler on the training split only.\nscaler.fit(train)\n"),
        # Markers inside strings and docstrings are not comments.
        Valid('def f():\n    """TODO: document."""\n    return "FIXME"\n'),
        # Lower-case words in prose, placeholders, and parts of longer words.
        Valid("# this is a hack around the tokenizer's padding\nx = 1\n"),
        Valid("# replace xxx with your bucket name\nx = 1\n"),
        Valid("# TODOLIST and HACKATHON are names, not markers\nx = 1\n"),
        Valid("x = 1  # see the todo list in the README\n"),
        Valid("# ID format: XXX-1234 is a ticket prefix, not a marker\nx = 1\n"),
    ]
    INVALID = [
        Invalid(
            """
            # HACK: the scaler is fit on all rows until the split is fixed
            scaler.fit(frame)
            """,
            line=1,
            message="`HACK` comment admits debt: `# HACK: the scaler is fit on all rows until the split is fixed`",
        ),
        Invalid("x = compute()  # TODO(alice): cache this\n", column=16),
        Invalid(
            """
            def train(model):
                for batch in loader:
                    # FIXME
                    loss = model(batch)
            """,
            line=3,
        ),
        Invalid("# XXX does not handle empty frames\nx = 1\n", line=1),
        Invalid("# todo: wrap content as commented description\nx = 1\n", line=1),
        Invalid("# TODOs: remove the warm-up hack\nx = 1\n", line=1),
        # Comments inside brackets are comments too.
        Invalid(
            """
            optimizer = AdamW(
                params,
                # TODO tune
                lr=1e-3,
            )
            """,
            line=3,
        ),
    ]

    def visit_Comment(self, node: cst.Comment) -> None:
        marker = _marker(node.value)
        if marker is not None:
            self.report(node, marker=marker, text=_shorten(node.value))


def _marker(comment: str) -> str | None:
    """The debt marker a comment carries, upper-cased, or None."""
    found = _MARKER.search(comment)
    if found is not None:
        return found.group(1)
    leading = _LEADING_MARKER.match(comment)
    if leading is not None:
        return leading.group(1).upper()
    return None


def _shorten(comment: str) -> str:
    text = comment.strip().replace("`", "'")
    return text if len(text) <= _MAX_TEXT else text[: _MAX_TEXT - 3].rstrip() + "..."
