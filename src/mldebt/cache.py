"""The per-file result cache: an unchanged file is never read or parsed again.

One JSON pack per run configuration (`<cache-dir>/results-<key>.json`), where the
key covers everything that can change a file's result besides the file itself:
the cache format, mldebt's version and the state of its own source files, and
every enabled rule with its options, severity and source. Inside the pack, each
file's entry records its size, mtime, content hash and package context; a file
whose size and mtime are unchanged is taken as is without being read, and one
whose stat changed is read and hashed, and still reused if its content is the
same. Entries hold findings and noqa comments as plain JSON: never pickle,
since a cache directory can come from someone else's repository. Facts, by far
the bulk, live in a second file (`facts-<key>.json`, each entry tagged with its
file's content hash), read only when the project phase must run again: the
pack also keeps the project phase's findings under a key made of every file's
content hash, so an unchanged project reuses them without reading any facts.

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
import json
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any

from mldebt.findings import Finding, Notice, Severity
from mldebt.notebooks import CellMap
from mldebt.results import FileResult, RuleSetup
from mldebt.suppression import NoqaComment, Suppressions

CACHE_FORMAT = 2
KEEP_PACKS = 4
PACK_PREFIX = "results-"
TEMPORARY_PREFIX = ".tmp-"
STALE_TEMPORARY_SECONDS = 600  # no pack takes this long to write: a temporary file this old is a killed run's
RACY_SECONDS = 2  # coarser than any file system's mtime tick (FAT: 2 s)
FACTS_PREFIX = "facts-"
MISSING: Any = object()  # facts the cache should hold but does not
GITIGNORE = "# Created by mldebt: the cache is local to this machine.\n*\n"
CACHEDIR_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# This file marks a cache directory created by mldebt.\n"


@dataclass(frozen=True)
class FileStat:
    """What the manifest compares before reading a file."""

    size: int
    mtime_ns: int


def run_key(setups: Sequence[RuleSetup]) -> str:
    """Everything besides the file that decides its result, hashed."""
    from mldebt import __version__

    digest = hashlib.sha256()
    digest.update(f"{CACHE_FORMAT}\x1f{__version__}\x1f{sys.version}\x1f{_engine_state()}".encode())
    for setup in sorted(setups, key=lambda item: item.rule.CODE):
        rule = setup.rule
        digest.update(
            f"\x1e{rule.CODE}\x1f{setup.severity.value}\x1f{setup.options!r}\x1f{_source_hash(rule)}".encode()
        )
    return digest.hexdigest()[:24]


# The front end: how a run is started and printed, never what a file's result or the project phase
# is. Editing it leaves the cached results valid (the run index still covers it: see warm.py).
FRONT_END = ("cli.py", "warm.py", "__main__.py", "docs.py", "graph_export.py", "reporters/")


@cache
def _engine_state(front_end: bool = False) -> str:
    """The size and mtime of every source file of the engine (an edited checkout is a new engine),
    the front end only if asked."""
    digest = hashlib.sha256()
    for relative, size, mtime in tree_stamps(str(Path(__file__).parent)):
        if front_end or not relative.startswith(FRONT_END):
            digest.update(f"{relative}\x1f{size}\x1f{mtime}\x1e".encode())
    return digest.hexdigest()


def tree_stamps(top: str, suffix: str = ".py") -> list[tuple[str, int, int]]:
    """(relative path, size, mtime) of every `suffix` file under `top`, sorted; os.scandir is cheap."""
    found: list[tuple[str, int, int]] = []
    stack = [""]
    while stack:
        relative = stack.pop()
        try:
            entries = list(os.scandir(os.path.join(top, relative)))
        except OSError:
            continue
        for entry in entries:
            name = f"{relative}/{entry.name}" if relative else entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name != "__pycache__":
                        stack.append(name)
                elif entry.name.endswith(suffix):
                    stat = entry.stat()
                    found.append((name, stat.st_size, stat.st_mtime_ns))
            except OSError:
                continue
    return sorted(found)


@cache
def _source_hash(rule: type) -> str:
    try:
        import inspect  # only when the rules are loaded: a warm run does without

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
        self.facts_pack = directory / f"{FACTS_PREFIX}{key}.json"
        self.entries: dict[str, dict[str, Any]] = {}
        self.fresh: dict[str, dict[str, Any]] = {}
        self.hits = 0
        self.racy_after_ns = time.time_ns() - RACY_SECONDS * 1_000_000_000
        self.project: dict[str, Any] | None = None  # the project phase of the last run, as loaded
        self.fresh_project: dict[str, Any] | None = None
        self._facts: dict[str, Any] | None = None  # the facts pack, read on first need
        self._new_facts: dict[str, str] = {}  # path -> its facts entry, as JSON text

    def load(self) -> None:
        try:
            data = json.loads(self.pack.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(data, dict) and data.get("key") == self.key and isinstance(data.get("files"), dict):
            self.entries = data["files"]
            project = data.get("project")
            self.project = self.fresh_project = project if isinstance(project, dict) else None

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

    def digest(self, path: str) -> str:
        """The content hash of a file this run took from the cache or stored."""
        return str(self.fresh[path]["hash"])

    def _reuse(self, path: str, entry: dict[str, Any], package: bool, digest: Any, stat: FileStat) -> FileResult | None:
        if entry.get("package") != package or not isinstance(digest, str):
            return None
        try:
            result = result_from_data(entry["result"])
        except (KeyError, TypeError, ValueError):
            return None  # an entry from another format, or edited by hand: analyse again
        self.fresh[path] = {**entry, "size": stat.size, "mtime": self._trusted_mtime(stat), "hash": digest}
        self.hits += 1
        return result

    def facts(self, path: str) -> Any:
        """The cached facts of a file taken from the cache (MISSING when the facts pack lacks them)."""
        if self._facts is None:
            self._facts = self._read_facts()
        entry = self._facts.get(path)
        if not isinstance(entry, dict) or entry.get("hash") != self.fresh.get(path, {}).get("hash"):
            return MISSING
        from mldebt.facts import FileFacts

        try:
            return FileFacts.from_dict(entry["facts"])
        except (KeyError, TypeError, ValueError, AttributeError):
            return MISSING

    def _read_facts(self) -> dict[str, Any]:
        try:
            data = json.loads(self.facts_pack.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if isinstance(data, dict) and data.get("key") == self.key and isinstance(data.get("files"), dict):
            return dict(data["files"])
        return {}

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
        if result.facts is not None:
            # As JSON text at once: thousands of files' facts as dicts would hold several times the memory.
            self._new_facts[path] = json.dumps({"hash": digest, "facts": result.facts.to_dict()}, separators=(",", ":"))

    def project_phase(self, key: str) -> dict[str, Any] | None:
        """The project phase's stored output, if it was computed for exactly this key."""
        if self.project is not None and self.project.get("key") == key:
            return self.project
        return None

    def store_project_phase(self, key: str, data: dict[str, Any]) -> None:
        self.fresh_project = {**data, "key": key}

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
            if self._new_facts or set(self.fresh) != set(self.entries):
                # Facts first: a pack never names a file whose facts were not written.
                facts = self._facts if self._facts is not None else self._read_facts()
                entries = {path: json.dumps(facts[path], separators=(",", ":")) for path in self.fresh if path in facts}
                entries.update(self._new_facts)
                files = ",".join(f"{json.dumps(path)}:{entry}" for path, entry in entries.items())
                _write_atomically(self.facts_pack, f'{{"key":{json.dumps(self.key)},"files":{{{files}}}}}')
            if self.fresh == self.entries and self.fresh_project == self.project and self.pack.exists():
                os.utime(self.pack)  # unchanged: mark it recently used, so pruning keeps it
            else:
                document: dict[str, Any] = {"key": self.key, "files": self.fresh}
                if self.fresh_project is not None:
                    document["project"] = self.fresh_project
                _write_atomically(self.pack, json.dumps(document, separators=(",", ":")))
            self._prune()
        except OSError as error:
            return f"the cache was not written ({error.strerror or error}); use --no-cache to skip it"
        return None

    def _prune(self) -> None:
        packs = sorted(self.directory.glob(f"{PACK_PREFIX}*.json"), key=_mtime, reverse=True)
        stale_before = time.time() - STALE_TEMPORARY_SECONDS
        stray = [path for path in self.directory.glob(f"{TEMPORARY_PREFIX}*") if _mtime(path) < stale_before]
        for old in packs[KEEP_PACKS:]:
            stray.extend((old, self.directory / (FACTS_PREFIX + old.name[len(PACK_PREFIX):])))
        for stale in stray:
            try:
                stale.unlink()
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
    import tempfile  # when something is written: an unchanged warm run writes nothing

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


