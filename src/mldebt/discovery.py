"""Which files a run checks: everything under the root, less what is ignored."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pathspec

# Never looked into, whatever `exclude` says: version control and our own cache.
ALWAYS_EXCLUDED = frozenset({".git", ".hg", ".svn", ".mldebt_cache"})
# The default `exclude`; a user's `exclude` replaces it and `extend-exclude` adds to it.
DEFAULT_EXCLUDES = (
    ".venv",
    "venv",
    "build",
    "dist",
    "node_modules",
    "__pycache__",
    "site-packages",
    ".tox",
    ".nox",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".ipynb_checkpoints",
)
# Python modules, and Jupyter notebooks (their code cells are checked as one module).
SOURCE_SUFFIXES = (".py", ".ipynb")


@dataclass
class WalkRecord:
    """What a walk's result depends on besides the ignore patterns, for reusing it unchanged: each
    folder's mtime taken before it was listed (an entry added, removed or renamed changes it),
    each .gitignore consulted (its stamp, None when there was none), and each symlink met
    (whether it pointed at a folder, whether its target existed)."""

    folders: dict[str, int] = field(default_factory=dict)
    gitignores: dict[str, list[int] | None] = field(default_factory=dict)
    links: dict[str, list[bool]] = field(default_factory=dict)


@dataclass(frozen=True)
class Discovered:
    """A file to check, relative to the project root, and whether its folder is a package."""

    path: str
    in_package: bool


class Ignorer:
    """Decides what discovery skips: default excludes, `exclude` patterns and `.gitignore` files."""

    def __init__(self, root: Path, patterns: Sequence[str]) -> None:
        self.root = root
        self._root = str(root)
        self._prefix = self._root.rstrip("/") + "/"
        self.user = _spec(patterns)
        self._gitignores: dict[str, GitIgnore | None] = {}
        self.record: WalkRecord | None = None

    def _gitignore(self, folder: str) -> GitIgnore | None:
        """The spec of `folder`'s .gitignore (None: no file, or no rule in it)."""
        if folder not in self._gitignores:
            spec = None
            if self.record is not None:
                try:
                    stat = os.stat(os.path.join(folder, ".gitignore"))
                    self.record.gitignores[folder] = [stat.st_size, stat.st_mtime_ns]
                except OSError:
                    self.record.gitignores[folder] = None
            try:
                with open(os.path.join(folder, ".gitignore"), encoding="utf-8", errors="replace") as handle:
                    lines = handle.read().splitlines()
                spec = _spec(lines)
                if not spec.patterns:
                    spec = None
            except OSError:
                pass
            self._gitignores[folder] = spec
        return self._gitignores[folder]

    def excluded_by_user(self, relative: str, is_dir: bool) -> bool:
        return self.user.match_file(relative + "/" if is_dir else relative)

    def ignored(self, path: Path, is_dir: bool) -> bool:
        """Whether a path under the root is skipped by default excludes, `exclude` or `.gitignore`."""
        if is_dir and path.name in ALWAYS_EXCLUDED:
            return True
        if not _is_under(path, self.root):
            return False  # a path named outside the project: only the always-excluded folders apply
        return self._ignored_relative(path.relative_to(self.root).as_posix(), is_dir)

    def ignored_in_walk(self, path: str, name: str, is_dir: bool) -> bool:
        """`ignored` for a normalised absolute path string, as the walk produces them (no pathlib)."""
        if is_dir and name in ALWAYS_EXCLUDED:
            return True
        if not path.startswith(self._prefix):
            return self.ignored(Path(path), is_dir)
        return self._ignored_relative(path[len(self._prefix):], is_dir)

    def _ignored_relative(self, relative: str, is_dir: bool) -> bool:
        if self.excluded_by_user(relative, is_dir):
            return True
        # Every .gitignore from the root down to the path's folder applies, relative to its folder.
        folder = self._root
        parts = relative.split("/") if relative != "." else []
        for depth in range(len(parts)):
            spec = self._gitignore(folder)
            if spec is not None:
                sub = "/".join(parts[depth:]) + ("/" if is_dir else "")
                if spec.match_file(sub):
                    return True
            folder = os.path.join(folder, parts[depth])
        return False


