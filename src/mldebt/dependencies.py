"""The project's dependency files: which packages they declare, and how tightly.

Read as text in the project phase, never executed: `setup.py` is read with `ast`,
`pyproject.toml` with `tomllib`, `environment.yml` and `setup.cfg` line by line (so every
requirement keeps its line). What cannot be read as a dependency file declares nothing.

A requirement is *bounded* when some clause of its specifier caps the version: `==`, `===`,
`~=`, `<`, `<=` (pip), Poetry's `^`/`~` and bare versions, conda's `=` pin and `name version`.
`>=`, `>`, `!=` alone, `*`, or a bare name leave it open.
"""

from __future__ import annotations

import ast
import fnmatch
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from dataclasses import dataclass
from pathlib import PurePosixPath

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10
    import tomli as tomllib

# Files that declare dependencies, by file name.
DEPENDENCY_FILE_PATTERNS = (
    "requirements*.txt",
    "requirements*.in",
    "pyproject.toml",
    "setup.cfg",
    "setup.py",
    "environment.yml",
    "environment.yaml",
    "conda.yml",
    "conda.yaml",
)
# Files that pin the whole environment.
LOCK_FILE_PATTERNS = (
    "*.lock",
    "requirements*.lock",
    "poetry.lock",
    "uv.lock",
    "Pipfile.lock",
    "pdm.lock",
    "conda-lock.yml",
    "conda-lock.yaml",
    "*.conda-lock.yml",
)


def is_dependency_file(name: str) -> bool:
    return any(fnmatch.fnmatch(name, pattern) for pattern in DEPENDENCY_FILE_PATTERNS)


def is_lock_file(name: str) -> bool:
    return any(fnmatch.fnmatch(name, pattern) for pattern in LOCK_FILE_PATTERNS)


@dataclass(frozen=True)
class Requirement:
    """One declared package: its normalised name, its version specifier, and where it is."""

    name: str
    specifier: str
    line: int
    bounded: bool


@dataclass(frozen=True)
class DependencyFile:
    """A dependency file of the project and the packages it declares.

    `compiled` marks a requirements file that is itself a lock: `pip-compile`/`uv pip compile`
    output (its header says so), or one where every requirement is `==`-pinned with `--hash`.
    `distribution` marks package metadata: a `setup.py`, a `pyproject.toml` with a `[project]` or
    `[tool.poetry]` table, a `setup.cfg` with `[metadata]`: its folder holds a distributable
    project. `published` marks such metadata that declares PyPI trove classifiers: a distribution
    published for others, whose ranges its users resolve.
    """

    path: str
    requirements: tuple[Requirement, ...] = ()
    compiled: bool = False
    published: bool = False
    distribution: bool = False


def normalise_name(name: str) -> str:
    """A distribution name as PEP 503 compares them: `Scikit_Learn` -> `scikit-learn`."""
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_dependency_file(path: str, text: str) -> DependencyFile:
    """The packages a dependency file declares (nothing when it cannot be read as one)."""
    name = PurePosixPath(path).name
    if fnmatch.fnmatch(name, "requirements*.txt") or fnmatch.fnmatch(name, "requirements*.in"):
        requirements, compiled = _requirements_txt(text)
        return DependencyFile(path, requirements, compiled)
    if name == "pyproject.toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            return DependencyFile(path)
        tool = data.get("tool")
        tables = [table for table in (data.get("project"), tool.get("poetry") if isinstance(tool, dict) else None)
                  if isinstance(table, dict)]  # fmt: skip
        published = any(bool(table.get("classifiers")) for table in tables)
        return _read(path, lambda: _pyproject(data, text), distribution=bool(tables), published=published)
    if name == "setup.py":
        published = re.search(r"\bclassifiers\s*=\s*[\[(A-Za-z_]", text) is not None
        return _read(path, lambda: _setup_py(text), distribution=True, published=published)
    if name == "setup.cfg":
        metadata = re.search(r"(?m)^\[metadata\]", text) is not None
        published = re.search(r"^classifiers\s*=", text, re.MULTILINE) is not None
        return _read(path, lambda: _setup_cfg(text), distribution=metadata, published=metadata and published)
    if name.endswith((".yml", ".yaml")):
        return _read(path, lambda: _environment_yml(text))
    return DependencyFile(path)


