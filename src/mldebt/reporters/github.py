"""`--format github`: GitHub Actions workflow commands, which annotate the lines of a pull request.

One command per finding, severity mapped to the command (error -> `::error`,
warning -> `::warning`, info -> `::notice`):

    ::warning file=train.py,line=3,col=1,endColumn=9,title=MLD504 dead-experimental-codepath::message

A finding over several lines gives `line` and `endLine` and no columns, as
GitHub takes columns only on a single line.

Everything is escaped as the Actions runner unescapes it: in the message `%`,
CR and LF; in property values also `:` and `,`. So no file name or message can
end a command early or start another one.

A notebook finding annotates the whole `.ipynb` file (its lines are JSON, not
the cell's code) and says where in the notebook in the message:
`cell 3, line 2, col 5: ...`. Notices and internal errors about the run come
last, as `::notice title=mldebt::...` and `::error title=mldebt internal error::...`.
With nothing to say, the output is empty.
"""

from __future__ import annotations

from mldebt.findings import Finding, Severity
from mldebt.reporters.base import ReportContext

COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """The message part of a workflow command."""
    return _valid(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A `key=value` property of a workflow command."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, properties: dict[str, str | int] | None = None) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in (properties or {}).items())
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


def render_github(context: ReportContext) -> str:
    lines = [_annotation(finding) for finding in sorted(context.findings, key=lambda f: (*f.sort_key, f.cell or 0))]
    lines += [command("notice", str(notice), {"title": "mldebt"}) for notice in context.notices]
    lines += [command("error", error, {"title": "mldebt internal error"}) for error in context.errors]
    return "".join(line + "\n" for line in lines)


def _annotation(finding: Finding) -> str:
    title = f"{finding.code} {finding.name}"
    if finding.cell is not None:
        where = f"cell {finding.cell}, line {finding.line}, col {finding.column}"
        return command(COMMAND[finding.severity], f"{where}: {finding.message}", {"file": finding.path, "title": title})
    line = max(finding.line, 1)
    end_line = max(finding.end_line, line)
    properties: dict[str, str | int] = {"file": finding.path, "line": line}
    if end_line != line:
        # GitHub takes columns only for an annotation on a single line.
        properties["endLine"] = end_line
    else:
        properties["col"] = max(finding.column, 1)
        properties["endColumn"] = max(finding.end_column, finding.column, 1)
    properties["title"] = title
    return command(COMMAND[finding.severity], finding.message, properties)


def _valid(text: str) -> str:
    # Undecodable bytes in a file name arrive as lone surrogates, which no UTF-8 stream can carry.
    return text.encode("utf-8", "backslashreplace").decode("utf-8")
