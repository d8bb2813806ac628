"""`--format sarif`: SARIF 2.1.0, as GitHub code scanning (and other SARIF viewers) accept it.

One run. `tool.driver.rules` lists every known rule, sorted by code, so a
result's `ruleIndex` does not depend on which rules happened to fire. Paths
are URIs relative to `%SRCROOT%` (the project root), percent-encoded; a file
outside the project becomes a `file://` URI. Columns count code points
(`columnKind: unicodeCodePoints`), 1-based, with `endColumn` just past the
last character, as SARIF defines it.

A finding in a notebook points at the `.ipynb` file with the line of the
notebook's code cells joined in order (markdown cells left out), as tools that
convert a notebook to a script count; `properties` name the cell (`cell`,
counted from 1 over all cells) and the line and column inside it (`cell_line`,
`cell_column`), and the message begins with `cell N:`.
Notices and internal errors become `toolExecutionNotifications`; an internal
error also makes `executionSuccessful` false.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

from mldebt.findings import Finding, Severity
from mldebt.metadata import docs_url
from mldebt.reporters.base import ReportContext, help_uri
from mldebt.rule import RuleMetadata

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SARIF_VERSION = "2.1.0"
SOURCE_ROOT = "%SRCROOT%"
FINGERPRINT_KEY = "mldebtFingerprint/v1"
PAPER = 'Sculley et al., "Hidden Technical Debt in Machine Learning Systems", NeurIPS 2015'

LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}

_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:/")
_SEMVER = re.compile(r"^\d+\.\d+\.\d+")


def render_sarif(context: ReportContext) -> str:
    rules = _rule_descriptors(context)
    index = {rule["id"]: position for position, rule in enumerate(rules)}
    results = [_result(finding, index[finding.code]) for finding in sorted(context.findings, key=_order)]
    run: dict[str, Any] = {
        "tool": {"driver": _driver(context, rules)},
        "invocations": [_invocation(context)],
        "originalUriBaseIds": {
            SOURCE_ROOT: {"description": {"text": "The root of the checked project (where its configuration is)."}}
        },
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    document = {"$schema": SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}
    return json.dumps(_clean(document), indent=2, ensure_ascii=False) + "\n"


def _order(finding: Finding) -> tuple[str, int, int, str, int, int, str, str]:
    return (*finding.sort_key, finding.cell or 0, finding.end_line, finding.message, finding.fingerprint)


def _driver(context: ReportContext, rules: list[dict[str, Any]]) -> dict[str, Any]:
    driver: dict[str, Any] = {
        "name": "mldebt",
        "version": context.version,
        "informationUri": docs_url(),
    }
    semantic = _SEMVER.match(context.version)
    if semantic:
        driver["semanticVersion"] = semantic.group(0)
    driver["rules"] = rules
    return driver


# --- rules -------------------------------------------------------------------------------------


def _rule_descriptors(context: ReportContext) -> list[dict[str, Any]]:
    """Every known rule, plus any code a finding carries that the registry does not know."""
    descriptors = {code: _rule_descriptor(rule) for code, rule in context.rules.items()}
    for finding in context.findings:
        if finding.code not in descriptors:
            descriptors[finding.code] = _unknown_rule_descriptor(finding)
    return [descriptors[code] for code in sorted(descriptors)]


def _rule_descriptor(rule: type[RuleMetadata]) -> dict[str, Any]:
    explanation = rule.explanation()
    reference = rule.SECTION.label
    number = rule.SECTION.number
    paper_line = f"Paper: {PAPER}, {reference}." if number else f"Paper: {PAPER}; {reference}."
    return {
        "id": rule.CODE,
        "name": pascal_case(rule.NAME),
        "shortDescription": {"text": rule.SUMMARY or rule.NAME},
        "fullDescription": {"text": _what_it_does(explanation) or rule.SUMMARY or rule.NAME},
        "helpUri": help_uri(rule.CODE, rule.NAME),
        "help": {
            "text": f"{explanation}\n\n{paper_line}" if explanation else paper_line,
            "markdown": f"{explanation}\n\n**{paper_line}**" if explanation else f"**{paper_line}**",
        },
        "defaultConfiguration": {"level": LEVEL[rule.SEVERITY]},
        "properties": {
            "tags": _tags(number),
            "paper_section": reference,
            "kebab_name": rule.NAME,
        },
    }


def _unknown_rule_descriptor(finding: Finding) -> dict[str, Any]:
    number = _section_number(finding.paper_section)
    return {
        "id": finding.code,
        "name": pascal_case(finding.name),
        "shortDescription": {"text": finding.name},
        "helpUri": help_uri(finding.code, finding.name),
        "defaultConfiguration": {"level": LEVEL[finding.severity]},
        "properties": {"tags": _tags(number), "paper_section": finding.paper_section, "kebab_name": finding.name},
    }


def _tags(section_number: int) -> list[str]:
    return ["ml-debt", f"§{section_number}"] if section_number else ["ml-debt"]


def _section_number(label: str) -> int:
    match = re.match(r"§(\d+)", label)
    return int(match.group(1)) if match else 0


def pascal_case(kebab: str) -> str:
    """`dead-experimental-codepath` -> `DeadExperimentalCodepath` (SARIF wants an identifier)."""
    words = re.split(r"[^0-9A-Za-z]+", kebab)
    return "".join(word[:1].upper() + word[1:] for word in words if word) or kebab


def _what_it_does(explanation: str) -> str:
    """The `## What it does` paragraph of a rule's docstring, as one line of plain text."""
    match = re.search(r"^##\s*What it does\s*\n(.*?)(?=^##\s|\Z)", explanation, re.MULTILINE | re.DOTALL)
    if not match:
        return ""
    return " ".join(match.group(1).split())


