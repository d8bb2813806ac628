"""`mldebt check` end to end: discovery, exit codes, selection, suppression, bad input."""

from __future__ import annotations

from pathlib import Path

DEAD = "if False:\n    old()\n"
CLEAN = "def f(x):\n    return x + 1\n"


def test_findings_exit_1_and_clean_exit_0(write, mldebt) -> None:
    write({"dead.py": DEAD})
    outcome = mldebt("check", "--format", "json")
    assert outcome.exit_code == 1
    assert outcome.codes() == [("MLD504", "dead.py", 1)]
    (Path.cwd() / "dead.py").write_text(CLEAN)
    assert mldebt("check").exit_code == 0


def test_exit_zero_and_fail_on(write, mldebt) -> None:
    write({"dead.py": DEAD})
    assert mldebt("check", "--exit-zero").exit_code == 0
    assert mldebt("check", "--fail-on", "error").exit_code == 0
    assert mldebt("check", "--fail-on", "info").exit_code == 1


def test_bad_files_become_mld001_and_the_run_goes_on(write, mldebt) -> None:
    write(
        {
            "broken.py": "def f(:\n    pass\n",
            "latin.py": b"x = '\xe9t\xe9'\n",
            "binary.py": b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x03\x00",
            "empty.py": "",
            "dead.py": DEAD,
        }
    )
    outcome = mldebt("check", "--format", "json")
    assert outcome.exit_code == 1
    assert outcome.codes() == [
        ("MLD001", "binary.py", 1),
        ("MLD001", "broken.py", 1),
        ("MLD504", "dead.py", 1),
        ("MLD001", "latin.py", 1),
    ]
    broken = next(f for f in outcome.json()["findings"] if f["path"] == "broken.py")
    assert broken["column"] == 7 and "SyntaxError" in broken["message"]


def test_syntax_error_position_is_cpythons(write, mldebt) -> None:
    write({"py2.py": "import os\n\nprint 'hello'\n"})
    [finding] = mldebt("check", "--format", "json").json()["findings"]
    assert (finding["line"], finding["code"]) == (3, "MLD001")


def test_coding_cookie_and_bom_are_honoured(write, mldebt) -> None:
    write(
        {
            "latin.py": "# -*- coding: latin-1 -*-\n".encode() + b"NAME = '\xe9'\nif False:\n    pass\n",
            "bom.py": b"\xef\xbb\xbfif False:\n    pass\n",
        }
    )
    assert mldebt("check", "--format", "json").codes() == [("MLD504", "bom.py", 1), ("MLD504", "latin.py", 3)]


def test_select_ignore_by_code_prefix_and_name(write, mldebt) -> None:
    write({"dead.py": DEAD, "broken.py": "def f(:\n"})
    assert {c for c, _, _ in mldebt("check", "--format", "json", "--select", "MLD5").codes()} == {"MLD504"}
    assert {c for c, _, _ in mldebt("check", "--format", "json", "--ignore", "dead-experimental-codepath").codes()} == {
        "MLD001"
    }
    assert mldebt("check", "--format", "json", "--ignore", "MLD5,MLD0").codes() == []


def test_unknown_selector_is_a_usage_error(write, mldebt) -> None:
    write({"a.py": CLEAN})
    outcome = mldebt("check", "--select", "MLD999")
    assert outcome.exit_code == 2
    assert "MLD999" in outcome.stderr


def test_noqa_suppresses_only_our_codes(write, mldebt) -> None:
    write(
        {
            "a.py": """
            if False:  # noqa: MLD504
                pass
            if False:  # noqa: E501
                pass
            if False:  # noqa: dead-experimental-codepath
                pass
            """
        }
    )
    assert mldebt("check", "--format", "json").codes() == [("MLD504", "a.py", 3)]


def test_file_level_noqa_and_per_file_ignores(write, mldebt) -> None:
    write(
        {
            "pyproject.toml": '[tool.mldebt]\nper-file-ignores = { "legacy/*" = ["MLD504"] }\n',
            "a.py": "# mldebt: noqa: MLD5\n" + DEAD,
            "legacy/old.py": DEAD,
            "b.py": DEAD,
        }
    )
    assert mldebt("check", "--format", "json").codes() == [("MLD504", "b.py", 1)]