def _read(
    path: str, requirements: Callable[[], Iterable[Requirement]], distribution: bool = False, published: bool = False
) -> DependencyFile:
    try:
        return DependencyFile(path, tuple(requirements()), published=published, distribution=distribution)
    except (ValueError, SyntaxError, RecursionError, MemoryError):  # not readable as one: declares nothing
        return DependencyFile(path, distribution=distribution)


# --- Specifiers -------------------------------------------------------------------------------

_OPERATOR = re.compile(r"\s*(===|==|~=|!=|<=|>=|<|>)")
_BOUNDING = frozenset({"===", "==", "~=", "<", "<="})
_PEP508 = re.compile(r"^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(\[[^\]]*\])?\s*(.*)$", re.DOTALL)


def pip_bounded(specifier: str) -> bool:
    """Whether a PEP 440 specifier (`>=1.2,<2`) caps the version: one bounding clause is enough."""
    for clause in specifier.split(","):
        match = _OPERATOR.match(clause)
        if match is not None and match.group(1) in _BOUNDING:
            return True
    return False


def poetry_bounded(constraint: str) -> bool:
    """Poetry constraints: `^1.2` (<2.0), `~1.2` (<1.3) and a bare `1.2.3` (exact) bound; `*`
    and `>=` alone do not. `a || b` is bounded when every alternative is."""
    alternatives = [part.strip() for part in constraint.split("||")]
    return all(_poetry_clauses_bounded(alternative) for alternative in alternatives if alternative)


def _poetry_clauses_bounded(text: str) -> bool:
    for clause in re.split(r"[,\s]+(?=[<>=!~^\d])", text.strip()):
        clause = clause.strip().strip(",")
        if not clause or clause == "*":
            continue
        if clause.startswith(("^", "~")) and not clause.startswith("~="):
            return True
        if clause[0].isdigit():
            return True  # an exact version (or `1.2.*`)
        if pip_bounded(clause):
            return True
    return False


def _pep508(text: str) -> tuple[str, str] | None:
    """(name, specifier) of a PEP 508 requirement, markers and extras dropped; None for a direct
    URL reference or anything that is not a requirement."""
    text = text.split(";", 1)[0].strip()
    if not text or "@" in text or "://" in text:
        return None
    match = _PEP508.match(text)
    if match is None:
        return None
    specifier = match.group(3).strip()
    if specifier.startswith("(") and specifier.endswith(")"):
        specifier = specifier[1:-1].strip()
    if specifier and not _OPERATOR.match(specifier):
        return None  # not a specifier: a path, a wheel file name, or a typo
    return normalise_name(match.group(1)), specifier


def _requirement(text: str, line: int) -> Requirement | None:
    parsed = _pep508(text)
    if parsed is None:
        return None
    name, specifier = parsed
    return Requirement(name, specifier, line, pip_bounded(specifier))


# --- requirements*.txt ------------------------------------------------------------------------

_COMPILED_HEADER = re.compile(r"autogenerated by (pip-compile|uv)|\bpip-compile\b|\buv pip compile\b", re.IGNORECASE)
_COMMENT = re.compile(r"(^|\s)#.*$")
_ARCHIVE = (".whl", ".tar.gz", ".tgz", ".zip", ".tar.bz2")


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """(first line number, text) of each logical line: comments dropped, `\\` continuations joined."""
    pending: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = _COMMENT.sub("", raw)
        if not pending:
            start = number
        if line.rstrip().endswith("\\"):
            pending.append(line.rstrip()[:-1])
            continue
        pending.append(line)
        joined = " ".join(pending).strip()
        pending = []
        if joined:
            yield start, joined
    if pending:
        joined = " ".join(pending).strip()
        if joined:
            yield start, joined


