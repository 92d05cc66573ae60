"""Old Word (.doc), Kingsoft WPS (.wps) and any other Word-compatible file -> Document.

LibreOffice (headless) converts the file to DOCX, which the DOCX reader then reads. Each
call runs its own LibreOffice with a fresh profile directory (parallel calls do not share
state and no running LibreOffice is reused), in its own process group, so a timeout kills
the whole group. LibreOffice is an optional system dependency: without it, reading a .doc
raises an InputError that says how to install it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ..errors import InputError
from . import sandbox
from .document import Document
from .docx import DEFAULT_TIMEOUT as DOCX_TIMEOUT
from .docx import MEDIA_TYPE as DOCX_MEDIA_TYPE
from .docx import read_docx_bytes
from .text import MSG_EMPTY

MEDIA_TYPE = "application/msword"
DEFAULT_TIMEOUT = 60.0

MSG_NO_LIBREOFFICE = (
    "需要 LibreOffice 才能读取 .doc/.wps 文件：请运行 scripts/setup-system.sh "
    "或 apt-get install libreoffice-writer-nogui"
)
MSG_FAILED = "LibreOffice 无法转换此文件（文件可能已损坏、已加密或不是 Word 文档）"

MSG_NOT_WORD = "不是 Word 文档（.doc/.wps），也不是 LibreOffice 能识别的文字处理文件"

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Stream names in the OLE2 directory (stored as UTF-16LE): Word 97-2003 and Kingsoft WPS
# write WordDocument; Microsoft Works (.wps) writes CONTENTS.
_WORD_STREAMS = ("WordDocument", "CONTENTS")
_ENCRYPTED = "EncryptedPackage"
_OTHER_STREAMS = (
    ("Workbook", "Excel 文件"),
    ("Book", "Excel 文件"),
    ("PowerPoint Document", "PowerPoint 文件"),
)
_PROGRAMS = ("soffice", "libreoffice")
_KNOWN_SUFFIXES = (".doc", ".dot", ".wps", ".wpt", ".docx", ".docm", ".dotx", ".rtf", ".odt", ".fodt")
_DETAIL_CHARS = 200


def find_soffice() -> str | None:
    """The LibreOffice program on PATH, or None."""
    for name in _PROGRAMS:
        found = shutil.which(name)
        if found:
            return found
    return None


def read_doc_bytes(
    data: bytes,
    path: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    *,
    soffice: str | None = None,
) -> Document:
    """Convert with LibreOffice, then read the DOCX. `soffice`: the program (default: PATH).
    Runs in a child process (sandbox.py) within the conversion's and the DOCX reader's time."""
    budget = sandbox.Budget(timeout + DOCX_TIMEOUT, sandbox.timeout_message(timeout + DOCX_TIMEOUT))
    return sandbox.run(_read_doc, data, path, budget, timeout, soffice)


def _read_doc(data: bytes, path: str | None, timeout: float, soffice: str | None) -> Document:
    if not data:
        raise InputError(MSG_EMPTY, path)
    check_word_input(data, path)
    converted = convert_to_docx(data, path, timeout, soffice=soffice)
    doc = read_docx_bytes(converted, path)
    doc.media_type = _media_type(data)
    doc.sha256 = hashlib.sha256(data).hexdigest()
    return doc


def convert_to_docx(
    data: bytes, path: str | None = None, timeout: float = DEFAULT_TIMEOUT, *, soffice: str | None = None
) -> bytes:
    """The bytes of `data` converted to DOCX by LibreOffice. Raises InputError on failure."""
    return run_soffice_convert(
        data, _suffix(data, path), "docx:MS Word 2007 XML", path, timeout, soffice=soffice
    )


def run_soffice_convert(
    data: bytes,
    suffix: str,
    convert_to: str,
    path: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    *,
    soffice: str | None = None,
    env: dict[str, str] | None = None,
    missing: str = MSG_NO_LIBREOFFICE,
) -> bytes:
    """Convert `data`, a file of type `suffix` (".docx"), with a LibreOffice of its own
    (`--convert-to convert_to`, e.g. "pdf:writer_pdf_Export") and return the result's bytes.
    `env`: extra environment variables; `missing`: the message when LibreOffice is absent.
    Raises InputError (naming `path`) on failure or timeout."""
    program = soffice or find_soffice()
    if not program or not shutil.which(program):
        raise InputError(missing, path)
    with tempfile.TemporaryDirectory(prefix="xxgk-lo-", ignore_cleanup_errors=True) as tmp:
        work = Path(tmp)
        source = work / f"input{suffix}"
        source.write_bytes(data)
        outdir = work / "out"
        command = _command(program, work / "profile", outdir, source, convert_to)
        _run(command, work, timeout, path, env or {}, missing)
        result = outdir / f"input.{convert_to.split(':', 1)[0]}"
        if not result.is_file() or result.stat().st_size == 0:
            raise InputError(MSG_FAILED, path)
        return result.read_bytes()


def check_word_input(data: bytes, path: str | None = None) -> None:
    """Refuse what LibreOffice would otherwise import as plain text: binary data that is not
    a Word-family file, and Office containers (OLE2) without a Word or Works document stream.
    Text-like inputs (RTF, Word HTML/MHT/XML saved as .doc) are left to LibreOffice."""
    if data.startswith(_OLE):
        if _utf16(_ENCRYPTED) in data:
            raise InputError("文件已加密，无法读取", path)
        if not any(_utf16(name) in data for name in _WORD_STREAMS):
            other = next((kind for name, kind in _OTHER_STREAMS if _utf16(name) in data), None)
            raise InputError(f"不是 Word 文档（看起来是{other}）" if other else MSG_NOT_WORD, path)
        return
    if not data.startswith(b"PK\x03\x04") and b"\x00" in data[:4096]:
        raise InputError(MSG_NOT_WORD, path)


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def _command(program: str, profile: Path, outdir: Path, source: Path, convert_to: str) -> list[str]:
    return [
        program,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--invisible",
        "--norestore",
        "--nolockcheck",
        "--nodefault",
        "--nologo",
        "--convert-to",
        convert_to,
        "--outdir",
        str(outdir),
        str(source),
    ]


def _run(
    command: list[str], work: Path, timeout: float, path: str | None, extra: dict[str, str], missing: str
) -> None:
    env = {**os.environ, **extra, "HOME": str(work)}  # nothing is written to the user's own profile
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=work,
            env=env,
            start_new_session=True,  # its own process group, killed as a whole on timeout
        )
    except OSError as err:
        raise InputError(missing, path) from err
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        raise InputError(f"LibreOffice 转换超时（超过 {timeout:g} 秒）", path) from None
    except BaseException:
        _kill_group(process)
        raise
    if process.returncode != 0:
        detail = stderr.decode("utf-8", "replace").strip()[:_DETAIL_CHARS]
        raise InputError(f"{MSG_FAILED}：{detail}" if detail else MSG_FAILED, path)


def _kill_group(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


def _suffix(data: bytes, path: str | None) -> str:
    """A file name suffix LibreOffice can work with (it detects the real type by content)."""
    suffix = Path(path).suffix.lower() if path else ""
    if suffix in _KNOWN_SUFFIXES:
        return suffix
    if data.startswith(b"PK\x03\x04"):
        return ".docx"
    return ".rtf" if data.startswith(b"{\\rtf") else ".doc"


def _media_type(data: bytes) -> str:
    if data.startswith(b"PK\x03\x04"):
        return DOCX_MEDIA_TYPE
    if data.startswith(b"{\\rtf"):
        return "application/rtf"
    return MEDIA_TYPE
