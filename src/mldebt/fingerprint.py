"""The text that identifies a finding in a baseline, independent of layout.

A finding's fingerprint (see `findings.assign_fingerprints`) hashes its source text.
Three steps keep that text stable while the code around it changes:

- `statement_excerpt` chooses the lines shown under a finding: its own lines, but for a
  compound statement (a `def`, a `class`, an `if` block) only its header, however many lines
  the header takes, so an edit inside the body does not make a finding about the block new;
  at most `MAX_EXCERPT_LINES` lines.
- `identifying_text` cuts those lines to the reported node itself, from its column to its end
  column, so that what a formatter does to the rest of the line (an assignment target split
  off, parentheses added around the right-hand side) does not matter. A finding at a point
  (a project rule's, which has no end) keeps the whole excerpt.
- `normalised_source` removes what a formatter changes: whitespace and line breaks
  (a space is kept only between two words), comments (unless the text is nothing but
  comments, as in a finding about a comment), backslash continuations, trailing commas
  before a closing bracket, and the spelling of string literals (quotes, prefixes and
  escapes: `'a'`, `"a"` and `u"\\x61"` are one string).

The scanner is a small regular-expression lexer rather than `tokenize`: the excerpt may
start or stop inside a bracket or a string, or not be Python at all (a line of
`requirements.txt`), and must still give the same text every time.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Sequence

MAX_EXCERPT_LINES = 40  # a longer statement is identified by its first lines

_TOKEN = re.compile(
    r"""
    (?P<string>
        [rRbBuUfF]{0,2}
        (?: '''(?:[^\\]|\\.)*?(?:'''|\Z)
          | \"\"\"(?:[^\\]|\\.)*?(?:\"\"\"|\Z)
          | '(?:[^'\\\n]|\\.)*(?:'|$)
          | "(?:[^"\\\n]|\\.)*(?:"|$)
        )
    )
    | (?P<comment> \#[^\n]* )
    | (?P<continuation> \\[ \t\f]*(?:\r?\n|\r|\Z) )
    | (?P<space> \s+ )
    | (?P<word> \w+ )
    | (?P<other> . )
    """,
    re.VERBOSE | re.DOTALL | re.MULTILINE,
)
_OPENING = "([{"
_CLOSING = ")]}"
# A statement whose first line starts like this is a block: its header identifies it.
_COMPOUND = re.compile(r"\s*(?:@|(?:async\s+)?(?:def|class|for|with)\b|(?:if|elif|else|while|try|except|finally)\b)")


def _tokens(text: str) -> Iterator[tuple[str, str]]:
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        assert kind is not None
        yield kind, match.group()


def statement_excerpt(lines: Sequence[str], line: int, end_line: int) -> str:
    """The source lines of a finding from `line` to `end_line` (1-based); on a line that
    starts a block statement (`def`, `class`, `if`, ...), the block's header, all of it."""
    first = max(line, 1) - 1
    if first < len(lines) and _COMPOUND.match(lines[first]):
        header = _header_lines(lines[first : first + MAX_EXCERPT_LINES])
        if header:
            return "\n".join(lines[first : first + header])
    last = min(max(end_line, line), first + MAX_EXCERPT_LINES)
    return "\n".join(lines[first:last])


def identifying_text(source: str, line: int, column: int, end_line: int, end_column: int) -> str:
    """The part of a finding's excerpt `source` (which starts at `line`) that is the reported
    node: cut at its end (when the excerpt reaches it) and at its start column (1-based code
    points). A finding at a point keeps the whole excerpt."""
    if (end_line, end_column) <= (line, column):
        return source
    lines = source.split("\n")
    last = end_line - line
    if 0 <= last < len(lines):
        lines = lines[: last + 1]
        lines[last] = lines[last][: max(end_column - 1, 0)]
    lines[0] = lines[0][max(column - 1, 0) :]
    return "\n".join(lines)


def _header_lines(lines: Sequence[str]) -> int:
    """How many of `lines` the block header takes: up to the first `:` outside brackets,
    strings and comments (a walrus `:=` is no header end); 0 when there is none."""
    text = "\n".join(lines)
    depth = 0
    for match in _TOKEN.finditer(text):
        kind, value = match.lastgroup, match.group()
        if kind != "other":
            continue
        if value in _OPENING:
            depth += 1
        elif value in _CLOSING:
            depth = max(depth - 1, 0)
        elif value == ":" and depth == 0 and text[match.end() : match.end() + 1] != "=":
            return text.count("\n", 0, match.start()) + 1
    return 0


def normalised_source(text: str) -> str:
    """`text` without what formatting changes (see the module docstring)."""
    pieces: list[str] = []
    comments: list[str] = []
    for kind, value in _tokens(text):
        if kind in ("space", "continuation"):
            continue
        if kind == "comment":
            comments.append(" ".join(value.split()))
            continue
        if kind == "string":
            value = _normalised_string(value)
        elif kind == "other" and value in _CLOSING and pieces and pieces[-1] == ",":
            pieces.pop()  # a trailing comma, as formatters add when they split a call
        if pieces and _is_word_character(pieces[-1][-1:]) and _is_word_character(value[:1]):
            pieces.append(" ")
        pieces.append(value)
    if not pieces:
        return " ".join(comments)
    return "".join(pieces)


def _is_word_character(character: str) -> bool:
    return character.isalnum() or character == "_"


def _normalised_string(token: str) -> str:
    """One spelling per string value: `repr` of the value when it is a plain literal; an
    f-string keeps its text with its quotes made double (when that needs no escaping)."""
    try:
        value = ast.literal_eval(token)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        value = None
    if isinstance(value, (str, bytes)):
        return repr(value)
    prefix_length = len(token) - len(token.lstrip("rRbBuUfF"))
    prefix, body = token[:prefix_length].lower(), token[prefix_length:]
    for quote in ("'''", '"""', "'", '"'):
        if len(body) >= 2 * len(quote) and body.startswith(quote) and body.endswith(quote):
            inner = body[len(quote) : -len(quote)]
            if '"' not in inner and "'" not in inner:
                double = '"""' if len(quote) == 3 else '"'
                return f"{prefix}{double}{inner}{double}"
            break
    return prefix + body
