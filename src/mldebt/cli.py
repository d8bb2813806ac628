"""The command line: `mldebt check`, `mldebt graph`, `mldebt audit`, `mldebt rules`, `mldebt explain`."""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from mldebt import baseline as baselines
from mldebt.config import Config, ConfigError, load_config, parse_timeout
from mldebt.findings import Severity
from mldebt.reporters.base import ReportContext
from mldebt.results import RuleSet, RuleSetup
from mldebt.runner import RunResult, StdinSource, run_check

if TYPE_CHECKING:  # the registry imports every rule (and libcst): only when a run needs them
    from mldebt.registry import Registry
    from mldebt.warm import IndexEntry, RunIndex, Selection

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
PROGRESS_THRESHOLD = 100  # files; below this a bar only flickers
# As mldebt.reporters.format_names() and mldebt.graph_export: named here so that `--help` and a
# run answered from the cache import neither the reporters nor networkx.
FORMATS = ("text", "json", "sarif", "github", "gitlab", "junit")
GRAPH_FORMATS = ("dot", "json", "mermaid")
GRAPH_SHOWS = ("all", "data", "imports")


def _split(values: Sequence[str]) -> list[str]:
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


def _fail(message: str, code: int = EXIT_USAGE) -> None:
    click.echo(f"mldebt: error: {message}", err=True)
    sys.exit(code)


def _allow_local(flag: bool) -> bool:
    return flag or os.environ.get("MLDEBT_ALLOW_LOCAL_RULES", "") not in ("", "0", "false", "no")


def _load(start: Path, config_file: Path | None, allow_local_rules: bool) -> tuple[Config, Registry]:
    config = _load_config(start, config_file)
    return config, _load_registry(config, _allow_local(allow_local_rules))


def _load_config(start: Path, config_file: Path | None) -> Config:
    try:
        return load_config(start, config_file)
    except ConfigError as error:
        _fail(str(error))
        raise


def _load_registry(config: Config, allow_local: bool) -> Registry:
    from mldebt.registry import RuleLoadError, load_registry

    try:
        return load_registry(config, allow_local)
    except ConfigError as error:
        _fail(str(error))
        raise
    except RuleLoadError as error:
        _fail(f"cannot load rules: {error}", EXIT_INTERNAL)
        raise


def _setups(registry: Registry, config: Config, selection: Selection) -> list[RuleSetup]:
    from mldebt.registry import enabled_codes, rule_setups

    try:
        codes = enabled_codes(
            registry,
            config,
            select=list(selection.select) if selection.select is not None else None,
            extend_select=list(selection.extend_select),
            ignore=list(selection.ignore),
        )
        return rule_setups(registry, config, codes)
    except ConfigError as error:
        _fail(str(error))
        raise


def _internal_error() -> None:
    import traceback  # only on the way out

    click.echo("mldebt: internal error:\n" + traceback.format_exc(), err=True)


def _show_version(context: click.Context, _: click.Parameter, value: bool) -> None:
    if not value or context.resilient_parsing:
        return
    from mldebt import __version__

    click.echo(f"mldebt, version {__version__}")
    context.exit()


class _RegistryRules(Mapping[str, type]):
    """Every known rule by code, for reporters that describe them (SARIF), loaded on first use."""

    def __init__(self, config: Config, allow_local: bool) -> None:
        self.config = config
        self.allow_local = allow_local
        self._rules: dict[str, type] | None = None

    def _load(self) -> dict[str, type]:
        if self._rules is None:
            self._rules = dict(_load_registry(self.config, self.allow_local).by_code)
        return self._rules

    def __getitem__(self, code: str) -> type:
        return self._load()[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", "-V", is_flag=True, expose_value=False, is_eager=True, callback=_show_version,
              help="Show the version and exit.")
