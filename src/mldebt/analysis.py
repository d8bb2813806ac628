"""The map step: one file in, its findings and facts out.

Pure and self-contained (no shared state), so it can run in worker processes
and its result can be cached.
"""

from __future__ import annotations

import ast
import sys
import traceback
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path
from typing import Any

import libcst as cst
from libcst.metadata import MetadataWrapper

from mldebt.builtin import SyntaxErrorFinding
from mldebt.context import RECORDED_LINES, FileContext, RecordedLine, resolve_recorded_lines
from mldebt.facts import FileFacts, ImportFact, ScopeTracker, collect_facts
from mldebt.findings import Finding, Notice, Severity
from mldebt.fingerprint import statement_excerpt
from mldebt.guards import cpython_parse
from mldebt.names import ImportAliases, collect_top_level
from mldebt.notebooks import CellMap, NotebookError, NotebookSource, is_notebook_path, is_python, read_notebook, run_imports
from mldebt.positions import FilePositions
from mldebt.results import FileResult, RuleSetup
from mldebt.rule import RULE_DATA, Rule
from mldebt.source import DecodeFailure, decode_source, split_lines
from mldebt.suppression import Suppressions, parse_suppressions
from mldebt.walker import walk_batched


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
    """A finding's source lines (a block's header only): shown under it, and its identity in a baseline."""
    return statement_excerpt(lines, line, end_line)


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
    """Check one file's text with the given file rules, and gather its facts. A notebook's
    code cells are checked as one module; its findings keep the joined code's lines until
    the run maps them to cells (`FileResult.notebook`)."""
    notebook: NotebookSource | None = None
    if is_notebook_path(path):
        try:
            notebook = read_notebook(text)
        except NotebookError as error:
            return FileResult(path, findings=(_syntax_error(path, f"cannot read the notebook: {error}", 1, 1, file_rules),))
        if not is_python(notebook.language):
            return FileResult(path)  # a notebook in another language, as a `.R` file: not a module of ours
        text = notebook.code
    result = _analyse_text(text, path, file_rules, in_package, notebook)
    if notebook is None:
        return result
    return replace(result, notebook=notebook.cell_map)



def _analyse_text(
    text: str, path: str, file_rules: Sequence[RuleSetup], in_package: bool, notebook: NotebookSource | None
) -> FileResult:
    lines = split_lines(text)
    shown = list(notebook.original) if notebook is not None else lines  # the source under a finding
    suppressions = parse_suppressions(lines)
    tree, failure = _gate(text, path, notebook is not None)
    if failure is not None:
        line, column = _inside(shown, failure[1], failure[2])
        finding = _syntax_error(path, failure[0], line, column, file_rules, shown)
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
    if notebook is not None:
        context.cell_starts = frozenset(first for _, first, _ in notebook.cell_map.segments)
    context.aliases = ImportAliases(name, context.is_package_init)
    collect_top_level(module, context.aliases)
    facts = collect_facts(tree, context, len(lines))
    if notebook is not None and notebook.runs:
        # `%run script.py` runs the script in the notebook's namespace: `from script import *`.
        runs = tuple(ImportFact(module, "*", "*", line) for module, line in run_imports(notebook, path))
        facts = replace(facts, imports=facts.imports + runs)

    findings, errors = _run_rules(
        module,
        context,
        [setup for setup in file_rules if issubclass(setup.rule, Rule) and setup.rule.applies_to(context)],
        shown,
    )
    recorded = context.shared.get(RULE_DATA)
    if recorded:
        facts = replace(facts, rule_data=resolve_recorded_lines(dict(recorded)))
    return FileResult(path, tuple(findings), facts, suppressions, tuple(errors))


def _gate(text: str, path: str, notebook: bool = False) -> tuple[ast.Module | None, tuple[str, int, int] | None]:
    """Parse with CPython first: its errors and positions are the ones users know,
    and it rejects pathological nesting before libcst's parser meets it. A notebook's
    kernel runs top-level `await`, so its code may use it."""
    try:
        return cpython_parse(text, path, top_level_await=notebook), None
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
    if count == 0:
        return 1, 1
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
    if lines:  # CPython can point one past the end (a block missing at EOF): keep it inside the file
        line = min(max(line, 1), len(lines))
        column = min(max(column, 1), len(lines[line - 1]) + 1)
    finding = SyntaxErrorFinding.finding(path, reason, line, column, source_excerpt(lines, line, line))
    for setup in file_rules:
        if setup.rule is SyntaxErrorFinding:
            return finding.with_severity(setup.severity)
    return finding


def _run_rules(
    module: cst.Module, context: FileContext, setups: list[RuleSetup], shown: Sequence[str]
) -> tuple[list[Finding], list[str]]:
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
        return _locate(positions, context, rules, active, shown), errors


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
    positions: FilePositions, context: FileContext, rules: list[Rule], setups: list[RuleSetup], shown: Sequence[str]
) -> list[Finding]:
    """Turn reported nodes into findings, and fill in the lines recorded for later. Positions are
    computed only for files with reports or recorded lines, and only for those nodes."""
    recorded: list[RecordedLine] = context.shared.get(RECORDED_LINES, [])
    if not recorded and not any(rule.reports for rule in rules):
        return []
    ranges = positions.ranges(
        [*(node for rule in rules for node, _, _ in rule.reports), *(line.node for line in recorded)]
    )
    for line in recorded:
        where = ranges.get(id(line.node))
        line.line = where.start.line if where is not None else 0
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
                    source=source_excerpt(shown, start.line, end.line),
                )
            )
    return findings