def discover(
    root: Path,
    patterns: Sequence[str],
    start: Path | None = None,
    wanted: Callable[[str], bool] | None = None,
    record: WalkRecord | None = None,
) -> Iterator[Path]:
    """Every source file (or every file whose name is `wanted`) under `start` (default: the root),
    sorted, honouring the ignores. `record` collects what the result depends on.

    Symlinked folders are not followed, so a symlink loop cannot trap the walk. A symlinked file
    that leads nowhere is listed all the same: reading it fails, and the user is told.
    """
    top = start or root
    ignorer = Ignorer(root if _is_under(Path(os.path.abspath(top)), root) else Path(os.path.abspath(top)), patterns)
    ignorer.record = record
    for folder, subfolders, files in _walk(str(Path(top)), record):
        absolute = os.path.abspath(folder)
        subfolders[:] = sorted(
            name for name in subfolders if not ignorer.ignored_in_walk(os.path.join(absolute, name), name, is_dir=True)
        )
        for name in sorted(files):
            if not (wanted(name) if wanted is not None else name.endswith(SOURCE_SUFFIXES)):
                continue
            path = os.path.join(folder, name)
            if not ignorer.ignored_in_walk(os.path.join(absolute, name), name, is_dir=False):
                yield Path(path)  # a symlink that leads nowhere too: reading it fails, and the user is told


def _walk(top: str, record: WalkRecord | None) -> Iterator[tuple[str, list[str], list[str]]]:
    """`os.walk(top)` top-down without following symlinked folders; the caller may prune the
    folders it is given. With `record`, each folder's mtime is taken before it is listed."""
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            if record is not None:
                record.folders[os.path.abspath(folder)] = os.stat(folder).st_mtime_ns
            entries = list(os.scandir(folder))
        except OSError:
            continue
        folders: list[str] = []
        files: list[str] = []
        for entry in entries:
            try:
                is_folder = entry.is_dir()
            except OSError:
                is_folder = False
            (folders if is_folder else files).append(entry.name)
            if record is not None and entry.is_symlink():
                record.links[os.path.abspath(entry.path)] = [is_folder, os.path.exists(entry.path)]
        yield folder, folders, files
        for name in reversed(folders):
            path = os.path.join(folder, name)
            if not os.path.islink(path):
                stack.append(path)


class GitIgnore:
    """A gitignore spec that answers "matches no pattern at all" — most paths — with one compiled
    regex, the alternation of every pattern, instead of pathspec's loop over the patterns; a path
    that matches some pattern goes to pathspec, which decides with git's precedence rules."""

    def __init__(self, spec: pathspec.GitIgnoreSpec) -> None:
        self.spec = spec
        self.patterns = spec.patterns
        self._any = _alternation(spec)

    def match_file(self, path: str) -> bool:
        if self._any is not None and not path.startswith(("/", "./")) and self._any.match(path) is None:
            return False
        return bool(self.spec.match_file(path))


_NAMED_GROUP = re.compile(r"\(\?P<[^>]*>")


def _alternation(spec: pathspec.GitIgnoreSpec) -> re.Pattern[str] | None:
    """One regex that matches where any pattern of the spec matches; None when the patterns are
    not all plain anchored regexes (then every path goes to pathspec)."""
    bodies: list[str] = []
    flags = set()
    for pattern in spec.patterns:
        if getattr(pattern, "include", None) is None:
            continue  # a comment or blank line: matches nothing
        regex = getattr(pattern, "regex", None)
        if not isinstance(regex, re.Pattern) or not regex.pattern.startswith("^") or "(?P=" in regex.pattern:
            return None
        flags.add(regex.flags)
        bodies.append(_NAMED_GROUP.sub("(?:", regex.pattern[1:]))
    if len(flags) > 1:
        return None
    if not bodies:
        return re.compile(r"(?!)")  # no pattern: nothing matches
    try:
        return re.compile("^(?:" + "|".join(f"(?:{body})" for body in bodies) + ")", flags.pop())
    except re.error:
        return None


def _spec(lines: Sequence[str]) -> GitIgnore:
    """A gitignore matcher that skips lines git itself would ignore as invalid (a bare `!`)."""
    return GitIgnore(_pathspec(lines))


def _pathspec(lines: Sequence[str]) -> pathspec.GitIgnoreSpec:
    import pathspec  # only when a walk must match patterns: a reused listing needs none

    try:
        return pathspec.GitIgnoreSpec.from_lines(lines)
    except Exception:  # pathspec raises its own errors for malformed patterns
        valid = []
        for line in lines:
            try:
                pathspec.GitIgnoreSpec.from_lines([line])
            except Exception:
                continue
            valid.append(line)
        return pathspec.GitIgnoreSpec.from_lines(valid)


def _is_under(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


def in_package(path: Path) -> bool:
    return (path.parent / "__init__.py").is_file()


def relative_posix(root: Path, path: Path) -> str:
    try:
        return Path(os.path.abspath(path)).relative_to(os.path.abspath(root)).as_posix()
    except ValueError:
        return path.as_posix()


def unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
