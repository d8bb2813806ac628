"""Configuration: `[tool.mldebt]` in pyproject.toml or a `mldebt.toml`, validated before anything runs."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mldebt.discovery import DEFAULT_EXCLUDES
from mldebt.findings import Notice, Severity

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10
    import tomli as tomllib

DEFAULT_MAX_FILE_SIZE = 2_000_000
DEFAULT_CACHE_DIR = ".mldebt_cache"
DEFAULT_FILE_TIMEOUT = 10.0  # seconds of analysis per file before it is skipped with a notice


class ConfigError(Exception):
    """A configuration or usage problem the user must fix (exit code 2)."""


@dataclass
class Config:
    """Settings of one run, after the config file and before the command-line overrides."""

    root: Path
    source: Path | None = None
    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    exclude: list[str] = field(default_factory=lambda: list(DEFAULT_EXCLUDES))
    extend_exclude: list[str] = field(default_factory=list)
    fail_on: Severity = Severity.WARNING
    rule_paths: list[str] = field(default_factory=list)
    cache_dir: str = DEFAULT_CACHE_DIR
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    file_timeout: float = DEFAULT_FILE_TIMEOUT
    severity: dict[str, Severity] = field(default_factory=dict)
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    notices: list[Notice] = field(default_factory=list)  # about the search for the config (a skipped file)

    @property
    def where(self) -> str:
        return str(self.source) if self.source else "the command line"

    @property
    def exclude_patterns(self) -> list[str]:
        return [*self.exclude, *self.extend_exclude]


def _string_list(value: Any, key: str, where: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return list(value)
    raise ConfigError(f"{where}: `{key}` must be a list of strings, not {type(value).__name__}")


def _parse_severity(value: Any, key: str, where: str) -> Severity:
    if isinstance(value, str):
        try:
            return Severity.parse(value)
        except ValueError:
            pass
    raise ConfigError(f"{where}: `{key}` must be one of error, warning, info (got {value!r})")


def _table(settings: dict[str, Any], config: Config, where: str) -> None:
    for key, value in settings.items():
        if key == "select":
            config.select = _string_list(value, key, where)
        elif key == "extend-select":
            config.extend_select = _string_list(value, key, where)
        elif key == "ignore":
            config.ignore = _string_list(value, key, where)
        elif key == "exclude":
            config.exclude = _string_list(value, key, where)
        elif key == "extend-exclude":
            config.extend_exclude = _string_list(value, key, where)
        elif key == "rule-paths":
            config.rule_paths = _string_list(value, key, where)
        elif key == "fail-on":
            config.fail_on = _parse_severity(value, key, where)
        elif key == "cache-dir":
            if not isinstance(value, str):
                raise ConfigError(f"{where}: `cache-dir` must be a string")
            config.cache_dir = value
        elif key == "max-file-size":
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ConfigError(f"{where}: `max-file-size` must be a positive integer (bytes)")
            config.max_file_size = value
        elif key == "file-timeout":
            config.file_timeout = parse_timeout(value, f"{where}: `file-timeout`")
        elif key == "per-file-ignores":
            if not isinstance(value, dict):
                raise ConfigError(f"{where}: `per-file-ignores` must be a table of glob = [codes]")
            config.per_file_ignores = {
                str(pattern): _string_list(codes, f"per-file-ignores.{pattern}", where)
                for pattern, codes in value.items()
            }
        elif key == "severity":
            if not isinstance(value, dict):
                raise ConfigError(f"{where}: `severity` must be a table of code-or-name = severity")
            config.severity = {
                str(rule): _parse_severity(level, f"severity.{rule}", where) for rule, level in value.items()
            }
        elif key == "rules":
            if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
                raise ConfigError(f"{where}: `rules` must hold one table per rule, e.g. [tool.mldebt.rules.NAME]")
            config.rule_options = {str(rule): dict(options) for rule, options in value.items()}
        else:
            raise ConfigError(f"{where}: unknown key `{key}`")


def parse_timeout(value: Any, what: str) -> float:
    """A positive number of seconds."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value < float("inf"):
        return float(value)
    raise ConfigError(f"{what} must be a positive number of seconds (got {value!r})")


def read_config_file(path: Path, skipped: list[Notice] | None = None) -> dict[str, Any] | None:
    """The mldebt settings a file holds, or None if it holds none (a pyproject without the table).

    A pyproject.toml met while searching (`skipped` given) that is not valid TOML and does not
    mention mldebt at all cannot hold our settings: it is passed over with a notice, since the
    repository being checked may carry a broken one. One that may hold them is an error.
    """
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ConfigError(f"{path}: cannot be read ({error.strerror or error})") from error
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        if skipped is not None and path.name == "pyproject.toml" and b"mldebt" not in raw:
            skipped.append(Notice(f"not valid TOML ({error}); it has no mldebt settings, so it is passed over", str(path)))
            return None
        raise ConfigError(f"{path}: invalid TOML: {error}") from error
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        settings = tool.get("mldebt") if isinstance(tool, dict) else None
        if settings is None:
            return None
        if not isinstance(settings, dict):
            raise ConfigError(f"{path}: `[tool.mldebt]` must be a table")
        return settings
    return data


def find_config(start: Path, skipped: list[Notice] | None = None) -> tuple[Path, dict[str, Any]] | None:
    """Walk up from `start`: the first `mldebt.toml`, or `pyproject.toml` with `[tool.mldebt]`, wins."""
    folder = start if start.is_dir() else start.parent
    for candidate in (folder, *folder.parents):
        for name in ("mldebt.toml", "pyproject.toml"):
            path = candidate / name
            if path.is_file():
                settings = read_config_file(path, skipped if skipped is not None else [])
                if settings is not None:
                    return path, settings
    return None


def git_root(start: Path) -> Path | None:
    folder = start if start.is_dir() else start.parent
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def load_config(start: Path, explicit: Path | None = None) -> Config:
    """Find the project root and its settings, as DESIGN.md's "Project root" says.

    Args:
        start: The first PATH given, or the working directory.
        explicit: A `--config FILE`, which overrides the search.
    """
    start = Path(os.path.abspath(start))
    if explicit is not None:
        explicit = Path(os.path.abspath(explicit))
        if not explicit.is_file():
            raise ConfigError(f"{explicit}: no such config file")
        settings = read_config_file(explicit) or {}
        config = Config(root=explicit.parent, source=explicit)
        _table(settings, config, str(explicit))
        return config
    skipped: list[Notice] = []
    found = find_config(start, skipped)
    if found is not None:
        path, settings = found
        config = Config(root=path.parent, source=path, notices=skipped)
        _table(settings, config, str(path))
        return config
    root = git_root(start)
    if root is None:
        cwd = Path(os.getcwd())
        if start.is_dir():
            root = start
        elif cwd == start.parent or cwd in start.parents:
            root = cwd
        else:
            root = start.parent
    return Config(root=root, notices=skipped)
