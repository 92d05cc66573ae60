"""Keeping pdfminer within bounds and its failures in words: the PDF reader's guard rails.

- `quiet()`: pdfminer and pdfplumber report damage through `logging` ("Data-loss while
  decompressing corrupted data", "MediaBox missing…"); with no handler configured Python
  would print those warnings on the user's terminal. Their loggers get a NullHandler.
- `bound_streams()`: pdfminer inflates a Flate stream in one call, so a few KB can become
  gigabytes. Its module's `zlib` is replaced by one whose `decompress` and `decompressobj`
  stop at MAX_STREAM bytes of output (the limit is checked before the memory is taken).
- `translated(path)`: every exception pdfminer or pdfplumber raises on a damaged file
  becomes one InputError that says what is wrong with the file ("PDF 文件已损坏或不完整
  （交叉引用表无法读取）"). An exception is the library's when pdfplumber wrapped it
  (PdfminerException) or when it was raised inside the libraries' own code; anything raised
  in our code is a bug and goes on as it is.
"""

from __future__ import annotations

import contextlib
import logging
import zlib
from collections.abc import Iterator
from types import SimpleNamespace

from ..errors import InputError
from .damage import raised_in
from .sandbox import memory_message

MSG_CORRUPT = "PDF 文件已损坏或不完整"
MAX_STREAM = 64 * 1024 * 1024  # bytes one stream may inflate to (a page's content is KBs)
# A font's ToUnicode CMap is parsed token by token into a dict: 64 MB of it is minutes and
# gigabytes. The largest real ones (every CJK glyph of a subset font) are well under 1 MB.
MAX_CMAP = 4 * 1024 * 1024

_LIBRARIES = ("pdfminer", "pdfplumber")


def stream_too_large_message(limit: int = MAX_STREAM) -> str:
    return f"PDF 中的数据流解压后超过 {limit // (1024 * 1024)} MB，文件可能已损坏或含有压缩炸弹"


def cmap_too_large_message(limit: int = MAX_CMAP) -> str:
    return f"PDF 中字体的编码表（ToUnicode）超过 {limit // (1024 * 1024)} MB，文件可能已损坏或含有压缩炸弹"


# ---------------------------------------------------------------- logging


def quiet() -> None:
    for name in _LIBRARIES:
        logger = logging.getLogger(name)
        if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
            logger.addHandler(logging.NullHandler())
        logger.propagate = False


# ---------------------------------------------------------------- bounded inflation


class StreamTooLarge(Exception):
    """A stream inflates past MAX_STREAM."""


class CMapTooLarge(StreamTooLarge):
    """A font's CMap stream is longer than MAX_CMAP."""


def _decompress(data: bytes, wbits: int = zlib.MAX_WBITS, bufsize: int = zlib.DEF_BUF_SIZE) -> bytes:
    """zlib.decompress, refusing more than MAX_STREAM bytes of output."""
    inflater = zlib.decompressobj(wbits)
    out = inflater.decompress(data, MAX_STREAM + 1)
    if len(out) > MAX_STREAM or inflater.unconsumed_tail:
        raise StreamTooLarge
    if not inflater.eof:
        raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
    return out


class _Inflater:
    """zlib.decompressobj() counting its output across calls (pdfminer feeds a damaged
    stream one byte at a time)."""

    def __init__(self, wbits: int = zlib.MAX_WBITS):
        self._inner = zlib.decompressobj(wbits)
        self._total = 0

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        room = MAX_STREAM - self._total
        out = self._inner.decompress(data, min(max_length, room + 1) if max_length else room + 1)
        self._total += len(out)
        if self._total > MAX_STREAM:
            raise StreamTooLarge
        return out

    def flush(self, length: int = zlib.DEF_BUF_SIZE) -> bytes:
        return self._inner.flush(length)

    def __getattr__(self, name: str):
        return getattr(self._inner, name)


_BOUNDED_ZLIB = SimpleNamespace(
    decompress=_decompress,
    decompressobj=_Inflater,
    error=zlib.error,
    MAX_WBITS=zlib.MAX_WBITS,
    DEF_BUF_SIZE=zlib.DEF_BUF_SIZE,
)


def bound_streams() -> None:
    from pdfminer import pdffont, pdftypes

    pdftypes.zlib = _BOUNDED_ZLIB  # type: ignore[assignment]
    pdffont.CMapParser = _bounded_cmap_parser()  # type: ignore[assignment,misc]


