"""One run of `mldebt check`: discover, map every file, reduce over the project, suppress."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from mldebt.analysis import FileResult, RuleSetup, analyse_source, is_notebook_path, source_excerpt
from mldebt.cache import FileStat, ResultCache, content_hash, run_key
from mldebt.config import Config
from mldebt.dependencies import is_dependency_file, is_lock_file
from mldebt.discovery import SOURCE_SUFFIXES, Ignorer, discover, in_package, relative_posix
from mldebt.findings import Finding, Notice, Severity, assign_fingerprints
from mldebt.notebooks import lines_of_other_notebooks, original_lines
from mldebt.parallel import FileJob, analyse_all, default_jobs
from mldebt.project import Project, build_project
from mldebt.rule import ProjectRule, Rule
from mldebt.source import split_lines
from mldebt.builtin import UnusedSuppression
from mldebt.suppression import ALL, Suppressions, _codes, _matches, parse_suppressions, selector_matches


# A notebook's size is mostly its saved outputs (plots as base64 images), not its code: it may be
# this many times `max-file-size`.
NOTEBOOK_SIZE_FACTOR = 10


@dataclass
class RunResult:
    """Everything a reporter needs."""

    root: Path
    findings: list[Finding] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    files: int = 0
    lines: int = 0
    suppressed: int = 0
    project: Project | None = None


@dataclass(frozen=True)
class StdinSource:
    """`mldebt check -` : the text of one file, and the path it stands for."""

    text: str
    path: Path


Progress = Callable[[int, int], None]


def _source_or_dependency(name: str) -> bool:
    return name.endswith(SOURCE_SUFFIXES) or is_dependency_file(name) or is_lock_file(name)


def collect_files(
    config: Config, paths: Sequence[Path], force_exclude: bool
) -> tuple[list[str], list[str], list[Notice], list[str]]:
    """(every project source file, the files to report on, notices, the project's dependency and lock
    files). Explicit files are checked even when excluded, unless `force_exclude`, as pre-commit
    users expect."""
    root = config.root
    patterns = config.exclude_patterns
    everything: list[str] = []
    dependency_files: list[str] = []
    for path in discover(root, patterns, wanted=_source_or_dependency):
        relative = relative_posix(root, path)
        if path.name.endswith(SOURCE_SUFFIXES):
            everything.append(relative)
        if not path.name.endswith(SOURCE_SUFFIXES) or is_dependency_file(path.name):
            dependency_files.append(relative)  # setup.py is both a module and a dependency file
    notices: list[Notice] = []
    if not paths:
        documents = [path for path in dependency_files if not path.endswith(SOURCE_SUFFIXES)]
        return everything, everything + documents, notices, dependency_files  # MLD802 reports in dependency files
    ignorer = Ignorer(root, patterns)
    wanted: list[str] = []
    for path in paths:
        absolute = Path(os.path.abspath(path))
        if not absolute.exists():
            notices.append(Notice("no such file or folder", str(path)))
            continue
        if absolute.is_dir():
            found = discover(root, patterns, start=absolute, wanted=_source_or_dependency)
            wanted.extend(relative_posix(root, path) for path in found)  # dependency files too: MLD802
            continue
        relative = relative_posix(root, absolute)
        if relative in dependency_files:
            wanted.append(relative)  # pre-commit passes requirements files too: MLD802 reports there
            continue
        if force_exclude and _inside(root, absolute) and ignorer.ignored(absolute, is_dir=False):
            continue
        wanted.append(relative)
    known = set(everything) | set(dependency_files)
    extra = [path for path in wanted if path not in known]
    return everything + extra, list(dict.fromkeys(wanted)), notices, dependency_files


def _inside(root: Path, path: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


def run_check(
    config: Config,
    setups: Sequence[RuleSetup],
    paths: Sequence[Path] = (),
    stdin: StdinSource | None = None,
    force_exclude: bool = False,
    progress: Progress | None = None,
    jobs: int | None = None,
    use_cache: bool = False,
) -> RunResult:
    """Check the project (reporting on `paths` only, if given) and return the surviving findings.

    `jobs` worker processes analyse files (default: every core); with `use_cache`, files whose
    results are in the cache are not analysed again.
    """
    root = config.root
    result = RunResult(root=root)
    if stdin is not None:
        all_files, report_on, notices, dependency_files = collect_files(config, (), force_exclude)
        stdin_path = relative_posix(root, stdin.path)
        report_on = [stdin_path]
        if stdin_path not in all_files:
            all_files.append(stdin_path)
    else:
        all_files, report_on, notices, dependency_files = collect_files(config, paths, force_exclude)
    result.notices.extend(config.notices)
    result.notices.extend(notices)

    file_setups = [setup for setup in setups if issubclass(setup.rule, Rule)]
    results: dict[str, FileResult] = {}
    total = len(all_files)
    counter = [0]

    def advance() -> None:
        counter[0] += 1
        if progress is not None:
            progress(counter[0], total)

    store = _open_cache(config, file_setups, use_cache, result)
    pending: list[tuple[FileJob, FileStat, str]] = []
    for path in sorted(all_files):
        absolute = root / path
        package = in_package(absolute) if not path.startswith("/") else False
        if stdin is not None and path == relative_posix(root, stdin.path):
            [results[path]] = analyse_all([FileJob(path, stdin.text, package)], file_setups, 1, advance, config.file_timeout)
            continue
        loaded = _load_file(absolute, path, package, config.max_file_size, store)
        if isinstance(loaded, FileResult):
            results[path] = loaded
            advance()
        else:
            pending.append(loaded)

    jobs_by_path = {job.path: (job, stat, digest) for job, stat, digest in pending}
    processes = jobs or default_jobs()
    for analysed in analyse_all([job for job, _, _ in pending], file_setups, processes, advance, config.file_timeout):
        results[analysed.path] = analysed
        if store is not None:
            job, stat, digest = jobs_by_path[analysed.path]
            store.store(analysed.path, stat, digest, job.in_package, analysed)
    if store is not None:
        problem = store.save()
        if problem is not None:
            result.notices.append(Notice(problem, relative_posix(root, store.directory)))

    documents = _read_documents(root, dependency_files)
    reduce_results(config, results, setups, set(report_on), result, documents=documents)
    result.files = len([path for path in report_on if path in results])
    result.lines = sum(facts.lines for path in report_on if path in results and (facts := results[path].facts) is not None)
    return result


def reduce_results(
    config: Config,
    results: dict[str, FileResult],
    setups: Sequence[RuleSetup],
    report_set: set[str],
    result: RunResult,
    sources: Mapping[str, str] | None = None,
    documents: Mapping[str, str] | None = None,
) -> None:
    """Build the project from every file's facts (and its dependency files' text), run the project
    phase, then fingerprint and suppress. Findings are kept for the files in `report_set` only."""
    project = build_project(config.root, [r.facts for r in results.values() if r.facts is not None], documents or {})
    result.project = project
    findings: list[Finding] = []
    for path, file_result in results.items():
        result.errors.extend(file_result.errors)
        if path in report_set:
            result.notices.extend(file_result.notices)
            findings.extend(file_result.findings)

    for setup in setups:
        rule = setup.rule
        try:
            if issubclass(rule, ProjectRule):
                produced = list(rule(setup.options).check(project))
            elif issubclass(rule, Rule) and rule.has_project_phase():
                proposed = [f for f in findings if f.code == rule.CODE]
                findings = [f for f in findings if f.code != rule.CODE]
                produced = list(rule.review(proposed, project, setup.options))
            else:
                continue
        except Exception as error:  # a bug in a rule: report it, keep the rest
            result.errors.append(f"rule {rule.CODE} ({rule.NAME}) failed: {type(error).__name__}: {error}")
            continue
        produced = _with_sources(config.root, [f for f in produced if f.path in report_set], sources)
        findings.extend(_configured_severity(finding, rule.SEVERITY, setup.severity) for finding in produced)

    enabled = {setup.rule.CODE for setup in setups}
    findings = [finding for finding in findings if finding.code in enabled]
    if UnusedSuppression.CODE in enabled:
        findings += unused_suppressions(results, findings, setups, report_set, sources, config.root)
    # The engine's own findings (MLD0xx) are made where no rule setup is at hand: configure them here.
    engine = {setup.rule.CODE: setup.severity for setup in setups if not issubclass(setup.rule, (Rule, ProjectRule))}
    findings = [replace(f, severity=engine[f.code]) if f.code in engine else f for f in findings]
    findings = assign_fingerprints(findings)  # on the source text: a notebook's cells may move
    kept: list[Finding] = []
    # `# noqa` in a dependency file (MLD802 reports there): every format it takes has `#` comments.
    in_documents = {path: parse_suppressions(split_lines(text)) for path, text in (documents or {}).items()}
    for finding in findings:
        result_of = results.get(finding.path)
        if result_of is not None:
            suppressions = result_of.suppressions
        else:
            suppressions = in_documents.get(finding.path, Suppressions())
        if suppressions.suppresses(finding) or _per_file_ignored(config, finding):
            result.suppressed += 1
            continue
        kept.append(finding)
    result.findings = sorted(_in_cells(kept, results), key=lambda f: f.sort_key)


def _in_cells(findings: list[Finding], results: Mapping[str, FileResult]) -> list[Finding]:
    """Notebook findings located in their cells. Until here they carry the joined code's
    lines, which the facts, project rules and noqa comments speak of."""
    maps = {path: result.notebook for path, result in results.items() if result.notebook is not None}
    if not maps:
        return findings
    mapped = []
    for finding in findings:
        cells = maps.get(finding.path)
        if cells is not None and finding.cell is None:
            message = lines_of_other_notebooks(cells.lines_in_message(finding.message), maps)
            finding = replace(cells.map_finding(finding), message=message)
        elif ".ipynb:" in finding.message:
            finding = replace(finding, message=lines_of_other_notebooks(finding.message, maps))
        mapped.append(finding)
    return mapped


def _configured_severity(finding: Finding, declared: Severity, configured: Severity) -> Finding:
    """The configured severity replaces the rule's declared one. A finding the rule itself made
    milder than its declared severity (MLD602: the same value twice is info, different values a
    warning) stays milder, never above the configured severity."""
    if finding.severity != declared and finding.severity.rank < configured.rank:
        return finding
    return replace(finding, severity=configured)


def unused_suppressions(
    results: Mapping[str, FileResult],
    findings: Sequence[Finding],
    setups: Sequence[RuleSetup],
    report_set: set[str],
    sources: Mapping[str, str] | None,
    root: Path,
) -> list[Finding]:
    """MLD002: noqa comments naming our rules that cover no finding. Bare `# noqa` may serve
    another linter, so it is never reported."""
    enabled = {name for setup in setups for name in (setup.rule.CODE, setup.rule.NAME)}
    by_path: dict[str, list[Finding]] = {}
    for finding in findings:
        by_path.setdefault(finding.path, []).append(finding)
    produced: list[Finding] = []
    for path in sorted(report_set):
        result = results.get(path)
        if result is None:
            continue
        for comment in result.suppressions.comments:
            unused = sorted(
                selector
                for selector in comment.selectors
                if selector != ALL
                and not any(
                    Suppressions.covers(comment, finding) and selector_matches(selector, finding)
                    for finding in by_path.get(path, ())
                )
            )
            if not unused:
                continue
            off = [s for s in unused if s not in enabled and not any(code.startswith(s) for code in enabled)]
            note = f" ({', '.join(off)} not enabled in this run)" if off else ""
            keyword = "# mldebt: noqa" if comment.whole_file else "# noqa"
            produced.append(
                UnusedSuppression.finding(path, comment.line, comment.column, f"{keyword}: {', '.join(unused)}", note, "")
            )
    return _with_sources(root, produced, sources)


def check_sources(
    files: dict[str, str], setups: Sequence[RuleSetup], config: Config | None = None
) -> RunResult:
    """Check an in-memory project ({path: source}): the whole pipeline with no filesystem.
    Rule examples and project-rule tests run through this."""
    config = config or Config(root=Path("."))
    file_setups = [setup for setup in setups if issubclass(setup.rule, Rule)]
    packages = {path.rsplit("/", 1)[0] for path in files if path.endswith("__init__.py") and "/" in path}
    sources = {path: text for path, text in files.items() if path.endswith(SOURCE_SUFFIXES)}
    documents = {
        path: text for path, text in files.items() if path not in sources or is_dependency_file(path.rsplit("/", 1)[-1])
    }
    results = {
        path: analyse_source(text, path, file_setups, path.rsplit("/", 1)[0] in packages if "/" in path else False)
        for path, text in sources.items()
    }
    result = RunResult(root=config.root, files=len(sources))
    reduce_results(config, results, setups, set(files), result, files, documents)
    return result


def _open_cache(config: Config, setups: Sequence[RuleSetup], use_cache: bool, result: RunResult) -> ResultCache | None:
    if not use_cache:
        return None
    directory = Path(config.cache_dir)
    store = ResultCache(directory if directory.is_absolute() else config.root / directory, run_key(setups))
    store.load()
    return store


def _load_file(
    absolute: Path, path: str, package: bool, limit: int, store: ResultCache | None
) -> FileResult | tuple[FileJob, FileStat, str]:
    """The file's cached result, a notice for a file that cannot be read or is too big, or the job to analyse it."""
    try:
        status = absolute.stat()
    except OSError as error:
        return _unreadable(absolute, path, error)
    if is_notebook_path(path):
        limit *= NOTEBOOK_SIZE_FACTOR
    if status.st_size > limit:
        message = f"skipped: {status.st_size:,} bytes is over the size limit of {limit:,} bytes (max-file-size)"
        return FileResult(path, notices=(Notice(message, path),))
    stat = FileStat(status.st_size, status.st_mtime_ns)
    if store is not None:
        hit = store.by_stat(path, stat, package)
        if hit is not None:
            return hit
    try:
        data = absolute.read_bytes()
    except OSError as error:
        return _unreadable(absolute, path, error)
    digest = content_hash(data)
    if store is not None:
        hit = store.by_hash(path, digest, stat, package)
        if hit is not None:
            return hit
    return FileJob(path, data, package), stat, digest


