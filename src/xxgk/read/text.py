"""Plain-text reader: bytes in any common Chinese encoding -> Document of lines."""

from __future__ import annotations

import hashlib

from ..errors import InputError
from .document import Document, Paragraph


def decode_bytes(data: bytes, path: str | None = None) -> tuple[str, str]:
    """Return (text, encoding). Raises InputError when the bytes are not text."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    for enc in ("utf-8", "gb18030"):
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    raise InputError("无法识别文件编码", path)


def read_text_bytes(data: bytes, path: str | None = None) -> Document:
    text, encoding = decode_bytes(data, path)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks = [Paragraph(line, {"line": i}) for i, line in enumerate(lines, start=1)]
    return Document(
        blocks=blocks,
        media_type="text/plain",
        path=path,
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
    )
