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


BUILTIN_RULES: tuple[type[RuleMetadata], ...] = (SyntaxErrorFinding,)