def _requirements_txt(text: str) -> tuple[tuple[Requirement, ...], bool]:
    """The requirements of a pip requirements file, and whether the file is a lock.

    Options (`-r`, `-c`, `--index-url`, ...) and editable installs (`-e`) are skipped, and so
    are URLs, local paths and archives: what they install is fixed by the URL or the folder,
    not by a version range. A file another one includes with `-r` is a dependency file of the
    project in its own right, so it is read on its own.
    """
    header = "\n".join(text.splitlines()[:15])
    compiled = _COMPILED_HEADER.search(header) is not None
    requirements: list[Requirement] = []
    hashed = True
    for number, line in _logical_lines(text):
        if line.startswith("-"):
            continue
        words = line.split()
        has_hash = any(word.startswith("--hash") for word in words)
        specification = " ".join(word for word in words if not word.startswith("--"))
        first = specification.split(";", 1)[0].strip()
        if first.startswith((".", "/", "~")) or first.endswith(_ARCHIVE) or "://" in first or first.startswith("git+"):
            continue
        requirement = _requirement(specification, number)
        if requirement is None:
            continue
        requirements.append(requirement)
        if not (has_hash and requirement.specifier.startswith("==")):
            hashed = False
    if requirements and hashed:
        compiled = True
    return tuple(requirements), compiled


# --- pyproject.toml ---------------------------------------------------------------------------


def _pyproject(data: dict[str, Any], text: str) -> Iterator[Requirement]:
    """`[project] dependencies` (PEP 621) and Poetry's `[tool.poetry.dependencies]`. Optional
    dependencies and Poetry's groups are extras and tools for some users or tasks, not the
    environment the project runs in, so they are not read."""
    lines = text.splitlines()
    project = data.get("project")
    if isinstance(project, dict) and isinstance(project.get("dependencies"), list):
        start = _key_line(lines, "project", "dependencies")
        for entry in project["dependencies"]:
            if isinstance(entry, str):
                requirement = _requirement(entry, _string_line(lines, start, entry))
                if requirement is not None:
                    yield requirement
    tool = data.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    dependencies = poetry.get("dependencies") if isinstance(poetry, dict) else None
    if isinstance(dependencies, dict):
        for key, value in dependencies.items():
            if key.lower() == "python":
                continue
            constraints = _poetry_constraints(value)
            if not constraints:
                continue
            line = _key_line(lines, "tool.poetry.dependencies", key)
            bounded = all(poetry_bounded(constraint) for constraint in constraints)
            yield Requirement(normalise_name(key), " || ".join(constraints), line, bounded)


def _poetry_constraints(value: object) -> list[str]:
    """The version constraints of a Poetry dependency; none for git/path/url sources."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        version = value.get("version")
        return [version] if isinstance(version, str) else []
    if isinstance(value, list):
        return [constraint for item in value for constraint in _poetry_constraints(item)]
    return []


def _table_start(lines: list[str], table: str) -> int | None:
    """The 0-based index of the `[table]` header line, if there is one."""
    dotted = r"\s*\.\s*".join(re.escape(part) for part in table.split("."))
    header = re.compile(r"^\s*\[\s*" + dotted + r"\s*\]\s*(#.*)?$")
    for index, line in enumerate(lines):
        if header.match(line):
            return index
    return None


def _key_line(lines: list[str], table: str, key: str) -> int:
    """The 1-based line of `key = ...` in `[table]` (the header's line, or 1, when not found)."""
    start = _table_start(lines, table)
    if start is None:
        return 1
    pattern = re.compile(r"^\s*[\"']?" + re.escape(key) + r"[\"']?\s*=")
    for index in range(start + 1, len(lines)):
        if lines[index].lstrip().startswith("["):
            break
        if pattern.match(lines[index]):
            return index + 1
    return start + 1


def _string_line(lines: list[str], start: int, value: str) -> int:
    """The 1-based line, from `start` on, where the string `value` is written (quoted)."""
    for index in range(start - 1, len(lines)):
        if f'"{value}"' in lines[index] or f"'{value}'" in lines[index]:
            return index + 1
    return start


# --- setup.cfg --------------------------------------------------------------------------------


def _setup_cfg(text: str) -> Iterator[Requirement]:
    """`install_requires` of `[options]`: a value on the key's line and indented lines after it."""
    section = ""
    collecting = False
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            section = stripped[1:-1].strip()
            collecting = False
            continue
        if section != "options":
            continue
        if collecting and raw[:1] in (" ", "\t") and stripped:
            value = stripped
        else:
            collecting = False
            key, separator, rest = raw.partition("=")
            if raw[:1] in (" ", "\t") or not separator or key.strip().replace("-", "_") != "install_requires":
                continue
            collecting = True
            value = rest.strip()
        if not value or value.startswith(("#", ";")):
            continue
        requirement = _requirement(value, number)
        if requirement is not None:
            yield requirement


# --- setup.py ---------------------------------------------------------------------------------


def _setup_py(text: str) -> Iterator[Requirement]:
    """`install_requires=` of a `setup(...)` call: a list or tuple of strings, written in place or
    bound to a module-level name (also `A + B` of such lists). Anything computed (read from a
    file, built by a function) declares nothing here: the file it reads is read on its own."""
    tree = ast.parse(text)
    bindings: dict[str, ast.expr] = {}
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            if isinstance(statement.targets[0], ast.Name):
                bindings[statement.targets[0].id] = statement.value
        elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name) and statement.value:
            bindings[statement.target.id] = statement.value
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if called != "setup":
            continue
        for keyword in node.keywords:
            if keyword.arg == "install_requires":
                for string in _strings(keyword.value, bindings, 0):
                    requirement = _requirement(str(string.value), string.lineno)
                    if requirement is not None:
                        yield requirement


