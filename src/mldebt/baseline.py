"""Baselines: record today's findings so that only new debt fails a run.

The file is JSON meant to be committed: sorted, one entry per finding, no
absolute paths, no timestamps, no line numbers in the identity (the
fingerprint survives code moving up or down).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from mldebt.config import ConfigError
from mldebt.findings import Finding

BASELINE_VERSION = 1


def write_baseline(path: Path, findings: Sequence[Finding]) -> None:
    entries = sorted(
        ({"fingerprint": f.fingerprint, "code": f.code, "path": f.path, "message": f.message} for f in findings),
        key=lambda entry: (entry["path"], entry["code"], entry["fingerprint"]),
    )
    lines = [json.dumps(entry, ensure_ascii=False, sort_keys=True) for entry in entries]
    body = ",\n    ".join(lines)
    text = f'{{\n  "version": {BASELINE_VERSION},\n  "findings": [\n    {body}\n  ]\n}}\n' if lines else (
        f'{{\n  "version": {BASELINE_VERSION},\n  "findings": []\n}}\n'
    )
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"cannot write the baseline {path}: {error.strerror or error}") from error


def read_baseline(path: Path) -> frozenset[str]:
    """The fingerprints a baseline file records."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"cannot read the baseline {path}: {error.strerror or error}") from error
    except json.JSONDecodeError as error:
        raise ConfigError(f"{path}: not a baseline file (invalid JSON: {error})") from error
    findings = data.get("findings") if isinstance(data, dict) else None
    if not isinstance(findings, list):
        raise ConfigError(f"{path}: not a baseline file (no `findings` list)")
    return frozenset(
        entry["fingerprint"] for entry in findings if isinstance(entry, dict) and isinstance(entry.get("fingerprint"), str)
    )
