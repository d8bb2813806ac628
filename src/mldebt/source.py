"""Reading a file's bytes as text the way CPython would (PEP 263 cookie, BOM)."""

from __future__ import annotations

import io
import tokenize
from dataclasses import dataclass


@dataclass(frozen=True)
class DecodeFailure:
    """Why a file's bytes are not text: becomes an MLD001 finding."""

    reason: str
    line: int = 1


def decode_source(data: bytes) -> str | DecodeFailure:
    """Decode Python source bytes, honouring a BOM and a coding cookie.

    Returns:
        The text (without BOM, line endings as written), or why it cannot be decoded.
    """
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return DecodeFailure("a binary file, not Python source (it contains NUL bytes)")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:
        reason = str(error.msg if hasattr(error, "msg") else error)
        if "invalid or missing encoding" in reason:
            return DecodeFailure("the file is not valid UTF-8, and no coding cookie names another encoding")
        if data.startswith(b"\xef\xbb\xbf") and "encoding problem" in reason:
            return DecodeFailure("the file starts with a UTF-8 byte order mark, but its coding cookie names another encoding")
        return DecodeFailure(f"cannot read the file's encoding: {reason}")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1  # as split_lines counts
        return DecodeFailure(f"the file is not valid {encoding}: byte 0x{data[error.start]:02x} cannot be decoded", line)
    except LookupError:
        return DecodeFailure(f"unknown encoding {encoding!r}")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


def split_lines(text: str) -> list[str]:
    """Lines as CPython counts them: only `\\r\\n`, `\\r` and `\\n` end a line
    (`str.splitlines` also splits at form feeds and other separators)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
