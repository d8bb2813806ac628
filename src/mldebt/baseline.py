"""Baselines: record today's findings so that only new debt fails a run.

The file is JSON meant to be committed: sorted, one entry per line, `/` in paths on
every OS, no absolute paths, no timestamps, no line numbers and no messages (a message
may name a line): writing the same findings again gives the same bytes. An entry is
the finding's fingerprint (see `findings.assign_fingerprints` and docs/baseline.md)
plus what a reviewer needs to recognise it: the rule, the file, the enclosing scope
and the normalised source text.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from mldebt.config import ConfigError
from mldebt.findings import Finding
from mldebt.fingerprint import identifying_text, normalised_source

BASELINE_VERSION = 2  # 2: fingerprints of layout-normalised source
MAX_SOURCE_IN_ENTRY = 120  # characters of the source shown in an entry; the fingerprint has it all


def baseline_bytes(findings: Sequence[Finding]) -> bytes:
    entries = sorted(
        (
            {
                "code": f.code,
                "fingerprint": f.fingerprint,
                "path": f.path,
                "scope": f.scope,
                "source": normalised_source(
                    identifying_text(f.source, f.line, f.column, f.end_line, f.end_column)
                )[:MAX_SOURCE_IN_ENTRY],
            }
            for f in findings
        ),
        key=lambda entry: (entry["path"], entry["code"], entry["fingerprint"]),
    )
    lines = [_entry_line(entry) for entry in entries]
    body = b"\n    " + b",\n    ".join(lines) + b"\n  " if lines else b""
    return b'{\n  "version": %d,\n  "findings": [%s]\n}\n' % (BASELINE_VERSION, body)


def _entry_line(entry: dict[str, str]) -> bytes:
    """One entry as UTF-8 JSON; an entry with text that is not valid Unicode (a file name with
    undecodable bytes) is written with `\\u` escapes, so the file stays valid UTF-8."""
    try:
        return json.dumps(entry, ensure_ascii=False, sort_keys=True).encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(entry, ensure_ascii=True, sort_keys=True).encode("ascii")


def write_baseline(path: Path, findings: Sequence[Finding]) -> None:
    """Write the baseline of `findings` to `path` (untouched when it already says the same)."""
    data = baseline_bytes(findings)
    try:
        if path.is_file() and path.read_bytes() == data:
            return
        path.write_bytes(data)  # bytes: `\n` line ends on every OS
    except OSError as error:
        raise ConfigError(f"cannot write the baseline {path}: {error.strerror or error}") from error


def read_baseline(path: Path) -> frozenset[str]:
    """The fingerprints a baseline file records."""
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except OSError as error:
        raise ConfigError(f"cannot read the baseline {path}: {error.strerror or error}") from error
    except ValueError as error:
        raise ConfigError(f"{path}: not a baseline file (invalid JSON: {error})") from error
    findings = data.get("findings") if isinstance(data, dict) else None
    if not isinstance(findings, list):
        raise ConfigError(f"{path}: not a baseline file (no `findings` list)")
    if data.get("version") != BASELINE_VERSION:
        raise ConfigError(
            f"{path}: a baseline of version {data.get('version')!r}, and this mldebt reads version "
            f"{BASELINE_VERSION}; write it again with --write-baseline"
        )
    fingerprints = set()
    for number, entry in enumerate(findings, start=1):
        fingerprint = entry.get("fingerprint") if isinstance(entry, dict) else None
        if not isinstance(fingerprint, str) or not fingerprint:
            raise ConfigError(f"{path}: entry {number} of `findings` has no `fingerprint` string")
        fingerprints.add(fingerprint)
    return frozenset(fingerprints)