def finding_to_data(finding: Finding) -> dict[str, Any]:
    return {**asdict(finding), "severity": finding.severity.value}


def finding_from_data(item: dict[str, Any]) -> Finding:
    return Finding(**{**item, "severity": Severity(item["severity"])})


def result_to_data(result: FileResult) -> dict[str, Any]:
    """A file's result without its facts (those go to the facts pack): `facts` says whether it has them."""
    return {
        "path": result.path,
        "findings": [finding_to_data(finding) for finding in result.findings],
        "facts": result.facts is not None,
        "lines": result.facts.lines if result.facts is not None else None,
        "suppressions": [
            {"line": c.line, "column": c.column, "selectors": sorted(c.selectors), "whole_file": c.whole_file}
            for c in result.suppressions.comments
        ],
        "notices": [{"message": notice.message, "path": notice.path} for notice in result.notices],
        "notebook": result.notebook.to_data() if result.notebook is not None else None,
    }


def result_from_data(data: dict[str, Any]) -> FileResult:
    findings = tuple(finding_from_data(item) for item in data["findings"])
    if not isinstance(data["facts"], bool):
        raise ValueError("facts belong in the facts pack")
    lines = data["lines"]
    if lines is not None and not isinstance(lines, int):
        raise ValueError("lines must be a number")
    comments = tuple(
        NoqaComment(item["line"], item["column"], frozenset(item["selectors"]), item["whole_file"])
        for item in data["suppressions"]
    )
    notices = tuple(Notice(item["message"], item["path"]) for item in data["notices"])
    notebook = CellMap.from_data(data["notebook"]) if data.get("notebook") is not None else None
    # Facts stay in the facts pack until the project phase needs them.
    return FileResult(
        data["path"],
        findings,
        None,
        Suppressions(comments),
        (),
        notices,
        notebook=notebook,
        lines=lines,
        facts_pending=data["facts"],
    )
