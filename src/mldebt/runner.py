"""One run of `mldebt check`: discover, map every file, reduce over the project, suppress."""

from __future__ import annotations

import fnmatch
import hashlib
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mldebt.cache import MISSING, FileStat, ResultCache, content_hash, finding_from_data, finding_to_data
from mldebt.config import Config
from mldebt.dependencies import is_dependency_file, is_lock_file
from mldebt.discovery import SOURCE_SUFFIXES, Ignorer, discover, in_package, relative_posix
from mldebt.findings import Finding, Notice, Severity, assign_fingerprints
from mldebt.listing import Listing
from mldebt.notebooks import is_notebook_path, lines_of_other_notebooks, original_lines
from mldebt.results import FileResult, RuleSet, RuleSetup, rule_set
from mldebt.source import split_lines
from mldebt.suppression import ALL, Suppressions, _codes, _matches, parse_suppressions, selector_matches

if TYPE_CHECKING:
    from mldebt.parallel import FileJob
    from mldebt.project import Project

# The parser, the rules and networkx are imported only when a run needs them: a run answered from
# the cache does without. MLD002 is the engine's own finding.
UNUSED_SUPPRESSION = "MLD002"


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
    built_project: Project | None = None
    project_builder: Callable[[], Project] | None = field(default=None, repr=False)

    @property
    def project(self) -> Project | None:
        """The project graph: built on first use when the project phase came from the cache."""
        if self.built_project is None and self.project_builder is not None:
            self.built_project = self.project_builder()
            self.project_builder = None
        return self.built_project

    @project.setter
    def project(self, value: Project | None) -> None:
        self.built_project = value
        self.project_builder = None


@dataclass
class ProjectPhase:
    """What the project phase adds: project-rule findings, and the reviewed findings of F+P rules,
    which replace those rules' file-phase findings. Computed over every file of the project."""

    replaced: frozenset[str] = frozenset()
    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    project: Project | None = None

    def to_data(self) -> dict[str, Any]:
        return {"replaced": sorted(self.replaced), "findings": [finding_to_data(f) for f in self.findings]}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> ProjectPhase | None:
        try:
            return cls(frozenset(data["replaced"]), [finding_from_data(item) for item in data["findings"]])
        except (KeyError, TypeError, ValueError):
            return None


@dataclass(frozen=True)
class StdinSource:
    """`mldebt check -` : the text of one file, and the path it stands for."""

    text: str
    path: Path


Progress = Callable[[int, int], None]


_is_dependency_file = cache(is_dependency_file)  # names repeat (__init__.py); the patterns are many


@cache  # file names repeat (README.md, __init__.py) and the patterns are many
def _source_or_dependency(name: str) -> bool:
    return name.endswith(SOURCE_SUFFIXES) or is_dependency_file(name) or is_lock_file(name)


def collect_files(
    config: Config, paths: Sequence[Path], force_exclude: bool, listing: Listing | None = None
) -> tuple[list[str], list[str], list[Notice], list[str]]:
    """(every project source file, the files to report on, notices, the project's dependency and lock
    files). Explicit files are checked even when excluded, unless `force_exclude`, as pre-commit
    users expect. With `listing`, the project's walk is reused while nothing it saw has changed."""
    root = config.root
    patterns = config.exclude_patterns
    everything: list[str] = []
    dependency_files: list[str] = []
    if listing is not None:
        found: Iterable[Path] = listing.discover(root, patterns, _source_or_dependency, "source-or-dependency")
    else:
        found = discover(root, patterns, wanted=_source_or_dependency)
    for path in found:
        relative = relative_posix(root, path)
        if path.name.endswith(SOURCE_SUFFIXES):
            everything.append(relative)
        if not path.name.endswith(SOURCE_SUFFIXES) or _is_dependency_file(path.name):
            dependency_files.append(relative)  # setup.py is both a module and a dependency file
    notices: list[Notice] = []
    if not paths:
        documents = [path for path in dependency_files if not path.endswith(SOURCE_SUFFIXES)]
        return everything, everything + documents, notices, dependency_files  # MLD802 reports in dependency files
    ignorers: list[Ignorer] = []  # made on first need: its patterns cost an import and compiling

    def ignorer() -> Ignorer:
        if not ignorers:
            ignorers.append(Ignorer(root, patterns))
        return ignorers[0]

    wanted: list[str] = []
    for path in paths:
        absolute = Path(os.path.abspath(path))
        if not absolute.exists():
            notices.append(Notice("no such file or folder", str(path)))
            continue
        if absolute.is_dir():
            # dependency files too: MLD802. A folder of the project whose every folder from the root
            # down is walked anyway: its files are those the walk found (not a second walk).
            inside = _walked_prefix(root, absolute, ignorer())
            if inside is not None:
                wanted.extend(p for p in [*everything, *dependency_files] if not inside or p.startswith(inside))
                continue
            found = discover(root, patterns, start=absolute, wanted=_source_or_dependency)
            wanted.extend(relative_posix(root, path) for path in found)
            continue
        relative = relative_posix(root, absolute)
        if relative in dependency_files:
            wanted.append(relative)  # pre-commit passes requirements files too: MLD802 reports there
            continue
        if force_exclude and _inside(root, absolute) and ignorer().ignored(absolute, is_dir=False):
            continue
        wanted.append(relative)
    known = set(everything) | set(dependency_files)
    extra = [path for path in wanted if path not in known]
    return everything + extra, list(dict.fromkeys(wanted)), notices, dependency_files


