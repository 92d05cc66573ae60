"""Plain-text reader: bytes in any common Chinese encoding -> Document of lines.

The encoding is found by textdecode.py; this module splits the text into lines, one Paragraph
each.
"""

from __future__ import annotations

import hashlib
import os
import re

from ..errors import InputError
from .document import Document, Paragraph
from .limits import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_LINES,
    read_input_bytes,
    too_large_message,
)
from .textdecode import MSG_EMPTY, Decoded, _has_control_soup, decode_text  # noqa: F401  (re-exported)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_LINES",
    "decode_bytes",
    "read_text_bytes",
    "read_text_file",
]


def decode_bytes(data: bytes, path: str | None = None) -> Decoded:
    """Return (text, encoding) with any BOM removed and newlines normalised to \\n.

    Raises InputError (Chinese message) when the bytes are binary or undecodable.
    """
    text, encoding = decode_text(data, path)
    return _normalize_newlines(text), encoding


def read_text_bytes(
    data: bytes,
    path: str | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_lines: int = DEFAULT_MAX_LINES,
) -> Document:
    """One Paragraph per line, `where={"line": n}` (1-based). A Markdown heading marker at
    the start of a line (``## 一、总体情况``, as `xxgk render -o 报告.md` writes) is markup, not text."""
    if len(data) > max_bytes:
        raise InputError(too_large_message(len(data), max_bytes), path)
    if not data:
        raise InputError(MSG_EMPTY, path)
    text, encoding = decode_text(data, path)
    if not text or text.isspace():  # isspace, unlike strip, does not copy a large text
        raise InputError(MSG_EMPTY, path)
    lines = _split_lines(text, path, max_lines)
    # A line starting with "#"; most texts have no "#" at all, found by the cheapest scan.
    marked = "#" in text and (text.startswith("#") or "\n#" in text or "\r#" in text)
    del text  # the lines hold a copy; let the big string go before building blocks
    if marked:
        blocks = [Paragraph(_unmark(line), {"line": i}) for i, line in enumerate(lines, start=1)]
    else:  # the common case: no call per line but Paragraph's (map spares the loop's own cost)
        blocks = list(map(Paragraph, lines, [{"line": i} for i in range(1, len(lines) + 1)]))
    return Document(
        blocks=blocks,
        media_type="text/plain",
        path=path,
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
    )


# A heading has words after its marker; "# |" is a table cell whose text is "#".
_MARKDOWN_HEADING = re.compile(r"^#{1,6}[ \t]+(?=[^\s|])")


def _unmark(line: str) -> str:
    return _MARKDOWN_HEADING.sub("", line, count=1) if line.startswith("#") else line


def read_text_file(
    path: str | os.PathLike[str],
    max_bytes: int = DEFAULT_MAX_BYTES,
    *,
    max_lines: int = DEFAULT_MAX_LINES,
) -> Document:
    """Read a text file (`-` = standard input), refusing files over max_bytes before loading them."""
    data, label = read_input_bytes(path, max_bytes)
    return read_text_bytes(data, label, max_bytes=max_bytes, max_lines=max_lines)


# --- lines -------------------------------------------------------------------------------


def _normalize_newlines(text: str) -> str:
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _split_lines(text: str, path: str | None, max_lines: int) -> list[str]:
    """Split at \\n, \\r\\n and \\r without first making a normalised copy of the text."""
    has_cr = "\r" in text
    breaks = text.count("\n") + (text.count("\r") - text.count("\r\n") if has_cr else 0)
    # A final line break ends the last line rather than starting an empty one (as `wc -l` counts).
    ends_with_break = text.endswith(("\n", "\r"))
    count = breaks + (not ends_with_break)
    if count > max_lines:
        raise InputError(f"行数过多（{count} 行，上限 {max_lines} 行）", path)
    lines = text.split("\n")
    if has_cr:
        lines = _split_carriage_returns(lines)
    if ends_with_break:
        lines.pop()
    return lines


def _split_carriage_returns(lines: list[str]) -> list[str]:
    out: list[str] = []
    last = len(lines) - 1
    for i, line in enumerate(lines):
        if "\r" not in line:
            out.append(line)
            continue
        pieces = line.split("\r")
        if i < last and pieces[-1] == "":
            pieces.pop()  # "\r\n" is a single line break
        out.extend(pieces)
    return out
