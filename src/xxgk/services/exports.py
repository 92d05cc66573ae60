"""Downloads of a stored report: the report as DOCX, PDF, YAML source or `xxgk.report/1`
JSON, and its findings as CSV or XLSX (with the reviews). Same scope as reading."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import PurePath

from sqlalchemy.orm import Session

from ..csvout import HEADER, finding_row, write_findings_csv
from ..errors import XxgkError
from ..model import Report
from ..safecell import neutralise
from ..store.tables import User
from .reports import DECISIONS, current_reviews, finding_key, get_report, report_model
from .scope import NotFound

KINDS = {
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    "pdf": ("application/pdf", ".pdf"),
    "yaml": ("application/yaml; charset=utf-8", "源文件.yaml"),
    "json": ("application/json; charset=utf-8", ".json"),
    "findings.csv": ("text/csv; charset=utf-8", "-检查问题.csv"),
    "findings.xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "-检查问题.xlsx"),
}


@dataclass
class Download:
    content: bytes
    filename: str
    media_type: str


def download(session: Session, user: User, report_id: int, kind: str) -> Download:
    if kind not in KINDS:
        raise NotFound("没有这种下载格式")
    stored = get_report(session, user, report_id)
    report = report_model(stored)
    if report is None:
        raise XxgkError("报告尚未读取完成，暂不能下载")
    media_type, suffix = KINDS[kind]
    stem = PurePath(stored.filename).stem or f"报告{stored.id}"
    if kind.startswith("findings."):
        reviews = {k: r.decision for k, (r, _) in current_reviews(session, stored.id).items()}
        content = findings_csv(report) if kind == "findings.csv" else findings_xlsx(report, reviews)
    else:
        content = render_bytes(report, kind)
    return Download(content, stem + suffix, media_type)


def render_bytes(report: Report, kind: str) -> bytes:
    if kind == "json":
        return json.dumps(report.to_json(), ensure_ascii=False, indent=2).encode("utf-8")
    if kind == "yaml":
        from ..source import dump_source

        return dump_source(report).encode("utf-8")
    buffer = io.BytesIO()
    if kind == "docx":
        from ..render import render_docx

        render_docx(report, buffer)
    else:
        from ..render.pdf import render_pdf

        render_pdf(report, buffer)
    return buffer.getvalue()


def findings_csv(report: Report) -> bytes:
    out = io.StringIO()
    write_findings_csv([report], out)
    return out.getvalue().encode("utf-8")


def findings_xlsx(report: Report, reviews: dict[str, str]) -> bytes:
    """The CSV's columns (csvout.HEADER) plus 处理 (确认 / 不予采纳); formulas neutralised."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "检查问题"
    sheet.append([*HEADER, "处理"])
    for f in report.findings:
        decision = DECISIONS.get(reviews.get(finding_key(f), ""), "")
        sheet.append([neutralise(v) for v in [*finding_row(report, f), decision]])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
