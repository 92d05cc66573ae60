"""Commands that compile a report: new (a starter source), convert (to a source or a document),
and `render_checked`, the check-then-render step that `render` and `convert` share."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from ..errors import InputError, XxgkError
from .common import EXIT_FINDINGS, EXIT_UNREADABLE, app, error_line

if TYPE_CHECKING:  # start-up: the library is imported by the command that runs
    from ..model import Report

SOURCE_SUFFIXES = (".yaml", ".yml")  # xxgk.source.SOURCE_SUFFIXES, without importing the YAML code

FORCE_HELP = "有错误或未填写的【请填写：…】也生成，并在标题注明“未通过检查”。"


def render_checked(report: Report, label: str, out: str, *, force: bool, fragment: bool) -> None:
    """Check `report`, then render it to `out`; errors (a starter's 【请填写：…】 left in the text is
    one, XG502) stop it (exit 1, the errors printed) unless `force`. Raises XxgkError on bad output."""
    from .. import api
    from ..check import check_report
    from ..show import print_check_results

    check_report(report)
    errors = [f for f in report.findings if f.severity == "error"]
    if errors and not force:
        report.findings = errors
        print_check_results([report])
        error_line(f"{label}：有 {len(errors)} 个错误，未生成 {out}（改正后重试，或用 --force 强制生成）")
        raise typer.Exit(EXIT_FINDINGS)
    api.render_report(report, out, fragment=fragment, unchecked=bool(errors))
    print(f"已生成 {out}" + ("（未通过检查）" if errors else ""))


# ---------------------------------------------------------------- new

_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\s]+')


def default_source_name(agency: str, year: int) -> str:
    return f"{_UNSAFE_NAME.sub('_', agency.strip())}-{year}-年度报告源文件.yaml"


def _source_path(out: str | None, agency: str, year: int) -> str:
    path = out or default_source_name(agency, year)
    if Path(path).suffix.lower() not in SOURCE_SUFFIXES:
        raise InputError("源文件的扩展名应为 .yaml 或 .yml", path)
    return path


@app.command()
def new(
    agency: str = typer.Option(..., "--agency", help="机关名称，如 示例区司法局。"),
    year: int = typer.Option(..., "--year", help="报告年度，如 2025。"),
    previous: str = typer.Option(
        None, "--previous", help="上一年度的报告（任何可读取的文件）；上年结转、现行有效件数从中取得。"
    ),
    out: str = typer.Option(
        None, "--output", "-o", help="源文件名（默认：<机关>-<年度>-年度报告源文件.yaml）。"
    ),
    force: bool = typer.Option(False, "--force", help="源文件已存在时覆盖。"),
) -> None:
    """新建年度报告源文件（YAML）。

    表格数字全为 0（给出上年报告时，上年结转、现行有效件数从中取得），各部分留有【请填写：…】提示，
    依申请公开、复议诉讼等段落按表格数字自动生成。"""
    from .. import api
    from ..source import PLACEHOLDER, starter_report, write_source

    try:
        last = api.load_report(previous) if previous else None
        report = starter_report(agency, year, last)
        path = _source_path(out, agency, year)
        write_source(report, path, force=force)
    except XxgkError as exc:
        error_line(str(exc))
        raise typer.Exit(EXIT_UNREADABLE) from None
    if last is not None and last.meta.agency and last.meta.agency != agency:
        print(
            f"注意：上年报告的机关是“{last.meta.agency}”，不是“{agency}”，请核对结转的数字", file=sys.stderr
        )
    carried = f"（上年结转和现行有效件数取自 {previous}）" if last is not None else ""
    print(
        f"已生成 {path}{carried}：请按文件中的说明填写表格数字和各部分文字、替换所有{PLACEHOLDER}：…】，"
        f"然后运行 xxgk render {path} -o 报告.docx"
    )


# ---------------------------------------------------------------- convert


def _write_source_with_summary(report: Report, out: str, force: bool) -> None:
    """The repair path: a source is written whatever the findings; they are printed so the
    clerk knows what to correct in it."""
    from ..check import check_report
    from ..show import print_check_results
    from ..source import front_matter, write_source

    check_report(report)
    write_source(report, out, force=force)
    print_check_results([report])
    dropped = front_matter(report)
    if dropped:
        print(
            f"注意：原报告第一部分之前有 {len(dropped)} 段文字（如“{dropped[0][:20]}…”）源文件无处保存，已作为注释列在 {out} 开头"
        )
    errors = sum(f.severity == "error" for f in report.findings)
    todo = f"其中有 {errors} 个错误，请在源文件中改正后" if errors else "可在源文件中修改后"
    print(f"已生成 {out}：{todo}运行 xxgk render {out} -o 报告.docx")


@app.command()
def convert(
    source: str = typer.Argument(
        ..., help="报告（任何可读取的报告文件、xxgk.report/1 JSON 或 YAML 源文件）。"
    ),
    out: str = typer.Option(
        ..., "--output", "-o", help="输出文件；由扩展名决定：.yaml（源文件）、.docx、.html、.md、.pdf。"
    ),
    force: bool = typer.Option(False, "--force", help="覆盖已有的源文件；生成文档时有错误也生成。"),
    fragment: bool = typer.Option(False, "--fragment", help="HTML 只输出正文片段（便于粘贴到网站后台）。"),
) -> None:
    """转换报告：转成 YAML 源文件或文档。

    转成 .yaml 源文件时总会生成，并列出检查发现的问题，便于在源文件中改正后重新生成；转成 .docx、.html、
    .md、.pdf 文档时与 render 相同：先检查，有错误时不生成（除非 --force）。"""
    from .. import api

    try:
        report = api.load_report(source)
        if Path(out).suffix.lower() in SOURCE_SUFFIXES:
            _write_source_with_summary(report, out, force)
        else:
            render_checked(report, source, out, force=force, fragment=fragment)
    except XxgkError as exc:
        error_line(str(exc))
        raise typer.Exit(EXIT_UNREADABLE) from None