def _walked_prefix(root: Path, folder: Path, ignorer: Ignorer) -> str | None:
    """"" for the root, "sub/dir/" for a folder under it that the project's walk enters (neither it
    nor a folder above it is ignored), None otherwise (a folder outside, or an ignored one)."""
    if folder == root:
        return ""
    if not _inside(root, folder) or folder.is_symlink():
        return None
    parts = folder.relative_to(root).parts
    for depth in range(1, len(parts) + 1):
        step = root.joinpath(*parts[:depth])
        if step.is_symlink() or ignorer.ignored(step, is_dir=True):
            return None
    return "/".join(parts) + "/"


def _inside(root: Path, path: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


def run_check(
    config: Config,
    setups: Sequence[RuleSetup] | RuleSet,
    paths: Sequence[Path] = (),
    stdin: StdinSource | None = None,
    force_exclude: bool = False,
    progress: Progress | None = None,
    jobs: int | None = None,
    use_cache: bool = False,
) -> RunResult:
    """Check the project (reporting on `paths` only, if given) and return the surviving findings.

    `jobs` worker processes analyse files (default: every core); with `use_cache`, files whose
    results are in the cache are not analysed again, and an unchanged project reuses its project
    phase. `setups` may be a lazy RuleSet: the rules are then loaded only if something must run.
    """
    rules = rule_set(setups)
    root = config.root
    result = RunResult(root=root)
    listing = Listing(_cache_directory(config)) if use_cache else None
    if stdin is not None:
        all_files, report_on, notices, dependency_files = collect_files(config, (), force_exclude, listing)
        stdin_path = relative_posix(root, stdin.path)
        report_on = [stdin_path]
        if stdin_path not in all_files:
            all_files.append(stdin_path)
    else:
        all_files, report_on, notices, dependency_files = collect_files(config, paths, force_exclude, listing)
    result.notices.extend(config.notices)
    result.notices.extend(notices)

    results: dict[str, FileResult] = {}
    digests: dict[str, str] = {}  # what the project phase's cache key is made of
    total = len(all_files)
    counter = [0]

    def advance() -> None:
        counter[0] += 1
        if progress is not None:
            progress(counter[0], total)

    store = _open_cache(config, rules, use_cache, result)
    pending: list[tuple[FileJob, FileStat, str]] = []
    packages: dict[str, bool] = {}
    root_text = str(root)
    stdin_as = relative_posix(root, stdin.path) if stdin is not None else None
    for path in sorted(all_files):
        absolute = os.path.join(root_text, path)  # strings: thousands of Path objects cost more than the stats
        folder = path.rpartition("/")[0]
        if folder not in packages:  # one look per folder, not per file
            packages[folder] = in_package(Path(absolute)) if not path.startswith("/") else False
        package = packages[folder]
        if stdin is not None and path == stdin_as:
            from mldebt.parallel import FileJob, analyse_all

            job = FileJob(path, stdin.text, package)  # in a worker too: nothing may take the run down
            [results[path]] = analyse_all([job], _file_setups(rules), 1, advance, config.file_timeout)
            digests[path] = content_hash(stdin.text.encode("utf-8", "surrogatepass"))
            continue
        loaded = _load_file(absolute, path, package, config.max_file_size, store)
        if isinstance(loaded, FileResult):
            results[path] = loaded
            digests[path] = store.digest(path) if store is not None and path in store.fresh else "-"
            advance()
        else:
            pending.append(loaded)
    _analyse_pending(pending, rules, jobs, advance, store, results, digests, config.file_timeout)

    documents = _read_documents(root, dependency_files)
    phase: ProjectPhase | None = None
    key = ""
    if store is not None:
        key = project_key(rules.key, root, results, digests, documents)
        stored = store.project_phase(key)
        phase = ProjectPhase.from_data(stored) if stored is not None else None
    if phase is None:
        _complete_facts(config, results, digests, store, rules, jobs)
        phase = project_phase(config, results, rules.setups, None, documents)
        result.project = phase.project
        if store is not None and not phase.errors:
            store.store_project_phase(project_key(rules.key, root, results, digests, documents), phase.to_data())
    else:
        def build() -> Project:
            from mldebt.project import build_project

            _complete_facts(config, results, digests, store, rules, jobs)
            return build_project(root, [r.facts for r in results.values() if r.facts is not None], documents)

        result.project_builder = build
    if store is not None:
        problem = store.save()
        if problem is not None:
            result.notices.append(Notice(problem, relative_posix(root, store.directory)))
        elif listing is not None:
            listing.save()  # after the pack: the folder exists, with its .gitignore

    finish(config, results, phase, rules.enabled, set(report_on), result, documents=documents)
    result.files = len([path for path in report_on if path in results])
    result.lines = sum(results[path].line_count for path in report_on if path in results)
    return result


def _file_setups(rules: RuleSet) -> list[RuleSetup]:
    from mldebt.rule import Rule

    return [setup for setup in rules.setups if issubclass(setup.rule, Rule)]


def _analyse_pending(
    pending: Sequence[tuple[FileJob, FileStat, str]],
    rules: RuleSet,
    jobs: int | None,
    advance: Callable[[], None],
    store: ResultCache | None,
    results: dict[str, FileResult],
    digests: dict[str, str],
    timeout: float | None,
) -> None:
    if not pending:
        return
    from mldebt.parallel import analyse_all, default_jobs

    jobs_by_path = {job.path: (job, stat, digest) for job, stat, digest in pending}
    for analysed in analyse_all([job for job, _, _ in pending], _file_setups(rules), jobs or default_jobs(), advance, timeout):
        results[analysed.path] = analysed
        job, stat, digest = jobs_by_path[analysed.path]
        digests[analysed.path] = digest
        if store is not None:
            store.store(analysed.path, stat, digest, job.in_package, analysed)


def _complete_facts(
    config: Config,
    results: dict[str, FileResult],
    digests: dict[str, str],
    store: ResultCache | None,
    rules: RuleSet,
    jobs: int | None,
) -> None:
    """Give every cached result its facts back, from the facts pack; a file whose facts are not
    there is analysed again."""
    if store is None:
        return
    again: list[tuple[FileJob, FileStat, str]] = []
    for path, cached in list(results.items()):
        if not cached.facts_pending:
            continue
        facts = store.facts(path)
        if facts is not MISSING:
            results[path] = replace(cached, facts=facts, facts_pending=False)
            continue
        loaded = _load_file(config.root / path, path, store.fresh[path]["package"], config.max_file_size, None)
        if isinstance(loaded, FileResult):
            results[path] = loaded
            digests[path] = "-"
        else:
            again.append(loaded)
    _analyse_pending(again, rules, jobs, lambda: None, store, results, digests, config.file_timeout)


def project_key(
    run_key: str, root: Path, results: Mapping[str, FileResult], digests: Mapping[str, str], documents: Mapping[str, str]
) -> str:
    """What the project phase depends on: the run configuration, and every file and document."""
    digest = hashlib.sha256(f"{run_key}\x1f{root}".encode("utf-8", "surrogateescape"))
    for path in sorted(results):
        digest.update(f"\x1e{path}\x1f{digests.get(path, '-')}".encode("utf-8", "surrogateescape"))
    for path in sorted(documents):
        digest.update(f"\x1d{path}\x1f{content_hash(documents[path].encode('utf-8', 'surrogateescape'))}".encode(
            "utf-8", "surrogateescape"))
    return digest.hexdigest()[:32]


def project_phase(
    config: Config,
    results: Mapping[str, FileResult],
    setups: Sequence[RuleSetup],
    sources: Mapping[str, str] | None = None,
    documents: Mapping[str, str] | None = None,
) -> ProjectPhase:
    """Build the project from every file's facts (and its dependency files' text) and run the
    project phase over all of it: project rules, and the review of F+P rules' file findings."""
    from mldebt.project import build_project
    from mldebt.rule import ProjectRule, Rule

    project = build_project(config.root, [r.facts for r in results.values() if r.facts is not None], documents or {})
    file_findings = [finding for path in sorted(results) for finding in results[path].findings]
    phase = ProjectPhase(project=project)
    replaced: set[str] = set()
    for setup in setups:
        rule = setup.rule
        try:
            if issubclass(rule, ProjectRule):
                produced = list(rule(setup.options).check(project))
            elif issubclass(rule, Rule) and rule.has_project_phase():
                replaced.add(rule.CODE)
                proposed = [f for f in file_findings if f.code == rule.CODE]
                produced = list(rule.review(proposed, project, setup.options))
            else:
                continue
        except Exception as error:  # a bug in a rule: report it, keep the rest
            phase.errors.append(f"rule {rule.CODE} ({rule.NAME}) failed: {type(error).__name__}: {error}")
            continue
        produced = _with_sources(config.root, produced, sources)
        phase.findings.extend(_configured_severity(finding, rule.SEVERITY, setup.severity) for finding in produced)
    phase.replaced = frozenset(replaced)
    return phase


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
    phase = project_phase(config, results, setups, sources, documents)
    result.project = phase.project
    finish(config, results, phase, rule_set(setups).enabled, report_set, result, sources, documents)


def finish(
    config: Config,
    results: Mapping[str, FileResult],
    phase: ProjectPhase,
    enabled: Mapping[str, str],
    report_set: set[str],
    result: RunResult,
    sources: Mapping[str, str] | None = None,
    documents: Mapping[str, str] | None = None,
) -> None:
    """Everything after the project phase, which needs no rule, only which ones are enabled
    (`{code: name}`): keep the findings of `report_set`, MLD002, fingerprints, suppressions, order."""
    findings: list[Finding] = []
    for path, file_result in results.items():
        result.errors.extend(file_result.errors)
        if path in report_set:
            result.notices.extend(file_result.notices)
            findings.extend(f for f in file_result.findings if f.code not in phase.replaced)
    result.errors.extend(phase.errors)
    findings.extend(f for f in phase.findings if f.path in report_set)

    findings = [finding for finding in findings if finding.code in enabled]
    if UNUSED_SUPPRESSION in enabled:
        findings += unused_suppressions(results, findings, enabled, report_set, sources, config.root)
    # The engine's own findings (MLD0xx) are made where no rule setup is at hand: configure them here.
    engine: dict[str, Severity] = {}
    for code, name in enabled.items():
        configured = config.severity.get(code, config.severity.get(name))
        if code.startswith("MLD0") and configured is not None:
            engine[code] = configured
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
    enabled_rules: Mapping[str, str],
    report_set: set[str],
    sources: Mapping[str, str] | None,
    root: Path,
) -> list[Finding]:
    """MLD002: noqa comments naming our rules that cover no finding. Bare `# noqa` may serve
    another linter, so it is never reported. `enabled_rules` is {code: name}."""
    enabled = {name for code, rule_name in enabled_rules.items() for name in (code, rule_name)}
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
            from mldebt.builtin import UnusedSuppression

            produced.append(
                UnusedSuppression.finding(path, comment.line, comment.column, f"{keyword}: {', '.join(unused)}", note, "")
            )
    return _with_sources(root, produced, sources)