def test_config_select_and_cli_override(write, mldebt) -> None:
    write({"mldebt.toml": 'ignore = ["MLD504"]\n', "a.py": DEAD})
    assert mldebt("check").exit_code == 0
    assert mldebt("check", "--config", str(Path.cwd() / "mldebt.toml"), "--extend-select", "MLD504").exit_code == 0
    # ignore wins over extend-select, as in ruff's specificity-free layering
    write({"other/mldebt.toml": "", "other/a.py": DEAD})
    assert mldebt("check", "other").exit_code == 1


def test_config_errors_exit_2_naming_file_and_key(write, mldebt) -> None:
    write({"pyproject.toml": "[tool.mldebt]\nselct = ['MLD5']\n", "a.py": CLEAN})
    outcome = mldebt("check")
    assert outcome.exit_code == 2
    assert "selct" in outcome.stderr and "pyproject.toml" in outcome.stderr

    write({"pyproject.toml": "[tool.mldebt]\nfail-on = 3\n"})
    outcome = mldebt("check")
    assert outcome.exit_code == 2 and "fail-on" in outcome.stderr

    write({"pyproject.toml": "[tool.mldebt\n"})
    outcome = mldebt("check")
    assert outcome.exit_code == 2 and "invalid TOML" in outcome.stderr

    write({"pyproject.toml": "[tool.mldebt.rules.dead-experimental-codepath]\nnope = 1\n"})
    outcome = mldebt("check")
    assert outcome.exit_code == 2 and "nope" in outcome.stderr

    write({"pyproject.toml": "[tool.mldebt.rules.no-such-rule]\n"})
    outcome = mldebt("check")
    assert outcome.exit_code == 2 and "no-such-rule" in outcome.stderr


def test_severity_override(write, mldebt) -> None:
    write({"pyproject.toml": '[tool.mldebt.severity]\nMLD504 = "info"\n', "a.py": DEAD})
    outcome = mldebt("check", "--format", "json")
    assert outcome.json()["findings"][0]["severity"] == "info"
    assert outcome.exit_code == 0


def test_gitignore_default_excludes_and_extend_exclude(write, mldebt) -> None:
    write(
        {
            ".gitignore": "generated/\n*_pb2.py\n",
            "pyproject.toml": '[tool.mldebt]\nextend-exclude = ["scratch/"]\n',
            "generated/a.py": DEAD,
            "model_pb2.py": DEAD,
            ".venv/lib/x.py": DEAD,
            "build/x.py": DEAD,
            "scratch/x.py": DEAD,
            "pkg/sub/.gitignore": "local.py\n",
            "pkg/sub/local.py": DEAD,
            "pkg/sub/kept.py": DEAD,
        }
    )
    assert mldebt("check", "--format", "json").codes() == [("MLD504", "pkg/sub/kept.py", 1)]


def test_explicit_paths_report_only_those_files(write, mldebt) -> None:
    write({"a.py": DEAD, "b.py": DEAD, "scratch/c.py": DEAD, "pyproject.toml": '[tool.mldebt]\nexclude = ["scratch/"]\n'})
    assert mldebt("check", "--format", "json", "a.py").codes() == [("MLD504", "a.py", 1)]
    # An excluded file named on the command line is still checked, unless --force-exclude.
    assert mldebt("check", "--format", "json", "scratch/c.py").codes() == [("MLD504", "scratch/c.py", 1)]
    assert mldebt("check", "--format", "json", "--force-exclude", "scratch/c.py").codes() == []


def test_paths_are_relative_to_the_config_root(write, mldebt, tmp_path: Path) -> None:
    write({"proj/mldebt.toml": "", "proj/src/pkg/__init__.py": "", "proj/src/pkg/train.py": DEAD})
    outcome = mldebt("check", "--format", "json", "proj/src/pkg/train.py")
    assert outcome.codes() == [("MLD504", "src/pkg/train.py", 1)]


