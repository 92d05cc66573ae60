"""The library's front door: read any supported input into a Report, render a Report.

The CLI and (later) the web app call these functions and nothing deeper.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

from .errors import InputError
from .extract import parse_document
from .model import Report
from .read import read_bytes, read_path, sniff_bytes
from .read.limits import DEFAULT_MAX_BYTES
from .read.text import decode_bytes

INPUT_SUFFIXES = (
    ".yaml",
    ".yml",
    ".txt",
    ".text",
    ".md",
    ".markdown",
    ".json",
    ".html",
    ".htm",
    ".shtml",
    ".docx",
    ".doc",
    ".wps",
    ".pdf",
    ".ofd",
    ".png",
    ".jpg",
    ".jpeg",
    ".tif",
    ".tiff",
)


def expand_inputs(paths: list[str]) -> list[str]:
    """Files as given; a directory stands for the report files inside it (sorted)."""
    return [file for path in paths for file in input_files(path)]


def input_files(path: str) -> Iterator[str]:
    """The report files under `path` (report suffixes; symbolic links to directories not
    followed), in the order of their paths as strings, walked lazily; a file, "-", or a directory
    without any report stands for itself."""
    if path == "-" or not os.path.isdir(path):
        yield path
        return
    found = False
    for file in _walk(str(Path(path))):
        found = True
        yield file
    if not found:
        yield path


def _walk(directory: str) -> Iterator[str]:
    try:
        with os.scandir(directory) as it:
            entries = [(e.name + "/" if _real_directory(e) else e.name, e) for e in it]
    except OSError:
        return
    entries.sort(key=lambda pair: pair[0])
    for key, entry in entries:
        if key.endswith("/"):
            yield from _walk(entry.path)
        elif os.path.splitext(entry.name)[1].lower() in INPUT_SUFFIXES and _is_file(entry):
            yield entry.path


def _real_directory(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir() and not entry.is_symlink()
    except OSError:
        return False


def _is_file(entry: os.DirEntry) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def load_report(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Report:
    """Read one input of any supported medium (text, HTML, DOCX, DOC/WPS, PDF, OFD, image), or an
    `xxgk.report/1` JSON file, or a YAML report source (by its extension), into a Report."""
    if Path(path).suffix.lower() in (".yaml", ".yml"):
        from .source import load_source

        return load_source(path, max_bytes)
    data, label = read_path(path, max_bytes)
    kind = sniff_bytes(data, label)
    if kind == "json":
        text, _ = decode_bytes(data, label)
        return _printable(_report_from_json_text(label, text), label)
    return _printable(parse_document(read_bytes(data, label, kind)), label)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _printable(report: Report, label: str) -> Report:
    """Refuse a report holding a lone surrogate (a "\\ud800" escape in JSON, a broken font map
    in a PDF): no output (text, JSON, CSV, DOCX) can encode it, so every command would fail
    while writing. YAML sources are refused earlier, with the line (source/yamlguard.py).
    The report's text fields are searched at once (not its whole JSON, on every load)."""
    if _SURROGATE.search("\n".join(_report_texts(report))) is None:
        return report
    found = _SURROGATE.search(json.dumps(report.to_json(), ensure_ascii=False))  # the first, in JSON order
    if found is not None:
        code = f"U+{ord(found.group()):04X}"
        raise InputError(f"报告中有无效的 Unicode 字符 {code}（单独的代理码位），无法输出", label)
    return report


def _report_texts(report: Report) -> list[str]:
    """Every string of the report's `xxgk.report/1` JSON, in any order (the tables' labels
    come from the format declaration and are left out)."""
    meta, source = report.meta, report.meta.source
    out: list = [report.format, meta.agency, meta.title, meta.publish_date, meta.script, report.preamble]
    out += (source.path, source.sha256, source.media_type, *report.sections.values())
    for cell in report.cells.values():
        out += (cell.raw, cell.text, cell.confidence)
        _add_strings(out, cell.where)
    for finding in report.findings:
        out += (finding.code, finding.severity, finding.message, finding.hint, *finding.cells)
        _add_strings(out, finding.where)
    for artifact in report.artifacts:
        out += (artifact.kind, artifact.text)
        _add_strings(out, artifact.where)
    return [x for x in out if isinstance(x, str)]


