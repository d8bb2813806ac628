"""The one-regex pre-check of gitignore matching never changes pathspec's answer."""

from __future__ import annotations

import itertools
import random

import pathspec

from mldebt.discovery import GitIgnore, _alternation

PATTERNS = [
    "*.pyc", "__pycache__/", "/build", "dist/", "!dist/keep.py", "docs/**/generated", "**/logs", "*.egg-info/",
    "data/*.csv", "!data/small.csv", "secret[0-9].py", "a/**/b", "\\#notes", "\\!bang", "trailing\\ ", "*",
    "!*.py", "!*/", "lightning_logs/", "/root_only.py", "name?.txt", "# a comment", "", "   ", "!", "*.ipynb_checkpoints",
    "foo/", "!foo/bar/", "**/", "x/**", ".env*", "[!a]b.py",
]
PATHS = [
    "a.py", "a.pyc", "__pycache__/", "pkg/__pycache__/", "pkg/__pycache__/m.pyc", "build", "build/", "src/build/",
    "dist/", "dist/keep.py", "dist/other.py", "docs/x/y/generated", "docs/generated", "logs", "deep/er/logs/",
    "x.egg-info/", "data/big.csv", "data/small.csv", "data/sub/big.csv", "secret1.py", "secretx.py", "a/b",
    "a/x/y/b", "#notes", "!bang", "trailing ", "root_only.py", "sub/root_only.py", "name1.txt", "name12.txt",
    "foo/", "foo/bar/", "foo/bar/baz.py", "x/", "x/y.py", ".env", ".envrc", "bb.py", "ab.py", "lightning_logs/",
    "very/deep/path/to/file.py", "ünïcode/日本.py",
]


def _agrees(lines: list[str]) -> None:
    exact = pathspec.GitIgnoreSpec.from_lines(lines)
    fast = GitIgnore(exact)
    for path in PATHS:
        assert fast.match_file(path) == bool(exact.match_file(path)), (lines, path)


def test_every_single_pattern_agrees() -> None:
    for pattern in PATTERNS:
        try:
            _agrees([pattern])
        except Exception as error:  # pathspec rejects a few lines (a bare `!`); discovery skips them
            assert pattern == "!", error


def test_random_pattern_lists_agree() -> None:
    generator = random.Random(3)
    valid = [p for p in PATTERNS if p != "!"]
    for _ in range(300):
        _agrees(generator.sample(valid, generator.randint(1, 8)))
    for pair in itertools.permutations(["*", "!*.py", "!*/", "dist/", "!dist/keep.py", "foo/", "!foo/bar/"], 2):
        _agrees(list(pair))


def test_the_pre_check_is_built_for_ordinary_gitignores() -> None:
    assert _alternation(pathspec.GitIgnoreSpec.from_lines(["*.pyc", "!keep.pyc", "build/"])) is not None
