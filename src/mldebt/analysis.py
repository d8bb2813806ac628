"""The map step: one file in, its findings and facts out.

Pure and self-contained (no shared state), so it can run in worker processes
and its result can be cached.
"""

from __future__ import annotations

import ast
import sys
import traceback
import warnings
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import libcst as cst
from libcst.metadata import MetadataWrapper

from mldebt.builtin import SyntaxErrorFinding
from mldebt.context import FileContext
from mldebt.facts import FileFacts, ScopeTracker, collect_facts
from mldebt.findings import Finding, Notice, Severity
from mldebt.names import ImportAliases, collect_top_level
from mldebt.positions import FilePositions
from mldebt.rule import RULE_DATA, Rule
from mldebt.source import DecodeFailure, decode_source, split_lines
from mldebt.suppression import Suppressions, parse_suppressions
from mldebt.walker import walk_batched

MAX_SOURCE_LINES_IN_FINDING = 5


@dataclass(frozen=True)
class RuleSetup:
    """An enabled rule, ready to run: its class, its options, and its effective severity."""

    rule: type[Any]
    options: Any
    severity: Severity


@dataclass(frozen=True)
class FileResult:
    """What the map step learned about one file."""

    path: str
    findings: tuple[Finding, ...] = ()
    facts: FileFacts | None = None
    suppressions: Suppressions = field(default_factory=Suppressions)
    errors: tuple[str, ...] = ()
    notices: tuple[Notice, ...] = ()


def module_name(path: str) -> str:
    """`src/pkg/sub/__init__.py` -> `pkg.sub`; `train.py` -> `train`."""
    parts = path.split("/")
    if parts and parts[0] == "src" and len(parts) > 1:
        parts = parts[1:]
    last = parts[-1]
    for suffix in (".py", ".pyi", ".ipynb"):
        if last.endswith(suffix):
            last = last[: -len(suffix)]
            break
    parts[-1] = last
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def source_excerpt(lines: Sequence[str], line: int, end_line: int) -> str:
    first = max(line, 1) - 1
    last = min(max(end_line, line), line + MAX_SOURCE_LINES_IN_FINDING - 1)
    return "\n".join(lines[first:last])


def analyse_file(root: Path, path: str, file_rules: Sequence[RuleSetup], in_package: bool) -> FileResult:
    """Read, decode, parse and check one file. Never raises for bad input."""
    try:
        data = (root / path).read_bytes()
    except OSError as error:
        reason = error.strerror or str(error)
        return FileResult(path, notices=(Notice(f"cannot be read ({reason}); skipped", path),))
    return analyse_bytes(data, path, file_rules, in_package)


def analyse_bytes(data: bytes, path: str, file_rules: Sequence[RuleSetup], in_package: bool) -> FileResult:
    decoded = decode_source(data)
    if isinstance(decoded, DecodeFailure):
        return FileResult(path, findings=(_syntax_error(path, decoded.reason, decoded.line, 1, file_rules),))
    return analyse_source(decoded, path, file_rules, in_package)


def analyse_source(text: str, path: str, file_rules: Sequence[RuleSetup], in_package: bool = False) -> FileResult:
    """Check one file's text with the given file rules, and gather its facts."""
    lines = split_lines(text)
    suppressions = parse_suppressions(lines)
    tree, failure = _gate(text, path)
    if failure is not None:
        line, column = _inside(lines, failure[1], failure[2])
        finding = _syntax_error(path, failure[0], line, column, file_rules, lines)
        return FileResult(path, findings=(finding,), suppressions=suppressions)
    assert tree is not None
    try:
        module = cst.parse_module(text)
    except (cst.ParserSyntaxError, cst.CSTValidationError, RecursionError, MemoryError) as error:
        # CPython compiles the file (the gate passed), so it is no syntax error: libcst's parser lacks a
        # corner of the grammar (`(x): int = 5`, a line that is only a backslash). The file rules cannot
        # run; the file's facts, read from CPython's tree, still reach the project.
        context = FileContext(path=path, module=module_name(path), in_package=in_package, lines=lines)
        facts = collect_facts(tree, context, len(lines))
        notice = Notice(f"{_libcst_failure(error)}; its file rules were skipped", path)
        return FileResult(path, facts=facts, suppressions=suppressions, notices=(notice,))

    name = module_name(path)
    context = FileContext(path=path, module=name, in_package=in_package, lines=lines)
    context.aliases = ImportAliases(name, context.is_package_init)
    collect_top_level(module, context.aliases)
    facts = collect_facts(tree, context, len(lines))

    findings, errors = _run_rules(module, context, [setup for setup in file_rules if issubclass(setup.rule, Rule)])
    recorded = context.shared.get(RULE_DATA)
    if recorded:
        facts = replace(facts, rule_data=dict(recorded))
    return FileResult(path, tuple(findings), facts, suppressions, tuple(errors))


