"""The engine's own findings (MLD0xx): documented like rules, raised by the engine itself."""

from __future__ import annotations

from mldebt.findings import Finding, Severity
from mldebt.paper import Section
from mldebt.rule import Invalid, RuleMetadata, Valid


class SyntaxErrorFinding(RuleMetadata):
    """
    ## What it does
    Reports a file that mldebt cannot read or parse: a syntax error (CPython's
    own message and position), bytes that are not valid text in the file's
    encoding, a binary file with a `.py` name, or source nested too deeply.

    ## Why is this bad?
    A file that cannot be parsed cannot be checked, so any debt in it is
    invisible. It is also often a file nobody runs any more (Python 2 code
    left behind), which is dead code of its own.

    ## Example
    ```python
    print "accuracy", acc
    ```

    Use instead:
    ```python
    print("accuracy", acc)
    ```

    ## References
    - Sculley et al. (2015), §9 "Measuring Debt and Paying it Off": debt that
      cannot be seen cannot be measured.
    """

    CODE = "MLD001"
    NAME = "syntax-error"
    SEVERITY = Severity.ERROR
    SECTION = Section.TOOL
    SUMMARY = "A file that cannot be read or parsed"
    MESSAGE = "{reason}"
    INVALID = (Invalid('print "accuracy", acc'),)
    VALID = (Valid('print("accuracy", acc)'), Valid(""))

    @classmethod
    def finding(cls, path: str, reason: str, line: int = 1, column: int = 1, source: str = "") -> Finding:
        return Finding(
            code=cls.CODE,
            name=cls.NAME,
            severity=cls.SEVERITY,
            paper_section=cls.SECTION.label,
            path=path,
            line=max(line, 1),
            column=max(column, 1),
            end_line=max(line, 1),
            end_column=max(column, 1),
            message=cls.MESSAGE.format(reason=reason),
            source=source,
        )


class UnusedSuppression(RuleMetadata):
    """
    ## What it does
    Reports a `# noqa: MLDxxx` (or `# noqa: rule-name`, or `# mldebt: noqa: ...`)
    comment that suppresses nothing: no finding of that rule is on its line
    (or, for a file-level comment, in its file). A bare `# noqa` is left
    alone, since it may serve another linter.

    ## Why is this bad?
    A suppression outlives the debt it excused: once the code is fixed, the
    stale comment hides the next, unrelated finding on that line. Suppressions
    are a record of accepted debt (the paper's §9 asks teams to measure and
    pay debt down); stale ones make that record lie.

    ## Example
    ```python
    train, test = train_test_split(frame, random_state=0)  # noqa: MLD801
    ```

    Use instead:
    ```python
    train, test = train_test_split(frame, random_state=0)
    ```

    ## References
    - Sculley et al. (2015), §9 "Conclusions: Measuring Debt and Paying it Off"
    """

    CODE = "MLD002"
    NAME = "unused-suppression"
    SEVERITY = Severity.INFO
    SECTION = Section.TOOL
    SUMMARY = "A noqa comment for mldebt that suppresses nothing"
    MESSAGE = "`{comment}` suppresses nothing here{note}"
    DEFAULT_ENABLED = False
    INVALID = (
        Invalid("x = 1  # noqa: MLD504\n", column=8),
        Invalid("# mldebt: noqa: dead-experimental-codepath\nx = 1\n", line=1),
    )
    VALID = (
        Valid("x = 1  # noqa\n"),
        Valid("x = 1  # noqa: E501\n"),
        Valid("# mldebt: noqa\nx = 1\n"),
    )

    @classmethod
    def finding(cls, path: str, line: int, column: int, comment: str, note: str, source: str) -> Finding:
        return Finding(
            code=cls.CODE,
            name=cls.NAME,
            severity=cls.SEVERITY,
            paper_section=cls.SECTION.label,
            path=path,
            line=line,
            column=column,
            end_line=line,
            end_column=column + len(comment),
            message=cls.MESSAGE.format(comment=comment, note=note),
            source=source,
        )


BUILTIN_RULES: tuple[type[RuleMetadata], ...] = (SyntaxErrorFinding, UnusedSuppression)
