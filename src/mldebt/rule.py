"""The public rule API: what a rule declares, and how it reports.

A file rule is a libcst batchable visitor: every enabled file rule runs in the
one traversal of each file. A project rule reads the frozen project graph and
the facts of every file. Both declare the same metadata.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import textwrap
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import libcst as cst

from mldebt.context import FileContext
from mldebt.findings import Finding, Severity
from mldebt.paper import Section

if TYPE_CHECKING:
    from mldebt.project import Project


# Where F+P rules record plain data for their project phase during the traversal (in the
# file context's shared state, so a traversal redone after a crash starts clean).
RULE_DATA = "rule_data"


def _clean(code: str) -> str:
    return textwrap.dedent(code).strip("\n") + "\n"


@dataclass(frozen=True)
class Valid:
    """An example the rule must stay silent on.

    Args:
        code: The example source (dedented). For a project rule, the main file.
        path: Where the example lives, relative to its project root.
        files: Further files of the example project (project rules).
    """

    code: str
    path: str = "example.py"
    files: Mapping[str, str] = field(default_factory=dict)

    @property
    def source(self) -> str:
        return _clean(self.code)


@dataclass(frozen=True)
class Invalid:
    """An example the rule must flag, at `line` (default: the example's last line).

    Args:
        code: The example source (dedented).
        line: The 1-based line of the finding.
        column: The 1-based column, checked when given.
        message: The exact message, checked when given (pin it in one example per rule).
        path: Where the example lives, relative to its project root.
        files: Further files of the example project (project rules).
    """

    code: str
    line: int | None = None
    column: int | None = None
    message: str | None = None
    path: str = "example.py"
    files: Mapping[str, str] = field(default_factory=dict)

    @property
    def source(self) -> str:
        return _clean(self.code)

    @property
    def expected_line(self) -> int:
        if self.line is not None:
            return self.line
        return len(self.source.rstrip("\n").splitlines())


class RuleMetadata:
    """What every rule declares, file rule or project rule."""

    CODE: ClassVar[str] = ""
    NAME: ClassVar[str] = ""
    SEVERITY: ClassVar[Severity] = Severity.WARNING
    SECTION: ClassVar[Section] = Section.TOOL
    SUMMARY: ClassVar[str] = ""
    MESSAGE: ClassVar[str] = ""
    DEFAULT_ENABLED: ClassVar[bool] = True
    VALID: ClassVar[Sequence[Valid]] = ()
    INVALID: ClassVar[Sequence[Invalid]] = ()

    @dataclass(frozen=True)
    class Options:
        """A rule without options."""

    @classmethod
    def explanation(cls) -> str:
        """The rule's Markdown docstring: what it does, why it is debt, what to do instead."""
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def reference(cls) -> str:
        return cls.SECTION.label

    @classmethod
    def option_fields(cls) -> tuple[dataclasses.Field[Any], ...]:
        return dataclasses.fields(cls.Options)

    @classmethod
    def scope(cls) -> str:
        """`F` for file rules, `P` for project rules, `F+P` for both."""
        kinds = []
        if issubclass(cls, Rule):
            kinds.append("F")
        if issubclass(cls, ProjectRule) or (issubclass(cls, Rule) and cls.has_project_phase()):
            kinds.append("P")
        return "+".join(kinds) or "F"

    @classmethod
    def has_project_phase(cls) -> bool:
        return False


@functools.cache
def visitor_method_names(visitor_class: type[cst.BatchableCSTVisitor]) -> tuple[str, ...]:
    """The `visit_*`/`leave_*` methods a visitor class defines, found once per class.

    libcst's own `get_visitors` runs `inspect.getmembers` on every instance,
    which for one rule per file per run cost a fifth of a full check.
    """
    names = []
    for name in dir(visitor_class):
        if not name.startswith(("visit_", "leave_")):
            continue
        member = getattr(visitor_class, name)
        if callable(member) and not getattr(member, "_is_no_op", False):
            names.append(name)
    return tuple(names)


class CachedVisitors(cst.BatchableCSTVisitor):
    """A batchable visitor whose method table is computed once per class, not per instance."""

    def get_visitors(self) -> Mapping[str, Callable[[cst.CSTNode], None]]:
        return {name: getattr(self, name) for name in visitor_method_names(type(self))}


class Rule(RuleMetadata, CachedVisitors):
    """A file rule: visits one file's syntax tree in the shared traversal and reports nodes.

    Subclasses define `visit_<Node>`/`leave_<Node>` methods and call
    `self.report(node, **fields)`; `MESSAGE` is formatted with the fields.
    A rule that also has a project phase (F+P) overrides `review`.
    """

    def __init__(self, context: FileContext, options: Any = None) -> None:
        super().__init__()
        self.context = context
        self.options = options if options is not None else type(self).Options()
        self.reports: list[tuple[cst.CSTNode, str, str]] = []

    def qualified_name(self, node: cst.BaseExpression) -> str | None:
        """The qualified name `node` refers to through the file's imports, or None when unsure."""
        return self.context.aliases.qualified_name(node)

    def report(self, node: cst.CSTNode, message: str | None = None, **fields: Any) -> None:
        """Report a finding at `node` (located after the traversal, only if anything was reported)."""
        text = message if message is not None else self.MESSAGE.format(**fields)
        self.reports.append((node, text, ".".join(self.context.scope)))

    def record(self, key: str, value: Any) -> None:
        """Keep plain data (str/int/bool, lists, dicts) about this file for the rule's own project
        phase; `review` reads it back with `project.rule_data(CODE)`. Cached with the file's facts."""
        store = self.context.shared.setdefault(RULE_DATA, {})
        store.setdefault(self.CODE, {})[key] = value

    @classmethod
    def applies_to(cls, context: FileContext) -> bool:
        """Whether the rule can report or record anything on this file, told from the file's path
        before its tree is walked. Answer False only where the rule would stay silent and record
        nothing (e.g. test files, for a rule that never reports in them): the engine then leaves
        the rule out of that file's traversal. Default: every file."""
        return True

    @classmethod
    def has_project_phase(cls) -> bool:
        return cls.review.__func__ is not Rule.review.__func__  # type: ignore[attr-defined]

    @classmethod
    def review(cls, proposed: list[Finding], project: Project, options: Any) -> Iterator[Finding]:
        """F+P rules: decide, with the whole project in view, which file-phase findings stand
        (and add findings that only the project shows)."""
        yield from proposed


class ProjectRule(RuleMetadata):
    """A project rule: reads the frozen project graph and facts, never a syntax tree."""

    def __init__(self, options: Any = None) -> None:
        self.options = options if options is not None else type(self).Options()

    def check(self, project: Project) -> Iterator[Finding]:
        raise NotImplementedError

    def finding(
        self,
        path: str,
        line: int,
        column: int = 1,
        message: str | None = None,
        **fields: Any,
    ) -> Finding:
        """A finding of this rule at a place in a project file."""
        return Finding(
            code=self.CODE,
            name=self.NAME,
            severity=self.SEVERITY,
            paper_section=self.SECTION.label,
            path=path,
            line=line,
            column=column,
            end_line=line,
            end_column=column,
            message=message if message is not None else self.MESSAGE.format(**fields),
        )


RuleClass = type[Rule] | type[ProjectRule]
