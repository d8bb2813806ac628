"""The per-file result cache: an unchanged file is never read or parsed again.

One JSON pack per run configuration (`<cache-dir>/results-<key>.json`), where the
key covers everything that can change a file's result besides the file itself:
the cache format, mldebt's version and the state of its own source files, and
every enabled rule with its options, severity and source. Inside the pack, each
file's entry records its size, mtime, content hash and package context; a file
whose size and mtime are unchanged is taken as is without being read, and one
whose stat changed is read and hashed, and still reused if its content is the
same. Entries hold findings, facts and noqa comments as plain JSON: never
pickle, since a cache directory can come from someone else's repository.

Packs are written atomically: to a temporary file of a unique name, then renamed
over the pack (`os.replace`), so two runs at once each leave a whole pack (the
last one wins) and a run killed while writing leaves the old pack and at most a
stray temporary file, which is never read and is removed by a later run once it
is old. There is no fsync: after a power loss a pack may be empty or cut short,
which is invalid JSON, and a corrupt or foreign pack is ignored and rebuilt. A
file's size and mtime are trusted only when the file was last modified well
before the run began: a file written within `RACY_SECONDS` of the run may be
written again in the same clock tick with the same size, so its entry is checked
by content next time. Only the newest few packs are kept, and a pack holds only
the files of the last run, so the cache cannot grow without bound. The directory
carries its own `.gitignore` and `CACHEDIR.TAG`.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any

from mldebt import __version__
from mldebt.analysis import FileResult, RuleSetup
from mldebt.facts import FileFacts
from mldebt.findings import Finding, Notice, Severity
from mldebt.notebooks import CellMap
from mldebt.suppression import NoqaComment, Suppressions

CACHE_FORMAT = 1
KEEP_PACKS = 4
PACK_PREFIX = "results-"
TEMPORARY_PREFIX = ".tmp-"
STALE_TEMPORARY_SECONDS = 600  # no pack takes this long to write: a temporary file this old is a killed run's
RACY_SECONDS = 2  # coarser than any file system's mtime tick (FAT: 2 s)
GITIGNORE = "# Created by mldebt: the cache is local to this machine.\n*\n"
CACHEDIR_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# This file marks a cache directory created by mldebt.\n"


@dataclass(frozen=True)
class FileStat:
    """What the manifest compares before reading a file."""

    size: int
    mtime_ns: int


def run_key(setups: Sequence[RuleSetup]) -> str:
    """Everything besides the file that decides its result, hashed."""
    digest = hashlib.sha256()
    digest.update(f"{CACHE_FORMAT}\x1f{__version__}\x1f{_engine_state()}".encode())
    for setup in sorted(setups, key=lambda item: item.rule.CODE):
        rule = setup.rule
        digest.update(
            f"\x1e{rule.CODE}\x1f{setup.severity.value}\x1f{setup.options!r}\x1f{_source_hash(rule)}".encode()
        )
    return digest.hexdigest()[:24]


@cache
def _engine_state() -> str:
    """The size and mtime of every source file of the engine (an edited checkout is a new engine)."""
    package = Path(__file__).parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        try:
            stat = path.stat()
        except OSError:
            continue
        digest.update(f"{path.relative_to(package)}\x1f{stat.st_size}\x1f{stat.st_mtime_ns}\x1e".encode())
    return digest.hexdigest()


@cache
def _source_hash(rule: type) -> str:
    try:
        source = inspect.getsourcefile(rule)
        return hashlib.sha256(Path(source).read_bytes()).hexdigest() if source else ""
    except (OSError, TypeError):
        return ""


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class ResultCache:
    """The cache of one run configuration, loaded at the start of a run and saved at its end."""

    def __init__(self, directory: Path, key: str) -> None:
        self.directory = directory
        self.key = key
        self.pack = directory / f"{PACK_PREFIX}{key}.json"
        self.entries: dict[str, dict[str, Any]] = {}
        self.fresh: dict[str, dict[str, Any]] = {}
        self.hits = 0
        self.racy_after_ns = time.time_ns() - RACY_SECONDS * 1_000_000_000

    def load(self) -> None:
        try:
            data = json.loads(self.pack.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(data, dict) and data.get("key") == self.key and isinstance(data.get("files"), dict):
            self.entries = data["files"]

    def by_stat(self, path: str, stat: FileStat, package: bool) -> FileResult | None:
        """The cached result when the file's size and mtime are unchanged (the file is not read)."""
        entry = self.entries.get(path)
        if entry is None or entry.get("size") != stat.size or entry.get("mtime") != stat.mtime_ns:
            return None
        return self._reuse(path, entry, package, entry.get("hash"), stat)

    def by_hash(self, path: str, digest: str, stat: FileStat, package: bool) -> FileResult | None:
        """The cached result when the content is unchanged though its stat is not."""
        entry = self.entries.get(path)
        if entry is None or entry.get("hash") != digest:
            return None
        return self._reuse(path, entry, package, digest, stat)

    def _reuse(self, path: str, entry: dict[str, Any], package: bool, digest: Any, stat: FileStat) -> FileResult | None:
        if entry.get("package") != package:
            return None
        try:
            result = result_from_data(entry["result"])
        except (KeyError, TypeError, ValueError):
            return None  # an entry from another format, or edited by hand: analyse again
        self.fresh[path] = {**entry, "size": stat.size, "mtime": self._trusted_mtime(stat), "hash": digest}
        self.hits += 1
        return result

    def store(self, path: str, stat: FileStat, digest: str, package: bool, result: FileResult) -> None:
        if result.errors or not result.cacheable:
            return  # a rule crashed on this file, or its analysis was cut short: analyse it again next time
        self.fresh[path] = {
            "size": stat.size,
            "mtime": self._trusted_mtime(stat),
            "hash": digest,
            "package": package,
            "result": result_to_data(result),
        }

    def _trusted_mtime(self, stat: FileStat) -> int:
        """The mtime to record, or -1 (never equal to a file's) when the file changed so recently that
        another change in the same clock tick could go unseen: then the next run compares its content."""
        return stat.mtime_ns if stat.mtime_ns < self.racy_after_ns else -1

    def save(self) -> str | None:
        """Write the pack of this run; None, or why the cache could not be written."""
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            for name, text in ((".gitignore", GITIGNORE), ("CACHEDIR.TAG", CACHEDIR_TAG)):
                marker = self.directory / name
                if _read_or_none(marker) != text:  # missing, or cut short by a killed run
                    _write_atomically(marker, text)
            if self.fresh == self.entries and self.pack.exists():
                os.utime(self.pack)  # unchanged: mark it recently used, so pruning keeps it
            else:
                payload = json.dumps({"key": self.key, "files": self.fresh}, separators=(",", ":"))
                _write_atomically(self.pack, payload)
            self._prune()
        except OSError as error:
            return f"the cache was not written ({error.strerror or error}); use --no-cache to skip it"
        return None

    def _prune(self) -> None:
        packs = sorted(self.directory.glob(f"{PACK_PREFIX}*.json"), key=_mtime, reverse=True)
        stale_before = time.time() - STALE_TEMPORARY_SECONDS
        stray = [path for path in self.directory.glob(f"{TEMPORARY_PREFIX}*") if _mtime(path) < stale_before]
        for old in packs[KEEP_PACKS:] + stray:
            try:
                old.unlink()
            except OSError:
                continue


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _read_or_none(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None


def _write_atomically(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(prefix=TEMPORARY_PREFIX, suffix=".json", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


# --- Plain data ---------------------------------------------------------------------------


def result_to_data(result: FileResult) -> dict[str, Any]:
    return {
        "path": result.path,
        "findings": [{**asdict(finding), "severity": finding.severity.value} for finding in result.findings],
        "facts": result.facts.to_dict() if result.facts is not None else None,
        "suppressions": [
            {"line": c.line, "column": c.column, "selectors": sorted(c.selectors), "whole_file": c.whole_file}
            for c in result.suppressions.comments
        ],
        "notices": [{"message": notice.message, "path": notice.path} for notice in result.notices],
        "notebook": result.notebook.to_data() if result.notebook is not None else None,
    }


def result_from_data(data: dict[str, Any]) -> FileResult:
    findings = tuple(Finding(**{**item, "severity": Severity(item["severity"])}) for item in data["findings"])
    facts = FileFacts.from_dict(data["facts"]) if data["facts"] is not None else None
    comments = tuple(
        NoqaComment(item["line"], item["column"], frozenset(item["selectors"]), item["whole_file"])
        for item in data["suppressions"]
    )
    notices = tuple(Notice(item["message"], item["path"]) for item in data["notices"])
    notebook = CellMap.from_data(data["notebook"]) if data.get("notebook") is not None else None
    return FileResult(data["path"], findings, facts, Suppressions(comments), (), notices, notebook)
