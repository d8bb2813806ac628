"""The project's file listing, reused while no folder it walked has changed.

Walking a large repository means listing every folder and matching every path
against the ignore patterns (and importing and compiling them): a good part of a
warm run. The walk's result depends only on the folders' entries, the
`.gitignore` files it read, the symlinks it met and the patterns, so the cache
keeps the listing with each folder's mtime (taken before the folder was listed:
an entry added, removed or renamed changes it), each `.gitignore`'s stamp, and
each symlink's kind. A run whose stamps all agree takes the listing as it is,
with one `stat` per folder; any difference means a fresh walk. A folder
modified within the last seconds of a walk is not trusted (its mtime may not
have ticked yet), so such a listing is not kept.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from mldebt.cache import _engine_state, _write_atomically
from mldebt.discovery import WalkRecord, discover

LISTING_FORMAT = 1
LISTING_FILE = "listing.json"
RACY_NS = 3_000_000_000  # a change this close to the walk may share the folder's mtime tick


class Listing:
    """The listing of one cache directory: at most one walk kept (the last configuration's)."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / LISTING_FILE
        self._fresh: dict[str, Any] | None = None

    def discover(
        self, root: Path, patterns: Sequence[str], wanted: Callable[[str], bool], tag: str
    ) -> list[Path]:
        """`discover(root, patterns, wanted=wanted)`, from the cache when nothing it depends on changed.
        `tag` names `wanted` (a function cannot be compared across runs)."""
        key = _key(root, patterns, tag)
        reused = self._reuse(key)
        if reused is not None:
            return [Path(os.path.join(str(root), relative)) if relative else root for relative in reused]
        record = WalkRecord()
        started = time.time_ns()
        found = list(discover(root, patterns, wanted=wanted, record=record))
        stamps = [*record.folders.values(), *(s[1] for s in record.gitignores.values() if s is not None)]
        if all(stamp < started - RACY_NS for stamp in stamps):
            prefix = str(root).rstrip("/") + "/"
            if all(str(path).startswith(prefix) for path in found):
                self._fresh = {
                    "format": LISTING_FORMAT,
                    "key": key,
                    "folders": record.folders,
                    "gitignores": record.gitignores,
                    "links": record.links,
                    "files": [str(path)[len(prefix):] for path in found],
                }
        return found

    def _reuse(self, key: str) -> list[str] | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("format") != LISTING_FORMAT or data.get("key") != key:
                return None
            for folder, mtime in data["folders"].items():
                if os.stat(folder).st_mtime_ns != mtime:
                    return None
            for folder, stamp in data["gitignores"].items():
                if _gitignore_stamp(folder) != stamp:
                    return None
            for link, (is_folder, exists) in data["links"].items():
                if os.path.isdir(link) != is_folder or os.path.exists(link) != exists:
                    return None
            files = data["files"]
            if not isinstance(files, list) or not all(isinstance(item, str) for item in files):
                return None
            return files
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return None

    def save(self) -> None:
        """Keep the fresh walk, if it can be trusted (best effort, next to the cache's packs)."""
        if self._fresh is None:
            return
        try:
            _write_atomically(self.path, json.dumps(self._fresh, separators=(",", ":")))
        except OSError:
            return


def _gitignore_stamp(folder: str) -> list[int] | None:
    try:
        stat = os.stat(os.path.join(folder, ".gitignore"))
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns]


def _key(root: Path, patterns: Sequence[str], tag: str) -> str:
    digest = hashlib.sha256()
    for part in (str(LISTING_FORMAT), _engine_state(front_end=True), str(root), tag, *patterns):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\x00")
    return digest.hexdigest()[:32]
