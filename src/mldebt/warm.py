"""The run index: what a run needs to know about its rules, known without loading them.

Loading the rules imports libcst and every rule module, which costs more than
the rest of a warm run together. Yet what a run needs from its rules when every
file and the project phase come from the cache — the cache key of the rule
configuration, which rules are enabled (codes and names), mldebt's version, the
notices of the rule loading — is decided by things that can be checked without
importing anything: mldebt's own source files, the Python that runs it, the
config file's bytes, the selection given on the command line, the rule source
files (bundled, local, and those behind entry points) and the installed
distributions (entry points). `index.json` in the cache directory maps a hash of
those to what a full load decided. A run that finds its entry skips the load;
any doubt (no entry, a rule file changed, a stale key) means the full load.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mldebt.cache import CACHE_FORMAT, _engine_state, _write_atomically, tree_stamps
from mldebt.config import Config
from mldebt.findings import Notice

INDEX_FORMAT = 1
INDEX_FILE = "index.json"
KEEP_ENTRIES = 16


class StaleIndex(Exception):
    """The rules, once loaded, are not what the index said: run again without it."""


@dataclass(frozen=True)
class Selection:
    """The rule selection given on the command line (None: the config's or the default)."""

    select: tuple[str, ...] | None
    extend_select: tuple[str, ...]
    ignore: tuple[str, ...]
    allow_local_rules: bool


@dataclass(frozen=True)
class IndexEntry:
    """What a full load of the rules decided for one index key."""

    run_key: str
    version: str
    enabled: dict[str, str]  # code -> name
    notices: tuple[Notice, ...]


def bundled_rules_dir() -> Path:
    """`<package>/_rules` in an installed wheel; `<checkout>/rules` in a source checkout. Here, not in
    the registry, so that a warm run finds the rules' files without importing the rules' API."""
    package = Path(__file__).resolve().parent
    shipped = package / "_rules"
    if shipped.is_dir():
        return shipped
    return package.parent.parent / "rules"


def _distributions_state(entries: Iterable[str]) -> str:
    """The installed distributions on sys.path (one installed or removed changes the list) and the
    stamp of each one's entry_points.txt (where `mldebt.rules` plug-ins are declared). Folders
    themselves are not part of it: `python -m` puts the working directory on sys.path, and a run
    from another folder must find the same entry."""
    digest = hashlib.sha256()
    for entry in entries:
        folder = os.path.abspath(entry or os.curdir)
        try:
            names = sorted(
                item.name for item in os.scandir(folder) if item.name.endswith((".dist-info", ".egg-info"))
            )
        except OSError:
            continue
        for name in names:
            try:
                stat = os.stat(os.path.join(folder, name, "entry_points.txt"))
                stamp = f"{stat.st_size}\x1f{stat.st_mtime_ns}"
            except OSError:
                stamp = "-"
            digest.update(f"\x1e{folder}/{name}\x1f{stamp}".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _folder_state(folder: Path) -> str:
    return ";".join(f"{path}:{size}:{mtime}" for path, size, mtime in tree_stamps(str(folder)))


def index_key(config: Config, selection: Selection) -> str:
    """A hash of everything that decides the loaded rules, their options and the enabled set."""
    parts: list[str] = [
        f"{INDEX_FORMAT}:{CACHE_FORMAT}",
        sys.version,
        sys.executable,
        _engine_state(front_end=True),
        _distributions_state(sys.path),
        str(config.root),
        repr(selection),
    ]
    if config.source is not None:
        try:
            parts.append(f"{config.source}:{config.source.read_bytes().hex()}")
        except OSError:
            parts.append(f"{config.source}:unreadable")
    bundled = bundled_rules_dir()
    parts.append(f"{bundled}:{_folder_state(bundled)}")
    if selection.allow_local_rules:
        for entry in config.rule_paths:
            folder = (config.root / entry).resolve()
            parts.append(f"{folder}:{_folder_state(folder)}")
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", "surrogateescape") + b"\x00")
    return digest.hexdigest()[:32]


def _stamp(path: str) -> list[Any] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return [path, stat.st_size, stat.st_mtime_ns]


class RunIndex:
    """`<cache-dir>/index.json`: index keys to what the full rule load decided."""

    def __init__(self, config: Config, selection: Selection) -> None:
        directory = Path(config.cache_dir)
        self.path = (directory if directory.is_absolute() else config.root / directory) / INDEX_FILE
        self.key = index_key(config, selection)

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("format") != INDEX_FORMAT or not isinstance(data.get("entries"), dict):
            return {}
        return data["entries"]

    def lookup(self) -> IndexEntry | None:
        """The entry for this run, if there is one and every rule file it relied on is unchanged."""
        entry = self._read().get(self.key)
        try:
            if not isinstance(entry, dict):
                return None
            for stamp in entry["rule_files"]:
                if _stamp(stamp[0]) != stamp:
                    return None
            enabled = entry["enabled"]
            if not isinstance(enabled, dict) or not all(isinstance(v, str) for v in enabled.values()):
                return None
            return IndexEntry(
                run_key=str(entry["run_key"]),
                version=str(entry["version"]),
                enabled=dict(enabled),
                notices=tuple(Notice(str(message), str(path)) for message, path in entry["notices"]),
            )
        except (KeyError, TypeError, ValueError, IndexError):
            return None

    def record(
        self, run_key: str, version: str, enabled: Mapping[str, str], notices: Sequence[Notice], rule_files: Iterable[str]
    ) -> None:
        """Remember what the full load decided (best effort: an unwritable cache is reported elsewhere)."""
        entries = self._read()
        stamps = [stamp for path in sorted(set(rule_files)) if (stamp := _stamp(path)) is not None]
        new = {
            "run_key": run_key,
            "version": version,
            "enabled": dict(sorted(enabled.items())),
            "notices": [[notice.message, notice.path] for notice in notices],
            "rule_files": stamps,
        }
        old = entries.get(self.key)
        if isinstance(old, dict) and {k: v for k, v in old.items() if k != "used"} == new:
            return
        entries[self.key] = {**new, "used": time.time()}
        newest = sorted(entries.items(), key=lambda item: _used(item[1]), reverse=True)[:KEEP_ENTRIES]
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            _write_atomically(self.path, json.dumps({"format": INDEX_FORMAT, "entries": dict(newest)}))
        except OSError:
            return


def _used(entry: Any) -> float:
    if isinstance(entry, dict) and isinstance(entry.get("used"), int | float):
        return float(entry["used"])
    return 0.0


def rule_files(rules: Iterable[type]) -> list[str]:
    """The source file of every loaded rule class (a changed file makes the index entry stale)."""
    import inspect

    files = []
    for rule in rules:
        try:
            source = inspect.getsourcefile(rule)
        except (OSError, TypeError):
            source = None
        if source:
            files.append(os.path.abspath(source))
    return files