# --- results -----------------------------------------------------------------------------------


def _result(finding: Finding, rule_index: int) -> dict[str, Any]:
    start_line = max(finding.line, 1)
    start_column = max(finding.column, 1)
    end_line = max(finding.end_line, start_line)
    if finding.joined_line is not None:  # a notebook: lines of the joined code cells
        start_line, end_line = finding.joined_line, finding.joined_line + end_line - start_line
    end_column = max(finding.end_column, 1)
    if end_line == start_line:
        end_column = max(end_column, start_column)
    region = {"startLine": start_line, "startColumn": start_column, "endLine": end_line, "endColumn": end_column}
    message = finding.message if finding.cell is None else f"cell {finding.cell}: {finding.message}"
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": LEVEL[finding.severity],
        "message": {"text": message},
        "locations": [{"physicalLocation": {"artifactLocation": artifact_location(finding.path), "region": region}}],
    }
    if finding.fingerprint:
        result["partialFingerprints"] = {FINGERPRINT_KEY: finding.fingerprint}
    properties: dict[str, Any] = {"paper_section": finding.paper_section}
    if finding.cell is not None:
        properties.update({"cell": finding.cell, "cell_line": finding.line, "cell_column": finding.column})
    result["properties"] = properties
    return result


def artifact_location(path: str) -> dict[str, str]:
    """A file's location: relative to the project root when it is inside it, else a `file://` URI."""
    posix = path.replace("\\", "/")
    if _WINDOWS_DRIVE.match(posix):
        return {"uri": "file:///" + _encode(posix, safe="/:")}
    if posix.startswith("/"):
        return {"uri": "file://" + _encode(posix)}
    return {"uri": _encode(posix), "uriBaseId": SOURCE_ROOT}


def _encode(path: str, safe: str = "/") -> str:
    # Undecodable bytes in a file name arrive as surrogates: encode them back to the bytes they were.
    return quote(path, safe=safe, errors="surrogateescape")


# --- the run -----------------------------------------------------------------------------------


def _invocation(context: ReportContext) -> dict[str, Any]:
    notifications = [
        {"level": "note", "message": {"text": str(notice)}}
        for notice in context.notices
    ]
    notifications += [
        {"level": "error", "message": {"text": f"internal error: {error}"}}
        for error in context.errors
    ]
    invocation: dict[str, Any] = {"executionSuccessful": not context.errors}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return invocation


def _clean(value: Any) -> Any:
    """Replace what no UTF-8 file can hold (lone surrogates from undecodable names) by escapes."""
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, dict):
        return {_clean(key): _clean(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_clean(item) for item in value]
    return value