def _add_strings(out: list, value) -> None:
    """The strings in a `where` (keys and values, at any depth)."""
    if isinstance(value, dict):
        for key, item in value.items():
            out.append(key)
            if not isinstance(item, int | float | None):
                _add_strings(out, item)
    elif isinstance(value, list | tuple):
        for item in value:
            _add_strings(out, item)
    else:
        out.append(value)


def _report_from_json_text(path: str, text: str) -> Report:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"JSON 格式错误（第 {exc.lineno} 行第 {exc.colno} 列）", path) from None
    except RecursionError:  # the decoder's own depth guard; a report is a few levels deep
        raise InputError("JSON 嵌套层数过多，不是 xxgk.report/1 报告", path) from None
    try:
        return Report.from_json(data)
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(str(exc), path) from None


def load_reports(paths: list[str]) -> list[Report]:
    """Every report under the given files and directories (for --previous / --members)."""
    return [load_report(path) for path in expand_inputs(paths)]


class PreviousReports:
    """Finds the previous year's report of the same agency among the reports given.

    With a single report given, that one is used for every input (the user chose it)."""

    def __init__(self, reports: list[Report]):
        self.reports = reports
        self.by_key = {(r.meta.agency, r.meta.year): r for r in reports if r.meta.agency and r.meta.year}

    def find(self, report: Report) -> Report | None:
        if len(self.reports) == 1:
            return self.reports[0]
        year = report.meta.year
        if report.meta.agency is None or year is None:
            return None
        return self.by_key.get((report.meta.agency, year - 1))


RENDER_SUFFIXES = {
    ".html": "html",
    ".htm": "html",
    ".docx": "docx",
    ".pdf": "pdf",
    ".md": "md",
    ".markdown": "md",
}
UNCHECKED_STAMP = "（未通过检查，强制生成）"


def render_report(report: Report, out: str, *, fragment: bool = False, unchecked: bool = False) -> None:
    """Write `report` to `out`; the format follows the extension. An unchecked document says so
    in its title, so nobody publishes it by mistake."""
    from .render import render_docx, render_html, render_markdown
    from .render.layout import report_title

    kind = RENDER_SUFFIXES.get(Path(out).suffix.lower())
    if kind is None:
        known = "、".join(sorted(RENDER_SUFFIXES))
        raise InputError(f"不支持的输出格式（可用扩展名：{known}）", out)
    if unchecked:
        report.meta.title = report_title(report) + UNCHECKED_STAMP
    try:
        if kind == "docx":
            render_docx(report, out)
        elif kind == "pdf":
            from .render.pdf import render_pdf  # WeasyPrint loads only when a PDF is asked for

            render_pdf(report, out)
        else:
            text = render_html(report, fragment=fragment) if kind == "html" else render_markdown(report)
            Path(out).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"无法写入文件（{exc.strerror}）", out) from None


def load_report_bytes(data: bytes, label: str) -> Report:
    """`load_report` for bytes already in memory (an upload): a YAML source by its name's
    extension, an `xxgk.report/1` JSON or any medium by content. Same limits and errors."""
    if len(data) > DEFAULT_MAX_BYTES:
        from .read.limits import too_large_message

        raise InputError(too_large_message(len(data), DEFAULT_MAX_BYTES), label)
    if Path(label).suffix.lower() in (".yaml", ".yml"):
        from .source import loads_source

        text, _ = decode_bytes(data, label)
        return loads_source(text, label)
    kind = sniff_bytes(data, label)
    if kind == "json":
        text, _ = decode_bytes(data, label)
        return _printable(_report_from_json_text(label, text), label)
    return _printable(parse_document(read_bytes(data, label, kind)), label)
