"""The command line: `mldebt check`, `mldebt graph`, `mldebt rules`, `mldebt explain`."""

from __future__ import annotations

import json
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from mldebt import __version__
from mldebt import baseline as baselines
from mldebt.config import Config, ConfigError, load_config
from mldebt.findings import Severity
from mldebt.graph_export import RENDERERS, SHOW_ALL, SHOWS, export_graph
from mldebt.registry import Registry, RuleLoadError, enabled_codes, load_registry, rule_setups
from mldebt.reporters import format_names, renderer_for
from mldebt.reporters.base import ReportContext
from mldebt.runner import RunResult, StdinSource, run_check

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
PROGRESS_THRESHOLD = 100  # files; below this a bar only flickers


def _split(values: Sequence[str]) -> list[str]:
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


def _fail(message: str, code: int = EXIT_USAGE) -> None:
    click.echo(f"mldebt: error: {message}", err=True)
    sys.exit(code)


def _allow_local(flag: bool) -> bool:
    return flag or os.environ.get("MLDEBT_ALLOW_LOCAL_RULES", "") not in ("", "0", "false", "no")


def _load(start: Path, config_file: Path | None, allow_local_rules: bool) -> tuple[Config, Registry]:
    try:
        config = load_config(start, config_file)
        registry = load_registry(config, _allow_local(allow_local_rules))
    except ConfigError as error:
        _fail(str(error))
        raise
    except RuleLoadError as error:
        _fail(f"cannot load rules: {error}", EXIT_INTERNAL)
        raise
    return config, registry


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="mldebt")
def main() -> None:
    """Find the hidden technical debt of machine-learning code (Sculley et al., NeurIPS 2015)."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--select", multiple=True, help="Rules to run: codes, code prefixes (MLD5) or names. Replaces the default set.")
@click.option("--extend-select", multiple=True, help="Rules to run in addition to the selected ones.")
@click.option("--ignore", multiple=True, help="Rules not to run: codes, prefixes or names.")
@click.option("--format", "output_format", type=click.Choice(format_names()), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), help="Write the report to FILE.")
@click.option("--fail-on", type=click.Choice([s.value for s in Severity]), help="Lowest severity that fails the run [default: warning].")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings fail the run.")
@click.option("--baseline", type=click.Path(path_type=Path, dir_okay=False), help="Report only findings not in this baseline file.")
@click.option("--write-baseline", type=click.Path(path_type=Path, dir_okay=False), help="Record the current findings as the baseline FILE.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the cache.")
@click.option("--cache-dir", type=click.Path(path_type=Path, file_okay=False), help="Keep the cache here [default: `cache-dir` of the config, .mldebt_cache].")
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Worker processes [default: all cores].")
@click.option("--statistics", is_flag=True, help="Count findings by rule.")
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
    config, registry = _load(start, config_file, allow_local_rules)
    if cache_dir is not None:
        config.cache_dir = os.path.abspath(cache_dir)
    try:
        codes = enabled_codes(
            registry,
            config,
            select=_split(select) if select else None,
            extend_select=_split(extend_select),
            ignore=_split(ignore),
        )
        setups = rule_setups(registry, config, codes)
        baseline_prints = baselines.read_baseline(baseline) if baseline else None
    except ConfigError as error:
        _fail(str(error))
        raise
    threshold = Severity.parse(fail_on) if fail_on else config.fail_on

    try:
        result = _run_with_progress(config, setups, paths, stdin, force_exclude, quiet, jobs, not no_cache)
    except Exception:  # a bug in the engine itself
        click.echo("mldebt: internal error:\n" + traceback.format_exc(), err=True)
        sys.exit(EXIT_INTERNAL)
    result.notices = list(registry.notices) + result.notices

    if write_baseline is not None:
        baselines.write_baseline(write_baseline, result.findings)
    if baseline_prints is not None:
        before = len(result.findings)
        result.findings = [f for f in result.findings if f.fingerprint not in baseline_prints]
        result.suppressed += before - len(result.findings)

    context = ReportContext(
        findings=result.findings,
        notices=result.notices,
        errors=result.errors,
        rules=dict(registry.by_code),
        files=result.files,
        lines=result.lines,
        suppressed=result.suppressed,
        show_source=not no_source,
        statistics=statistics,
    )
    _emit(output_format, context, output, quiet)
    sys.exit(_exit_code(result, threshold, exit_zero))


def _run_with_progress(
    config: Config,
    setups: list[Any],
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
@click.option("--format", "output_format", type=click.Choice(sorted(RENDERERS)), default="mermaid", show_default=True)
@click.option(
    "--show",
    type=click.Choice(SHOWS),
    default=SHOW_ALL,
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
    config, _ = _load(path or Path.cwd(), config_file, allow_local_rules=False)
    try:
        result = run_check(config, [], use_cache=True)
    except Exception:
        click.echo("mldebt: internal error:\n" + traceback.format_exc(), err=True)
        sys.exit(EXIT_INTERNAL)
    assert result.project is not None
    for notice in result.notices:
        click.echo(f"mldebt: {notice.path}: {notice.message}", err=True)
    rendered = RENDERERS[output_format](export_graph(result.project, show))
    if output is not None:
        output.write_text(rendered, encoding="utf-8")
    else:
        click.echo(rendered, nl=False)


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