def main() -> None:
    """Find the hidden technical debt of machine-learning code (Sculley et al., NeurIPS 2015)."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--select", multiple=True, help="Rules to run: codes, code prefixes (MLD5) or names. Replaces the default set.")
@click.option("--extend-select", multiple=True, help="Rules to run in addition to the selected ones.")
@click.option("--ignore", multiple=True, help="Rules not to run: codes, prefixes or names.")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), help="Write the report to FILE.")
@click.option("--fail-on", type=click.Choice([s.value for s in Severity]), help="Lowest severity that fails the run [default: warning].")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings fail the run.")
@click.option("--baseline", type=click.Path(path_type=Path, dir_okay=False), help="Report only findings not in this baseline file.")
@click.option("--write-baseline", type=click.Path(path_type=Path, dir_okay=False), help="Record the current findings as the baseline FILE.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the cache.")
@click.option("--cache-dir", type=click.Path(path_type=Path, file_okay=False), help="Keep the cache here [default: `cache-dir` of the config, .mldebt_cache].")
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Worker processes [default: all cores].")
@click.option("--statistics", is_flag=True, help="Count findings by rule.")
@click.option("--file-timeout", type=float, metavar="SECONDS", help="Skip a file whose analysis takes longer [default: `file-timeout` of the config, 10].")
@click.option("--config", "config_file", type=click.Path(path_type=Path, dir_okay=False), help="Use this config file.")
@click.option("--quiet", "-q", is_flag=True, help="Print the findings and nothing else.")
@click.option("--stdin-filename", type=click.Path(path_type=Path), help="With `-`: the path the text on stdin stands for.")
@click.option("--force-exclude", is_flag=True, help="Apply `exclude` to paths given on the command line too.")
@click.option("--allow-local-rules", is_flag=True, help="Load the project's own `rule-paths` (runs its code).")
@click.option("--no-source", is_flag=True, help="Do not print the source line under each finding.")
def check(
    paths: tuple[Path, ...],
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    output_format: str,
    output: Path | None,
    fail_on: str | None,
    exit_zero: bool,
    baseline: Path | None,
    write_baseline: Path | None,
    no_cache: bool,
    cache_dir: Path | None,
    jobs: int | None,
    statistics: bool,
    file_timeout: float | None,
    config_file: Path | None,
    quiet: bool,
    stdin_filename: Path | None,
    force_exclude: bool,
    allow_local_rules: bool,
    no_source: bool,
) -> None:
    """Check PATHS (default: the whole project) for ML technical debt.

    Exit codes: 0 nothing at or above --fail-on, 1 findings, 2 usage or
    configuration error, 3 internal error.
    """
    stdin: StdinSource | None = None
    if Path("-") in paths:
        if len(paths) > 1:
            _fail("`-` (stdin) cannot be combined with other paths")
        name = stdin_filename or Path("stdin.py")
        stdin = StdinSource(sys.stdin.read(), Path(os.path.abspath(name)))
        paths = ()
        start = stdin.path if stdin_filename else Path.cwd()
    else:
        start = paths[0] if paths else Path.cwd()
    from mldebt.warm import RunIndex, Selection, StaleIndex

    config = _load_config(start, config_file)
    if cache_dir is not None:
        config.cache_dir = os.path.abspath(cache_dir)
    allow_local = _allow_local(allow_local_rules)
    selection = Selection(
        tuple(_split(select)) if select else None, tuple(_split(extend_select)), tuple(_split(ignore)), allow_local
    )
    try:
        baseline_prints = baselines.read_baseline(baseline) if baseline else None
    except ConfigError as error:
        _fail(str(error))
        raise
    threshold = Severity.parse(fail_on) if fail_on else config.fail_on
    if file_timeout is not None:
        try:
            config.file_timeout = parse_timeout(file_timeout, "--file-timeout")
        except ConfigError as error:
            _fail(str(error))
    use_cache = not no_cache

    # A warm run: the index says what the rules would decide, so they are loaded only if a file or
    # the project phase must run again (and then checked against the index).
    index = RunIndex(config, selection) if use_cache and stdin is None else None
    entry = index.lookup() if index is not None else None
    loaded: dict[str, Registry] = {}
    result: RunResult | None = None
    if entry is not None:
        rules = RuleSet(key=entry.run_key, enabled=entry.enabled,
                        loader=lambda: _verified_setups(config, selection, entry, loaded))
        try:
            result = _run_with_progress(config, rules, paths, stdin, force_exclude, quiet, jobs, use_cache)
        except StaleIndex:
            result = None
        except Exception:  # a bug in the engine itself
            _internal_error()
            sys.exit(EXIT_INTERNAL)
    if result is None:
        registry = loaded.get("registry") or _load_registry(config, allow_local)
        setups = _setups(registry, config, selection)
        try:
            result = _run_with_progress(config, setups, paths, stdin, force_exclude, quiet, jobs, use_cache)
        except Exception:  # a bug in the engine itself
            _internal_error()
            sys.exit(EXIT_INTERNAL)
        if index is not None:
            _record(index, registry, setups)
        notices = list(registry.notices)
        known_rules: Mapping[str, type] = dict(registry.by_code)
        version = None
    else:
        assert entry is not None
        notices = list(entry.notices)
        registry_loaded = loaded.get("registry")
        known_rules = dict(registry_loaded.by_code) if registry_loaded else _RegistryRules(config, allow_local)
        version = entry.version
    result.notices = notices + result.notices

    if write_baseline is not None:
        try:
            baselines.write_baseline(write_baseline, result.findings)
        except ConfigError as error:
            _fail(str(error))
    if baseline_prints is not None:
        before = len(result.findings)
        result.findings = [f for f in result.findings if f.fingerprint not in baseline_prints]
        result.suppressed += before - len(result.findings)

    context = ReportContext(
        findings=result.findings,
        notices=result.notices,
        errors=result.errors,
        rules=known_rules,
        files=result.files,
        lines=result.lines,
        suppressed=result.suppressed,
        show_source=not no_source,
        statistics=statistics,
    )
    if version is not None:  # a warm run reports the version that made its cached results
        context = dataclasses.replace(context, version=version)
    _emit(output_format, context, output, quiet)
    sys.exit(_exit_code(result, threshold, exit_zero))


def _verified_setups(config: Config, selection: Selection, entry: IndexEntry, loaded: dict[str, Registry]) -> list[RuleSetup]:
    """The rules of a warm run that needs them after all; the index must agree with them."""
    from mldebt.cache import run_key
    from mldebt.warm import StaleIndex

    registry = _load_registry(config, selection.allow_local_rules)
    loaded["registry"] = registry
    setups = _setups(registry, config, selection)
    enabled = {setup.rule.CODE: setup.rule.NAME for setup in setups}
    notices = [(notice.message, notice.path) for notice in registry.notices]
    if (run_key(setups), enabled, notices) != (entry.run_key, entry.enabled, [(n.message, n.path) for n in entry.notices]):
        raise StaleIndex()
    return setups


def _record(index: RunIndex, registry: Registry, setups: list[RuleSetup]) -> None:
    from mldebt import __version__
    from mldebt.cache import run_key
    from mldebt.warm import rule_files

    enabled = {setup.rule.CODE: setup.rule.NAME for setup in setups}
    index.record(run_key(setups), __version__, enabled, registry.notices, rule_files(registry.rules))


def _run_with_progress(
    config: Config,
    setups: list[Any] | RuleSet,
    paths: tuple[Path, ...],
    stdin: StdinSource | None,
    force_exclude: bool,
    quiet: bool,
    jobs: int | None,
    use_cache: bool,
) -> RunResult:
    if quiet or not sys.stderr.isatty():
        return run_check(config, setups, paths, stdin, force_exclude, jobs=jobs, use_cache=use_cache)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    state: dict[str, Any] = {}

    def advance(done: int, total: int) -> None:
        if total < PROGRESS_THRESHOLD:
            return
        if "bar" not in state:
            bar = Progress(
                TextColumn("checking"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                console=Console(stderr=True), transient=True,
            )
            bar.start()
            state["bar"] = bar
            state["task"] = bar.add_task("check", total=total)
        state["bar"].update(state["task"], completed=done)

    try:
        return run_check(config, setups, paths, stdin, force_exclude, progress=advance, jobs=jobs, use_cache=use_cache)
    finally:
        if "bar" in state:
            state["bar"].stop()


def _emit(output_format: str, context: ReportContext, output: Path | None, quiet: bool) -> None:
    if output_format == "text":
        context.color = output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    context.quiet = quiet
    from mldebt.reporters import renderer_for

    rendered = renderer_for(output_format)(context)
    # File names with undecodable bytes arrive as surrogates: show them, don't crash on them.
    rendered = rendered.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    if output is not None:
        try:
            output.write_text(rendered, encoding="utf-8")
        except OSError as error:
            _fail(f"cannot write {output}: {error.strerror or error}")
    else:
        click.echo(rendered, nl=False)
    if output_format != "text" and not quiet:
        for notice in context.notices:
            click.echo(f"mldebt: notice: {notice}", err=True)
        for problem in context.errors:
            click.echo(f"mldebt: internal error: {problem}", err=True)


def _exit_code(result: RunResult, threshold: Severity, exit_zero: bool) -> int:
    if result.errors:
        return EXIT_INTERNAL
    failing = any(f.severity.rank >= threshold.rank for f in result.findings)
    if failing and not exit_zero:
        return EXIT_FINDINGS
    return EXIT_CLEAN


@main.command("graph")
@click.argument("path", required=False, type=click.Path(path_type=Path, exists=True))
@click.option("--format", "output_format", type=click.Choice(GRAPH_FORMATS), default="mermaid", show_default=True)
@click.option(
    "--show",
    type=click.Choice(GRAPH_SHOWS),
    default="all",
    show_default=True,
    help="`data`: modules, files and tables joined by reads and writes; `imports`: modules joined by imports.",
)
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), help="Write the graph to FILE.")
@click.option("--config", "config_file", type=click.Path(path_type=Path, dir_okay=False), help="Use this config file.")
def graph_command(path: Path | None, output_format: str, show: str, output: Path | None, config_file: Path | None) -> None:
    """Print the project's import and data-dependency graph (the paper's static analysis of
    data dependencies): modules, the files and tables they read and write, and their imports.

    JSON is networkx node-link data: `networkx.node_link_graph(data, edges="edges")` loads it.
    """
    from mldebt.graph_export import RENDERERS, export_graph

    config, _ = _load(path or Path.cwd(), config_file, allow_local_rules=False)
    try:
        result = run_check(config, [], use_cache=True)
    except Exception:
        _internal_error()
        sys.exit(EXIT_INTERNAL)
    assert result.project is not None
    for notice in result.notices:
        click.echo(f"mldebt: {notice.path}: {notice.message}", err=True)
    rendered = RENDERERS[output_format](export_graph(result.project, show))
    if output is not None:
        try:
            output.write_text(rendered, encoding="utf-8")
        except OSError as error:
            _fail(f"cannot write {output}: {error.strerror or error}")
    else:
        click.echo(rendered, nl=False)


@main.command("audit")
@click.argument("path", required=False, type=click.Path(path_type=Path, exists=True))
@click.option("--select", multiple=True, help="Rules to run: codes, code prefixes (MLD5) or names. Replaces the default set.")
@click.option("--extend-select", multiple=True, help="Rules to run in addition to the selected ones.")
@click.option("--ignore", multiple=True, help="Rules not to run: codes, prefixes or names.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), help="Write the text or JSON to FILE.")
@click.option("--html", "html_file", type=click.Path(path_type=Path, dir_okay=False), help="Also write a self-contained HTML report to FILE.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the cache.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Worker processes [default: all cores].")
@click.option("--config", "config_file", type=click.Path(path_type=Path, dir_okay=False), help="Use this config file.")
@click.option("--allow-local-rules", is_flag=True, help="Load the project's own `rule-paths` (runs its code).")
def audit_command(
    path: Path | None,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    output_format: str,
    output: Path | None,
    html_file: Path | None,
    no_cache: bool,
    jobs: int | None,
    config_file: Path | None,
    allow_local_rules: bool,
) -> None:
    """Audit the whole project PATH belongs to: debt by paper section, hotspots, data
    dependencies, and the share of the code that is ML code (the paper's Figure 1, measured).

    Exits 0 whatever the findings; 2 on a usage or configuration error, 3 on an internal error.
    """
    from mldebt.audit import build_audit
    from mldebt.reporters.audit_html import render_audit_html
    from mldebt.reporters.audit_json import render_audit_json
    from mldebt.reporters.audit_text import render_audit_text

    from mldebt import __version__
    from mldebt.warm import Selection

    config, registry = _load(path or Path.cwd(), config_file, allow_local_rules)
    selection = Selection(
        tuple(_split(select)) if select else None, tuple(_split(extend_select)), tuple(_split(ignore)), allow_local_rules
    )
    setups = _setups(registry, config, selection)
    try:
        result = _run_with_progress(config, setups, (), None, False, False, jobs, not no_cache)
        assert result.project is not None
        report = build_audit(
            result.project, result.findings, registry.by_code, result.files, result.suppressed, __version__
        )
    except Exception:
        _internal_error()
        sys.exit(EXIT_INTERNAL)
    for notice in list(registry.notices) + result.notices:
        click.echo(f"mldebt: notice: {notice}", err=True)
    for problem in result.errors:
        click.echo(f"mldebt: internal error: {problem}", err=True)
    if output_format == "json":
        rendered = render_audit_json(report)
    else:
        color = output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
        rendered = render_audit_text(report, color=color, width=None if output is None and sys.stdout.isatty() else 120)
    for target, text in ((html_file, render_audit_html(report) if html_file else ""), (output, rendered)):
        if target is None:
            continue
        try:
            target.write_text(text.encode("utf-8", "surrogateescape").decode("utf-8", "replace"), encoding="utf-8")
        except OSError as error:
            _fail(f"cannot write {target}: {error.strerror or error}")
    if output is None:
        click.echo(rendered.encode("utf-8", "surrogateescape").decode("utf-8", "replace"), nl=False)
    if html_file is not None and output_format == "text" and output is None:
        click.echo(f"HTML report written to {html_file}", err=True)
    sys.exit(EXIT_INTERNAL if result.errors else EXIT_CLEAN)


@main.command("rules")
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--config", "config_file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--allow-local-rules", is_flag=True)
def rules_command(output_format: str, config_file: Path | None, allow_local_rules: bool) -> None:
    """List every rule: code, name, severity, paper section, and whether it is on by default."""
    _, registry = _load(Path.cwd(), config_file, allow_local_rules)
    if output_format == "json":
        data = [
            {
                "code": rule.CODE,
                "name": rule.NAME,
                "severity": rule.SEVERITY.value,
                "paper_section": rule.SECTION.label,
                "scope": rule.scope(),
                "default": rule.DEFAULT_ENABLED,
                "summary": rule.SUMMARY,
            }
            for rule in registry.rules
        ]
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="mldebt rules", show_lines=False)
    for column in ("code", "name", "severity", "scope", "default", "paper section", "summary"):
        table.add_column(column, overflow="fold")
    for rule in registry.rules:
        table.add_row(
            rule.CODE, rule.NAME, rule.SEVERITY.value, rule.scope(), "on" if rule.DEFAULT_ENABLED else "off",
            rule.SECTION.label, rule.SUMMARY,
        )
    Console(width=None if sys.stdout.isatty() else 200).print(table)


@main.command()
@click.argument("rule")
def explain(rule: str) -> None:
    """Explain one rule (by code or name): what it finds, why it is debt, what to do instead."""
    _, registry = _load(Path.cwd(), None, False)
    found = registry.find(rule)
    if found is None:
        _fail(f"unknown rule `{rule}` (see `mldebt rules`)")
        return
    from mldebt.docs import rule_markdown

    text = rule_markdown(found)
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.markdown import Markdown

        Console().print(Markdown(text))
    else:
        click.echo(text)