def _strings(node: ast.expr, bindings: dict[str, ast.expr], depth: int) -> list[ast.Constant]:
    if depth > 5:
        return []
    if isinstance(node, ast.List | ast.Tuple):
        return [item for item in node.elts if isinstance(item, ast.Constant) and isinstance(item.value, str)]
    if isinstance(node, ast.Name) and node.id in bindings:
        return _strings(bindings[node.id], bindings, depth + 1)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _strings(node.left, bindings, depth + 1) + _strings(node.right, bindings, depth + 1)
    return []


# --- environment.yml --------------------------------------------------------------------------

_CONDA_SPEC = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(.*)$")


def _environment_yml(text: str) -> Iterator[Requirement]:
    """The `dependencies:` list of a conda environment, with its `pip:` sub-list.

    Read line by line (conda files are plain lists), so each package keeps its line. Conda
    specs: `numpy=1.21` (a pin to 1.21.*), `numpy 1.21`, `numpy==1.21.0`, `numpy>=1.21,<2`;
    `channel::name` drops the channel. `pip:` entries are pip requirements.
    """
    inside = False
    pip_indent: int | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = _COMMENT.sub("", raw).rstrip()
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        stripped = line.strip()
        if indent == 0 and not stripped.startswith("-"):
            inside = stripped.split(":", 1)[0].strip() == "dependencies" and stripped.endswith(":")
            pip_indent = None
            continue
        if not inside or not stripped.startswith("-"):
            continue
        item = stripped[1:].strip().strip("\"'")
        if pip_indent is not None and indent <= pip_indent:
            pip_indent = None
        if pip_indent is not None:
            if item.startswith("-") or "://" in item or item.startswith((".", "/", "git+")):
                continue
            requirement = _requirement(item, number)
            if requirement is not None:
                yield requirement
            continue
        if item.rstrip(":") == "pip" and item.endswith(":"):
            pip_indent = indent
            continue
        requirement = _conda_requirement(item, number)
        if requirement is not None:
            yield requirement


def _conda_requirement(item: str, line: int) -> Requirement | None:
    item = item.split("::", 1)[-1].strip()
    match = _CONDA_SPEC.match(item)
    if match is None or item.endswith(":"):
        return None
    name, specifier = match.group(1), match.group(2).strip()
    if specifier.startswith("=") and not specifier.startswith("=="):
        bounded = True  # conda's `=1.21` pins to 1.21.*
    elif specifier[:1].isdigit():
        bounded = True  # `numpy 1.21`: a version, as `=` reads it
    else:
        bounded = pip_bounded(specifier)
    return Requirement(normalise_name(name), specifier, line, bounded)