def _bounded_cmap_parser() -> type:
    from pdfminer.cmapdb import CMapParser

    class BoundedCMapParser(CMapParser):
        """pdffont hands the parser the whole stream as a BytesIO: its size is known first."""

        def __init__(self, cmap, fp) -> None:
            size = len(fp.getbuffer()) if hasattr(fp, "getbuffer") else 0
            if size > MAX_CMAP:
                raise CMapTooLarge
            super().__init__(cmap, fp)

    return BoundedCMapParser


# ---------------------------------------------------------------- errors in words

# (exception class name or "", words in its message, function in its traceback, what is
# wrong), first match wins. Classes are matched by name along the exception's MRO, so that
# pdfminer's need not be imported; "" matches any class.
_CAUSES: tuple[tuple[str, str, str, str], ...] = (
    ("PDFNoValidXRef", "", "", "交叉引用表无法读取"),
    ("PDFObjectNotFound", "", "", "引用的对象不存在"),
    ("PSException", "/crypt", "", "使用了不支持的加密过滤器 /Crypt"),
    ("PSException", "filter", "", "数据流使用了不支持的压缩方式"),
    ("PSException", "predictor", "", "数据流的预测器参数无效"),
    ("PSException", "bitspercomponent", "", "数据流的位深参数无效"),
    ("", "", "_normalize_box", "页面尺寸（MediaBox）缺失或无效"),
    ("MalformedPDFException", "", "", "页面尺寸（MediaBox）缺失或无效"),
    ("PDFFontError", "", "", "字体数据无效"),
    ("CMapError", "", "", "字体编码表无效"),
    ("PSEOF", "", "", "内容意外结束"),
    ("PDFEOFError", "", "", "内容意外结束"),
    ("PDFSyntaxError", "", "", "语法错误"),
    ("PSSyntaxError", "", "", "语法错误"),
    ("CorruptDataError", "", "", "压缩数据无法解压"),
    ("error", "", "", "压缩数据无法解压"),  # zlib.error
    ("RecursionError", "", "", "对象嵌套过深（页面树或资源引用成环）"),
    ("", "", "process_page", "页面内容无法解析"),
)


def _cause_of(exc: BaseException) -> BaseException:
    """The exception pdfplumber wrapped (PdfminerException(original)), else `exc`."""
    while type(exc).__name__ == "PdfminerException" and exc.args and isinstance(exc.args[0], BaseException):
        exc = exc.args[0]
    return exc


def _functions(exc: BaseException) -> set[str]:
    names = set()
    tb = exc.__traceback__
    while tb is not None:
        names.add(tb.tb_frame.f_code.co_name)
        tb = tb.tb_next
    return names


def damage_message(exc: BaseException) -> str:
    if isinstance(exc, CMapTooLarge):
        return cmap_too_large_message()
    if isinstance(exc, StreamTooLarge):
        return stream_too_large_message()
    classes = {cls.__name__ for cls in type(exc).__mro__} | {""}
    text = str(exc).lower()
    functions = _functions(exc) | {""}
    for name, words, function, what in _CAUSES:
        if name in classes and words in text and function in functions:
            return f"{MSG_CORRUPT}（{what}）"
    return f"{MSG_CORRUPT}（内容无法解析）"


def translate(exc: BaseException, path: str | None) -> InputError | None:
    """The InputError for an exception from reading a damaged PDF; None for our own bugs."""
    cause = _cause_of(exc)
    if isinstance(cause, InputError):
        return cause
    if isinstance(cause, MemoryError):
        return InputError(memory_message(), path)
    wrapped = cause is not exc
    if wrapped or isinstance(cause, StreamTooLarge | RecursionError) or raised_in(cause, _LIBRARIES):
        return InputError(damage_message(cause), path)
    return None


@contextlib.contextmanager
def translated(path: str | None) -> Iterator[None]:
    """Library exceptions inside become InputErrors about the file (see `translate`)."""
    try:
        yield
    except InputError:
        raise
    except (Exception, MemoryError, RecursionError) as exc:
        error = translate(exc, path)
        if error is None:
            raise
        raise error from exc


quiet()
bound_streams()

__all__ = ["MAX_CMAP", "MAX_STREAM", "MSG_CORRUPT", "damage_message", "translate", "translated"]
