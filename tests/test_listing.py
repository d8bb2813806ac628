"""The cached file listing: reused while nothing the walk saw has changed, walked again otherwise."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import mldebt.listing as listing_module
from mldebt.discovery import DEFAULT_EXCLUDES, discover
from mldebt.listing import Listing

OLD = 1_600_000_000_000_000_000  # long before any walk: not racy


def _age(root: Path, stamp: int = OLD) -> None:
    """Every folder and file of the tree an old mtime, as a repository checked out long ago has."""
    for folder, folders, files in os.walk(root):
        for name in files:
            os.utime(os.path.join(folder, name), ns=(stamp, stamp), follow_symlinks=False)
        os.utime(folder, ns=(stamp, stamp))


@pytest.fixture
def walks(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The roots actually walked (not taken from the listing)."""
    seen: list[Path] = []

    def counting(root, patterns, start=None, wanted=None, record=None):  # type: ignore[no-untyped-def]
        seen.append(root)
        return discover(root, patterns, start, wanted, record)

    monkeypatch.setattr(listing_module, "discover", counting)
    return seen


def _tree(root: Path) -> Path:
    for name, text in {
        "a.py": "", "pkg/__init__.py": "", "pkg/b.py": "", "build/gen.py": "", "logs/x.py": "",
        "pkg/deep/c.py": "", ".gitignore": "logs/\n", "requirements.txt": "numpy\n",
    }.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    _age(root)
    return root


def _list(root: Path, cache: Path) -> list[str]:
    listing = Listing(cache)
    found = listing.discover(root, DEFAULT_EXCLUDES, lambda name: name.endswith((".py", ".txt")), "test")
    cache.mkdir(exist_ok=True)
    listing.save()
    return [path.relative_to(root).as_posix() for path in found]


def test_an_unchanged_tree_is_listed_without_a_walk(tmp_path: Path, walks: list[Path]) -> None:
    root = _tree(tmp_path / "project")
    cache = tmp_path / "cache"
    first = _list(root, cache)
    assert first == ["a.py", "requirements.txt", "pkg/__init__.py", "pkg/b.py", "pkg/deep/c.py"]
    assert len(walks) == 1
    assert _list(root, cache) == first
    assert len(walks) == 1


def test_a_new_file_an_edited_gitignore_or_a_changed_link_means_a_walk(tmp_path: Path, walks: list[Path]) -> None:
    root = _tree(tmp_path / "project")
    cache = tmp_path / "cache"
    _list(root, cache)
    (root / "pkg" / "deep" / "new.py").write_text("")
    _age(root, OLD + 10)
    assert "pkg/deep/new.py" in _list(root, cache)
    assert len(walks) == 2
    (root / ".gitignore").write_text("logs/\npkg/deep/\n")  # edited in place: the folder's mtime may stay
    _age(root, OLD + 10)
    os.utime(root / ".gitignore", ns=(OLD + 20, OLD + 20))
    assert "pkg/deep/c.py" not in _list(root, cache)
    assert len(walks) == 3
    target = tmp_path / "elsewhere.py"
    target.write_text("")
    os.symlink(target, root / "link.py")
    _age(root, OLD + 30)
    assert "link.py" in _list(root, cache)
    target.unlink()  # the link breaks: no folder of the project changes, yet the walk is redone
    assert "link.py" in _list(root, cache)  # still listed: reading it fails, and the run says so
    assert len(walks) == 5


def test_a_walk_over_a_folder_changed_just_now_is_not_kept(tmp_path: Path, walks: list[Path]) -> None:
    root = _tree(tmp_path / "project")
    (root / "fresh.py").write_text("")  # the root's mtime is now
    cache = tmp_path / "cache"
    _list(root, cache)
    assert not (cache / listing_module.LISTING_FILE).exists()
    assert "fresh.py" in _list(root, cache)
    assert len(walks) == 2


def test_other_patterns_are_another_listing(tmp_path: Path, walks: list[Path]) -> None:
    root = _tree(tmp_path / "project")
    cache = tmp_path / "cache"
    _list(root, cache)
    other = Listing(cache).discover(root, [*DEFAULT_EXCLUDES, "pkg/"], lambda name: name.endswith(".py"), "test")
    assert [path.name for path in other] == ["a.py"]
    assert len(walks) == 2