def test_stdin(write, mldebt) -> None:
    write({"pkg/a.py": CLEAN})
    outcome = mldebt("check", "-", "--stdin-filename", "pkg/a.py", "--format", "json", stdin=DEAD)
    assert outcome.codes() == [("MLD504", "pkg/a.py", 1)]
    assert outcome.exit_code == 1


def test_quiet_prints_findings_only(write, mldebt) -> None:
    write({"a.py": DEAD})
    outcome = mldebt("check", "-q", "--no-source")
    assert outcome.stdout.strip().splitlines() == [
        "a.py:1:1 MLD504 dead-experimental-codepath [warning] `if False:` never runs: its condition is the constant `False`"
    ]


def test_text_output_has_summary_by_section(write, mldebt) -> None:
    write({"a.py": DEAD})
    out = mldebt("check", "--statistics").stdout
    assert "a.py:1:1 MLD504" in out
    assert "    if False:" in out
    assert "§5 ML-System Anti-Patterns" in out
    assert "Found 1 finding(s) in 1 file(s): 1 warning" in out
    assert "MLD504 dead-experimental-codepath" in out.split("By rule:")[1]


def test_output_file(write, mldebt) -> None:
    write({"a.py": DEAD})
    outcome = mldebt("check", "--format", "json", "--output", "report.json")
    assert outcome.stdout == ""
    assert '"MLD504"' in (Path.cwd() / "report.json").read_text()


def test_baseline_reports_only_new_findings(write, mldebt) -> None:
    write({"a.py": DEAD})
    assert mldebt("check", "--write-baseline", "mldebt-baseline.json").exit_code == 1
    assert mldebt("check", "--baseline", "mldebt-baseline.json").exit_code == 0
    write({"a.py": "import os\n\n" + DEAD + "\n" + DEAD.replace("old", "older")})
    outcome = mldebt("check", "--baseline", "mldebt-baseline.json", "--format", "json")
    assert outcome.codes() == [("MLD504", "a.py", 6)]


def test_version_and_module_entry(mldebt) -> None:
    outcome = mldebt("--version")
    assert outcome.exit_code == 0 and "mldebt" in outcome.stdout


def test_rules_and_explain(mldebt) -> None:
    listing = mldebt("rules", "--format", "json").json()
    codes = [rule["code"] for rule in listing]
    assert codes == sorted(codes) and "MLD001" in codes and "MLD504" in codes
    explained = mldebt("explain", "dead-experimental-codepath")
    assert explained.exit_code == 0
    assert "Why is this bad?" in explained.stdout and "§5" in explained.stdout
    assert mldebt("explain", "MLD504").stdout == explained.stdout
    assert mldebt("explain", "nothing-like-this").exit_code == 2


def test_unused_suppressions_are_reported_when_selected(write, mldebt) -> None:
    write(
        {
            "a.py": """
            if False:  # noqa: MLD504
                pass
            x = 1  # noqa: MLD504, dead-experimental-codepath
            y = 2  # noqa
            z = 3  # noqa: E501
            """
        }
    )
    assert mldebt("check", "--format", "json").codes() == []  # off by default
    outcome = mldebt("check", "--format", "json", "--extend-select", "MLD002")
    assert outcome.codes() == [("MLD002", "a.py", 3)]
    [finding] = outcome.json()["findings"]
    assert finding["column"] == 8
    assert "`# noqa: MLD504, dead-experimental-codepath` suppresses nothing" in finding["message"]


def test_malformed_gitignore_lines_are_skipped(write, mldebt) -> None:
    write({".gitignore": "!\nignored.py\n", "ignored.py": DEAD, "kept.py": DEAD})
    assert mldebt("check", "--format", "json").codes() == [("MLD504", "kept.py", 1)]


def test_a_path_outside_the_project_root_is_still_checked(write, mldebt, tmp_path: Path) -> None:
    write({"proj/mldebt.toml": "", "proj/a.py": DEAD, "elsewhere/b.py": DEAD})
    outcome = mldebt("check", "--format", "json", "proj", str(tmp_path / "elsewhere"))
    paths = sorted(path for _, path, _ in outcome.codes())
    assert len(paths) == 2 and paths[0].endswith("elsewhere/b.py") and paths[1] == "a.py"
    assert outcome.exit_code == 1