def check_sources(
    files: dict[str, str], setups: Sequence[RuleSetup], config: Config | None = None
) -> RunResult:
    """Check an in-memory project ({path: source}): the whole pipeline with no filesystem.
    Rule examples and project-rule tests run through this."""
    from mldebt.analysis import analyse_source
    from mldebt.rule import Rule

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


def _cache_directory(config: Config) -> Path:
    directory = Path(config.cache_dir)
    return directory if directory.is_absolute() else config.root / directory


def _open_cache(config: Config, rules: RuleSet, use_cache: bool, result: RunResult) -> ResultCache | None:
    if not use_cache:
        return None
    store = ResultCache(_cache_directory(config), rules.key)
    store.load()
    return store


def _load_file(
    absolute: Path | str, path: str, package: bool, limit: int, store: ResultCache | None
) -> FileResult | tuple[FileJob, FileStat, str]:
    """The file's cached result, a notice for a file that cannot be read or is too big, or the job to analyse it."""
    try:
        status = os.stat(absolute)
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
        data = Path(absolute).read_bytes()
    except OSError as error:
        return _unreadable(absolute, path, error)
    from mldebt.parallel import FileJob

    digest = content_hash(data)
    if store is not None:
        hit = store.by_hash(path, digest, stat, package)
        if hit is not None:
            return hit
    return FileJob(path, data, package), stat, digest


def _unreadable(absolute: Path | str, path: str, error: OSError) -> FileResult:
    """A notice for a file that is gone, unreadable, a broken symbolic link or a loop of them."""
    reason = error.strerror or str(error)
    if Path(absolute).is_symlink():
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
        from mldebt.analysis import source_excerpt

        result.append(replace(finding, source=source_excerpt(lines_by_path[finding.path], finding.line, finding.end_line)))
    return result
