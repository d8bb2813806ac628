"""Bad input never stops a run: each bad file is reported once, as an MLD001 finding or a notice,
every other file is still checked, and the exit code says what DESIGN.md says.

Exit codes: 1 when a finding at or above `--fail-on` remains (MLD001 is an error, so an unparseable
file fails the run); notices (a skipped, unreadable or oversized file) never change it; 2 for a
configuration mldebt cannot use; 3 only for a bug in mldebt.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import mldebt.runner as runner
from mldebt.notebooks import NotebookError, read_notebook
from mldebt.source import split_lines

DEAD = "if False:\n    old()\n"

# name -> (bytes, the MLD001 line, a phrase of its message)
UNPARSEABLE: dict[str, tuple[bytes, int, str]] = {
    "syntax.py": (b"import os\n\ndef f(:\n    pass\n", 3, "SyntaxError: invalid syntax"),
    "python2.py": (b"import os\nprint 'accuracy', acc\nexec 'x = 1'\n", 2, "Missing parentheses in call to 'print'"),
    "python2_except.py": (b"try:\n    pass\nexcept Exception, e:\n    pass\n", 3, "SyntaxError"),
    "null_byte.py": (b"x = 1\x00\n", 1, "NUL bytes"),
    "invalid_utf8.py": (b"x = 1\ny = '\xff\xfe'\n", 2, "not valid utf-8"),
    "latin1_without_cookie.py": (b"x = 1\r\n\r\nname = '\xe9t\xe9'\r\n", 3, "not valid utf-8"),
    "wrong_cookie.py": (b"# -*- coding: ascii -*-\nx = '\xc3\xa9'\n", 2, "not valid ascii"),
    "unknown_cookie.py": (b"# -*- coding: klingon -*-\nx = 1\n", 1, "unknown encoding: klingon"),
    "bom_and_cookie.py": (b"\xef\xbb\xbf# coding: latin-1\nx = 1\n", 1, "byte order mark"),
    "utf16.py": ("x = 1\n".encode("utf-16"), 1, "not valid UTF-8"),
    "binary.py": (bytes(range(256)) * 16, 1, "binary file"),
    "elf.py": (b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x03\x00", 1, "binary file"),
    "lone_cr_error.py": (b"x = 1\ry = 2\rz = (\r", 3, "'(' was never closed"),
    "block_missing_at_end.py": (b"class A:\n    def f(self):", 2, "expected an indented block"),
    "mixed_tabs.py": (b"if True:\n\tx = 1\n        y = 2\n", 3, "inconsistent use of tabs and spaces"),
    "deep_brackets.py": (b"x = " + b"[" * 1000 + b"]" * 1000 + b"\n", 1, "too many nested parentheses"),
    "deep_unary.py": (b"x = " + b"-" * 100_000 + b"1\n", 1, "nested too deeply"),
    "deep_lambdas.py": (b"x = " + b"lambda: " * 20_000 + b"1\n", 1, "nested too deeply"),
    "long_sum.py": (b"x = " + b" + ".join(b"a%d" % i for i in range(20_000)) + b"\n", 1, "nested too deeply"),
}

# name -> (bytes, the line of the MLD504 `if False:` found in it): odd but valid files are checked.
CHECKED: dict[str, tuple[bytes, int]] = {
    "bom.py": (b"\xef\xbb\xbfimport os\nif False:\n    pass\n", 2),
    "crlf.py": (b"import os\r\n\r\nif False:\r\n    pass\r\n", 3),
    "lone_cr.py": (b"import os\r\rif False:\r    pass\r", 3),
    "tabs_and_form_feeds.py": (b"\x0cimport os\n\x0c\ndef f():\n\tif False:\n\t\tpass\n\x0c\n", 4),
    "latin1_cookie.py": (b"# -*- coding: latin-1 -*-\nNAME = '\xe9'\nif False:\n    pass\n", 3),
    "trailing_backslash_continuation.py": (b"x = 1 + \\\n    2\nif False:\n    pass\n", 3),
}


def _findings(outcome) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    return outcome.json()["findings"]


def test_every_bad_file_is_one_finding_inside_the_file_and_the_rest_is_checked(write, mldebt) -> None:
    files: dict[str, str | bytes] = {name: data for name, (data, _, _) in UNPARSEABLE.items()}
    files.update({name: data for name, (data, _) in CHECKED.items()})
    files.update({"empty.py": b"", "only_a_comment.py": b"# nothing here\n", "dead.py": DEAD})
    write(files)
    outcome = mldebt("check", "--format", "json", "--select", "MLD001,MLD504")
    assert outcome.exit_code == 1  # MLD001 is an error
    report = outcome.json()
    assert report["errors"] == [] and report["notices"] == []
    by_path: dict[str, list[dict[str, Any]]] = {}
    for finding in report["findings"]:
        by_path.setdefault(finding["path"], []).append(finding)

    for name, (data, line, phrase) in UNPARSEABLE.items():
        [finding] = by_path.pop(name)  # reported once
        assert finding["code"] == "MLD001", name
        assert finding["line"] == line, (name, finding)
        assert phrase in finding["message"], (name, finding["message"])
        _assert_inside(data, finding)
    for name, (_, line) in CHECKED.items():
        assert [(f["code"], f["line"]) for f in by_path.pop(name)] == [("MLD504", line)], name
    assert [(f["code"], f["line"]) for f in by_path.pop("dead.py")] == [("MLD504", 1)]
    assert by_path == {}  # the empty file and the comment have nothing to report
    assert report["summary"]["files"] == len(files)


def _assert_inside(data: bytes, finding: dict[str, Any]) -> None:
    lines = split_lines(data.decode("utf-8", "replace"))
    assert 1 <= finding["line"] <= max(len(lines), 1)
    assert 1 <= finding["column"] <= len(lines[finding["line"] - 1]) + 1


def test_positions_in_odd_line_endings_and_tabs(write, mldebt) -> None:
    """Columns count code points; a tab and a form feed are one each; `\\r` alone ends a line."""
    write(
        {
            "a.py": b"\x0cimport os\r\rdef f():\r\tif False:\r\t\tpass\r",
            "b.py": b"s = '\xc3\xa9\xc3\xa9'; if x: pass\n",
            "c.py": b"x = 1\r\r\tif False:\r\t\tpass\r",
        }
    )
    findings = _findings(mldebt("check", "--format", "json", "--select", "MLD001,MLD504"))
    assert [(f["path"], f["line"], f["column"], f["code"]) for f in findings] == [
        ("a.py", 4, 2, "MLD504"),
        ("b.py", 1, 11, "MLD001"),
        ("c.py", 3, 1, "MLD001"),  # unexpected indent
    ]


def test_an_empty_project_and_an_empty_file_pass(write, mldebt) -> None:
    write({"empty.py": ""})
    outcome = mldebt("check", "--format", "json")
    assert outcome.exit_code == 0
    assert outcome.json()["summary"]["files"] == 1


def test_a_huge_file_is_skipped_with_a_notice(write, mldebt) -> None:
    write({"generated.py": b"x = 1\n" * (20 * 1024 * 1024 // 6), "dead.py": DEAD})
    outcome = mldebt("check", "--format", "json")
    assert outcome.exit_code == 1  # the finding in dead.py; the notice changes nothing
    [notice] = outcome.json()["notices"]
    assert notice["path"] == "generated.py" and "max-file-size" in notice["message"]
    assert [f["path"] for f in _findings(outcome)] == ["dead.py"]


def test_the_size_limit_is_configurable(write, mldebt) -> None:
    write({"mldebt.toml": "max-file-size = 30\n", "dead.py": DEAD, "long.py": "x = 1\n" * 10})
    outcome = mldebt("check", "--format", "json")
    assert [n["path"] for n in outcome.json()["notices"]] == ["long.py"]
    assert outcome.exit_code == 1
    write({"mldebt.toml": 'max-file-size = "big"\n'})
    refused = mldebt("check")
    assert refused.exit_code == 2 and "max-file-size" in refused.stderr and "mldebt.toml" in refused.stderr


# --- The file system ---------------------------------------------------------------------------


def test_symlink_loops_and_dangling_links(write, mldebt, tmp_path: Path) -> None:
    write({"pkg/model.py": DEAD})
    (tmp_path / "pkg" / "loop").symlink_to(tmp_path / "pkg")  # a folder that contains itself
    (tmp_path / "pkg" / "up").symlink_to(tmp_path)
    (tmp_path / "dangling.py").symlink_to(tmp_path / "missing.py")
    (tmp_path / "ping.py").symlink_to(tmp_path / "pong.py")
    (tmp_path / "pong.py").symlink_to(tmp_path / "ping.py")
    outcome = mldebt("check", "--format", "json")
    assert outcome.exit_code == 1
    assert [(f["code"], f["path"]) for f in _findings(outcome)] == [("MLD504", "pkg/model.py")]  # once, not per loop
    notices = {n["path"]: n["message"] for n in outcome.json()["notices"]}
    assert set(notices) == {"dangling.py", "ping.py", "pong.py"}
    assert "No such file or directory" in notices["dangling.py"]
    assert all("symbolic link that leads nowhere" in message for message in notices.values())
    # Named on the command line, the looping folder is walked once, under the name it was given.
    write({"mldebt.toml": ""})
    assert [f["path"] for f in _findings(mldebt("check", "--format", "json", "pkg/loop"))] == ["pkg/loop/model.py"]


def test_a_file_deleted_during_the_run_is_a_notice(write, mldebt, monkeypatch, tmp_path: Path) -> None:
    write({"gone.py": DEAD, "dead.py": DEAD})
    real = runner.discover

    def discover_then_delete(*args, **kwargs):  # type: ignore[no-untyped-def]
        found = list(real(*args, **kwargs))
        (tmp_path / "gone.py").unlink()  # listed, then deleted before it is read
        yield from found

    monkeypatch.setattr(runner, "discover", discover_then_delete)
    outcome = mldebt("check", "--format", "json", "--no-cache")  # the walk itself, not a cached listing
    assert outcome.exit_code == 1
    assert outcome.json()["notices"] == [{"path": "gone.py", "message": "cannot be read (No such file or directory); skipped"}]
    assert [f["path"] for f in _findings(outcome)] == ["dead.py"]


def test_an_unreadable_file_is_a_notice(write, mldebt, monkeypatch) -> None:
    """Tests run as root, where chmod does not stop a read: the error is injected."""
    write({"locked.py": DEAD, "dead.py": DEAD})
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "locked.py":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    outcome = mldebt("check", "--format", "json")
    assert outcome.exit_code == 1
    assert outcome.json()["notices"] == [{"path": "locked.py", "message": "cannot be read (Permission denied); skipped"}]
    assert [f["path"] for f in _findings(outcome)] == ["dead.py"]


# --- File names --------------------------------------------------------------------------------

ODD_NAMES = ["ünïcödé/módel.py", "with space/my file.py", "colon:name.py", "new\nline.py", "tab\there.py"]


def test_odd_file_names_in_every_output(write, mldebt) -> None:
    write({name: DEAD for name in ODD_NAMES})
    outcome = mldebt("check", "--format", "json")
    assert sorted(f["path"] for f in _findings(outcome)) == sorted(ODD_NAMES)

    text = mldebt("check", "--format", "text", "--no-source").stdout.splitlines()
    # One line per finding, whatever the name: control characters are escaped, `:` is left as is.
    assert {line.split(" MLD504")[0] for line in text if " MLD504 " in line} == {
        "ünïcödé/módel.py:1:1", "with space/my file.py:1:1", "colon:name.py:1:1", "new\\nline.py:1:1", "tab\\there.py:1:1"
    }

    github = mldebt("check", "--format", "github").stdout.splitlines()
    files = {line.split("file=")[1].split(",")[0] for line in github}
    assert files == {"ünïcödé/módel.py", "with space/my file.py", "colon%3Aname.py", "new%0Aline.py", "tab\there.py"}

    sarif = json.loads(mldebt("check", "--format", "sarif").stdout)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert uris == {
        "%C3%BCn%C3%AFc%C3%B6d%C3%A9/m%C3%B3del.py", "with%20space/my%20file.py", "colon%3Aname.py", "new%0Aline.py",
        "tab%09here.py",
    }


def test_an_undecodable_file_name(write, mldebt, tmp_path: Path) -> None:
    """Bytes that are not UTF-8 in a name reach the outputs as U+FFFD (JSON, text) or an escape."""
    (tmp_path / b"latin\xe9.py".decode("utf-8", "surrogateescape")).write_text(DEAD)
    outcome = mldebt("check", "--format", "json")
    assert outcome.exit_code == 1
    assert [f["path"] for f in _findings(outcome)] == ["latin\ufffd.py"]
    sarif = json.loads(mldebt("check", "--format", "sarif").stdout)
    assert sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "latin%E9.py"


# --- Configuration -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("setting", "key"),
    [
        ("select = 5", "select"),
        ("exclude = [1, 2]", "exclude"),
        ('fail-on = "fatal"', "fail-on"),
        ("max-file-size = -1", "max-file-size"),
        ('per-file-ignores = "tests/*"', "per-file-ignores"),
        ("severity = 3", "severity"),
        ("colour = true", "colour"),
    ],
)
def test_a_wrong_type_for_a_key_is_exit_2_naming_it(write, mldebt, setting: str, key: str) -> None:
    write({"pyproject.toml": f"[project]\nname = 'x'\n\n[tool.mldebt]\n{setting}\n", "a.py": DEAD})
    outcome = mldebt("check")
    assert outcome.exit_code == 2
    assert f"`{key}`" in outcome.stderr and "pyproject.toml" in outcome.stderr


def test_invalid_toml_that_may_hold_our_settings_is_exit_2(write, mldebt) -> None:
    write({"pyproject.toml": "[tool.mldebt]\nselect = [MLD5\n", "a.py": DEAD})
    outcome = mldebt("check")
    assert outcome.exit_code == 2
    assert "pyproject.toml: invalid TOML" in outcome.stderr and "line 2" in outcome.stderr
    write({"pyproject.toml": "[project]\nname = 'x'\n", "mldebt.toml": "select = ["})
    assert mldebt("check").exit_code == 2  # mldebt.toml is ours whatever it says


def test_a_broken_pyproject_without_our_settings_is_passed_over(write, mldebt) -> None:
    """A repository under check may carry a broken pyproject.toml. TOML is all or nothing, but one
    that never mentions mldebt cannot hold our settings: the run goes on, with a notice."""
    write({"pyproject.toml": "[project\nname = 'x'\n", "dead.py": DEAD})
    outcome = mldebt("check", "--format", "json")
    assert outcome.exit_code == 1
    [notice] = outcome.json()["notices"]
    assert notice["path"].endswith("pyproject.toml") and "not valid TOML" in notice["message"]
    assert [f["path"] for f in _findings(outcome)] == ["dead.py"]


# --- Notebooks ---------------------------------------------------------------------------------
# Whatever the JSON, the reader gives the joined code or raises NotebookError, which `check` turns
# into one MLD001 for the notebook; nothing else.


def test_broken_notebooks_are_one_mld001_each_and_the_run_goes_on(write, mldebt) -> None:
    good = '{"cells": [{"cell_type": "code", "source": ["if False:\\n", "    pass\\n"]}], "metadata": {}}'
    write(
        {
            "broken.ipynb": "{",
            "deep.ipynb": "[" * 100_000 + "]" * 100_000,
            "no_cells.ipynb": '{"metadata": {}}',
            "odd_source.ipynb": '{"cells": [{"cell_type": "code", "source": 5}]}',
            "binary.ipynb": bytes(range(256)),
            "good.ipynb": good,
        }
    )
    outcome = mldebt("check", "--format", "json", "--select", "MLD001,MLD504")
    assert outcome.exit_code == 1
    assert [(f["code"], f["path"], f["line"]) for f in _findings(outcome)] == [
        ("MLD001", "binary.ipynb", 1),
        ("MLD001", "broken.ipynb", 1),
        ("MLD001", "deep.ipynb", 1),
        ("MLD504", "good.ipynb", 1),
        ("MLD001", "no_cells.ipynb", 1),
        ("MLD001", "odd_source.ipynb", 1),
    ]
    assert outcome.json()["errors"] == [] and outcome.json()["notices"] == []


@pytest.mark.parametrize(
    "text",
    [
        "",
        "{",
        "not json at all",
        "[" * 100_000 + "]" * 100_000,
        "null",
        '"a string"',
        "[1, 2]",
        "{}",
        '{"cells": {}}',
        '{"cells": [1]}',
        '{"cells": [{"cell_type": "code", "source": 5}]}',
        '{"cells": [{"cell_type": "code", "source": ["a = 1", 2]}]}',
        '{"worksheets": [{"cells": 5}]}',
        '{"worksheets": 5}',
    ],
)
def test_a_broken_notebook_is_a_notebook_error(text: str) -> None:
    with pytest.raises(NotebookError):
        read_notebook(text)


@pytest.mark.parametrize(
    "text",
    [
        '{"cells": []}',
        '{"cells": [{"cell_type": "code"}]}',
        '{"cells": [{"cell_type": ["code"], "source": "x"}]}',
        '{"cells": [{"source": "x"}, {"cell_type": "markdown"}]}',
        '{"worksheets": [{"cells": [{"cell_type": "code", "input": "a = 1"}]}, 7]}',
    ],
)
def test_an_odd_but_readable_notebook_is_read(text: str) -> None:
    assert isinstance(read_notebook(text).code, str)
