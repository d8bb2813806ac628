"""Running a rule on its own examples: the engine's generic rule test, also for plug-in authors.

An example whose path ends in `.ipynb` is a notebook written in percent format (`# %%`
starts a code cell, `# %% [markdown]` a markdown one; see `mldebt.notebooks.percent_notebook`);
its expected line is a line of the example as written, and findings are mapped back from
their cells to it. Text that starts with `{` is taken as the notebook's JSON itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from mldebt.results import RuleSetup
from dataclasses import replace

from mldebt.notebooks import is_notebook_path
from mldebt.findings import Finding
from mldebt.notebooks import percent_notebook
from mldebt.rule import Invalid, RuleMetadata, Valid
from mldebt.runner import check_sources


@dataclass(frozen=True)
class ExampleOutcome:
    """What a rule reported on one example, and whether that is what the example demands."""

    example: Valid | Invalid
    findings: tuple[Finding, ...]
    errors: tuple[str, ...]

    @property
    def problem(self) -> str | None:
        if self.errors:
            return f"the rule raised: {self.errors[0]}"
        if isinstance(self.example, Valid):
            if self.findings:
                where = ", ".join(f"line {f.line}" for f in self.findings)
                return f"VALID example was flagged at {where}"
            return None
        expected = self.example
        at_line = [f for f in self.findings if f.path == expected.path and f.line == expected.expected_line]
        if not at_line:
            seen = ", ".join(f"{f.path}:{f.line}" for f in self.findings) or "nothing"
            return f"INVALID example expects a finding at {expected.path}:{expected.expected_line}; got {seen}"
        if expected.column is not None and not any(f.column == expected.column for f in at_line):
            return f"INVALID example expects column {expected.column}; got {[f.column for f in at_line]}"
        if expected.message is not None and not any(f.message == expected.message for f in at_line):
            return f"INVALID example expects message {expected.message!r}; got {[f.message for f in at_line]}"
        return None


def run_example(rule: type[RuleMetadata], example: Valid | Invalid) -> ExampleOutcome:
    """Check one example project (its main file plus `files`) with this rule alone."""
    files = {example.path: example.source}
    files.update({path: Invalid(text).source for path, text in example.files.items()})
    lines: dict[str, dict[tuple[int, int], int]] = {}
    for path, text in files.items():
        if is_notebook_path(path) and not text.lstrip().startswith("{"):
            files[path], lines[path] = percent_notebook(text)
    setup = RuleSetup(rule, rule.Options(), rule.SEVERITY)
    result = check_sources(files, [setup])
    findings = tuple(_as_written(f, lines.get(f.path)) for f in result.findings if f.code == rule.CODE)
    return ExampleOutcome(example, findings, tuple(result.errors))


def _as_written(finding: Finding, lines: dict[tuple[int, int], int] | None) -> Finding:
    """A notebook finding at the line of the percent-format example that holds its cell's line."""
    if lines is None or finding.cell is None:
        return finding
    line = lines.get((finding.cell, finding.line))
    if line is None:
        return finding
    return replace(finding, line=line, end_line=line + finding.end_line - finding.line)