def _unreadable(absolute: Path, path: str, error: OSError) -> FileResult:
    """A notice for a file that is gone, unreadable, a broken symbolic link or a loop of them."""
    reason = error.strerror or str(error)
    if absolute.is_symlink():
        reason = f"a symbolic link that leads nowhere: {reason}"
    return FileResult(path, notices=(Notice(f"cannot be read ({reason}); skipped", path),), cacheable=False)


def _read_documents(root: Path, paths: Sequence[str]) -> dict[str, str]:
    """The text of the project's dependency and lock files (unreadable ones are left out)."""
    documents = {}
    for path in paths:
        try:
            documents[path] = (root / path).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
    return documents


def _per_file_ignored(config: Config, finding: Finding) -> bool:
    for pattern, selectors in config.per_file_ignores.items():
        if fnmatch.fnmatch(finding.path, pattern) or fnmatch.fnmatch(finding.path, pattern.rstrip("/") + "/*"):
            if _matches(_codes(",".join(selectors)), finding):
                return True
    return False


def _with_sources(root: Path, findings: list[Finding], sources: Mapping[str, str] | None) -> list[Finding]:
    """Project-phase findings carry no source text yet: take it from the file, for the fingerprint."""
    lines_by_path = {path: split_lines(text) for path, text in (sources or {}).items()}
    notebooks: set[str] = set()
    result = []
    for finding in findings:
        if finding.source:
            result.append(finding)
            continue
        if finding.path not in lines_by_path:
            try:
                lines_by_path[finding.path] = split_lines((root / finding.path).read_text(encoding="utf-8", errors="replace"))
            except OSError:
                lines_by_path[finding.path] = []
        if is_notebook_path(finding.path) and finding.path not in notebooks:
            notebooks.add(finding.path)  # the code cells' lines, as the analysis joined them
            lines_by_path[finding.path] = list(original_lines("\n".join(lines_by_path[finding.path])))
        result.append(replace(finding, source=source_excerpt(lines_by_path[finding.path], finding.line, finding.end_line)))
    return result
