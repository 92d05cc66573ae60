"""Input limits shared by all readers: refuse oversized input before loading it, and turn
every OS-level failure into a one-line Chinese InputError (never a traceback)."""

from __future__ import annotations

import errno
import os
import stat
import sys
from typing import BinaryIO

from ..errors import InputError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# A report has a few thousand lines at most; each line costs ~300 bytes of Python objects,
# so this cap keeps a pathological file of short lines to a bounded footprint.
DEFAULT_MAX_LINES = 100_000

STDIN_PATH = "-"
STDIN_LABEL = "标准输入"

_MIB = 1024 * 1024
# Read streams in pieces so a tiny input never triggers a max_bytes-sized allocation.
_CHUNK = _MIB

_ERRNO_MESSAGES = {
    errno.ENOENT: "文件不存在",
    errno.ENOTDIR: "文件不存在",
    errno.EACCES: "无权读取文件",
    errno.EPERM: "无权读取文件",
    errno.EISDIR: "是目录，不是文件",
    errno.ENAMETOOLONG: "文件名过长",
    errno.ELOOP: "符号链接层数过多",
}


def format_size(n: int) -> str:
    return f"{n / _MIB:.1f} MB" if n >= _MIB // 10 else f"{n} 字节"


def format_limit(n: int) -> str:
    return f"{n // _MIB} MB" if n and n % _MIB == 0 else format_size(n)


def too_large_message(size: int | None, limit: int) -> str:
    if size is None:
        return f"文件过大（超过上限 {format_limit(limit)}）"
    return f"文件过大（{format_size(size)}，上限 {format_limit(limit)}）"


def os_error_message(err: OSError) -> str:
    if err.errno in _ERRNO_MESSAGES:
        return _ERRNO_MESSAGES[err.errno]
    name = errno.errorcode.get(err.errno or 0)
    return f"无法读取文件（{name}）" if name else "无法读取文件"


def read_input_bytes(path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[bytes, str]:
    """Return (data, label); `-` reads standard input. Raises InputError for anything unreadable."""
    name = os.fsdecode(path)
    label = STDIN_LABEL if name == STDIN_PATH else name
    try:
        data = _read_stdin(max_bytes) if name == STDIN_PATH else _read_file(name, max_bytes)
    except OSError as err:
        raise InputError(os_error_message(err), label) from err
    except ValueError as err:  # e.g. a NUL character inside the path
        raise InputError("文件名无效", label) from err
    if data is None:
        raise InputError(too_large_message(None, max_bytes), label)
    return data, label


def _read_file(name: str, max_bytes: int) -> bytes | None:
    info = os.stat(name)
    if stat.S_ISDIR(info.st_mode):
        raise InputError("是目录，不是文件", name)
    regular = stat.S_ISREG(info.st_mode)
    if regular and info.st_size > max_bytes:
        raise InputError(too_large_message(info.st_size, max_bytes), name)
    # Devices and FIFOs report no useful size (/dev/zero never ends), so the read itself is capped.
    with open(name, "rb") as stream:
        return read_bounded(stream, max_bytes, info.st_size if regular else _CHUNK)


def _read_stdin(max_bytes: int) -> bytes | None:
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise InputError("无法读取标准输入", STDIN_LABEL)
    return read_bounded(stream, max_bytes, _CHUNK)


def read_bounded(stream: BinaryIO, limit: int, size_hint: int) -> bytes | None:
    """At most `limit` bytes from stream, or None when it holds more. Never reads past limit + 1."""
    chunks: list[bytes] = []
    total = 0
    want = min(size_hint, limit) + 1
    while total <= limit:
        chunk = stream.read(want)
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        want = min(_CHUNK, limit + 1 - total)
    return None if total > limit else b"".join(chunks)