def _gate(text: str, path: str) -> tuple[ast.Module | None, tuple[str, int, int] | None]:
    """Parse with CPython first: its errors and positions are the ones users know,
    and it rejects pathological nesting before libcst's parser meets it."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SyntaxWarning for invalid escapes is not our finding
        try:
            return ast.parse(text, filename=path), None
        except SyntaxError as error:
            message = error.msg or "invalid syntax"
            return None, (f"SyntaxError: {message}", error.lineno or 1, error.offset or 1)
        except ValueError as error:  # null bytes on Python < 3.12
            return None, (f"cannot parse the file: {error}", 1, 1)
        except (RecursionError, MemoryError):
            return None, ("the file is nested too deeply to parse", 1, 1)


def _inside(lines: Sequence[str], line: int, column: int) -> tuple[int, int]:
    """A position inside the file: CPython puts an error found at the end of the file (`if x:` and
    nothing after it) on the line after the last one."""
    count = len(lines) - 1 if len(lines) > 1 and lines[-1] == "" else len(lines)
    if line > count:
        return count, len(lines[count - 1]) + 1
    return line, min(column, len(lines[line - 1]) + 1) if line >= 1 else column


def _libcst_failure(error: BaseException) -> str:
    first = str(error).splitlines()[0].rstrip(".") if str(error) else type(error).__name__
    return f"libcst cannot parse this file ({first})"


def _syntax_error(
    path: str,
    reason: str,
    line: int,
    column: int,
    file_rules: Sequence[RuleSetup],
    lines: Sequence[str] = (),
) -> Finding:
    finding = SyntaxErrorFinding.finding(path, reason, line, column, source_excerpt(lines, line, line))
    for setup in file_rules:
        if setup.rule is SyntaxErrorFinding:
            return finding.with_severity(setup.severity)
    return finding


def _run_rules(module: cst.Module, context: FileContext, setups: list[RuleSetup]) -> tuple[list[Finding], list[str]]:
    """One batched traversal for every file rule; a rule that raises is dropped and reported,
    and the traversal is redone for the others."""
    errors: list[str] = []
    active = list(setups)
    positions = FilePositions(module)  # the module is the same on every try, so are its positions
    while True:
        context.scope.clear()
        context.shared.clear()
        rules = [setup.rule(context, setup.options) for setup in active]
        context.locate = positions.line_of
        try:
            if rules:
                _visit(module, [ScopeTracker(context), *rules])
        except Exception as error:  # a bug in a rule: report it, keep the others
            culprit = _culprit(error, rules)
            errors.append(_describe_crash(context.path, culprit, error))
            if culprit is None:
                return [], errors
            active = [setup for setup, rule in zip(active, rules) if rule is not culprit]
            continue
        return _locate(positions, context, rules, active), errors


def _visit(module: cst.Module, visitors: list[cst.BatchableCSTVisitor]) -> None:
    """The visitors' methods over the module's own nodes (positions are found by node identity later),
    read-only: libcst's `visit_batched` rebuilds every node on the way, which was most of a check."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10_000))  # deep but legal expressions recurse
    try:
        with ExitStack() as stack:
            if any(visitor.get_inherited_dependencies() for visitor in visitors):
                # No rule declares libcst metadata today; one that does gets it resolved as libcst would.
                wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
                for visitor in visitors:
                    stack.enter_context(visitor.resolve(wrapper))
            walk_batched(module, visitors)
    finally:
        sys.setrecursionlimit(limit)


def _culprit(error: BaseException, rules: list[Rule]) -> Rule | None:
    ids = {id(rule): rule for rule in rules}
    for frame, _ in traceback.walk_tb(error.__traceback__):
        candidate = frame.f_locals.get("self")
        if id(candidate) in ids:
            return ids[id(candidate)]
    return None


def _describe_crash(path: str, rule: Rule | None, error: BaseException) -> str:
    who = f"rule {rule.CODE} ({rule.NAME})" if rule is not None else "the engine"
    return f"{who} failed on {path}: {type(error).__name__}: {error}"


def _locate(
    positions: FilePositions, context: FileContext, rules: list[Rule], setups: list[RuleSetup]
) -> list[Finding]:
    """Turn reported nodes into findings. Positions are computed only for files with reports,
    and only for the reported nodes."""
    if not any(rule.reports for rule in rules):
        return []
    ranges = positions.ranges(node for rule in rules for node, _, _ in rule.reports)
    findings = []
    for rule, setup in zip(rules, setups):
        for node, message, scope in rule.reports:
            where = ranges.get(id(node))
            if where is None:
                continue
            start, end = where.start, where.end
            findings.append(
                Finding(
                    code=rule.CODE,
                    name=rule.NAME,
                    severity=setup.severity,
                    paper_section=rule.SECTION.label,
                    path=context.path,
                    line=start.line,
                    column=start.column + 1,
                    end_line=end.line,
                    end_column=end.column + 1,
                    message=message,
                    scope=scope,
                    source=source_excerpt(context.lines, start.line, end.line),
                )
            )
    return findings
