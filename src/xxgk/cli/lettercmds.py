"""`xxgk ledger letter N KIND -o OUT`: a letter of one case as DOCX or PDF.

The `ledger` sub-app belongs to ledgercmds; it hooks this command in with
``lettercmds.register(ledger_app)``.
"""

from __future__ import annotations

import typer

from ..errors import XxgkError
from .common import EXIT_UNREADABLE, error_line

# Start-up: the ledger (calendar, letters, store) loads when the command runs. These mirror
# ledger.settings.ENV_DB, ledger.calendar.CALENDAR_ENV and ledger.letters.LETTERS for the
# help text; tests/test_cli_startup.py keeps them equal.
ENV_DB = "XXGK_LEDGER_DB"
CALENDAR_ENV = "XXGK_CALENDAR"
LETTERS = {
    "receipt": "登记回执",
    "correction": "补正告知书",
    "extension": "延期答复告知书",
    "consultation": "征求意见函",
    "fee": "收费通知书",
    "reply": "答复书",
}

# The ledger setting that holds the office's name (落款), when --office is not given.
AGENCY_KEY = "agency"

_KINDS = "、".join(f"{key}（{label}）" for key, label in LETTERS.items())


def letter(
    number: str = typer.Argument(..., help="登记号，如 2025-0001。"),
    kind: str = typer.Argument(..., help=f"文书类型：{_KINDS}；也可写中文名称。"),
    output: str = typer.Option(..., "-o", "--output", help="输出文件：.docx 或 .pdf。"),
    templates: str = typer.Option(None, "--templates", help="本机关的模板目录；其中没有的文书用内置模板。"),
    office: str = typer.Option(None, "--office", help="落款机关名称；默认取台账设置中的机关名称。"),
    db: str = typer.Option(
        None, "--db", help=f"台账数据库（SQLite 文件或 postgresql:// 地址）；默认取 {ENV_DB}。"
    ),
    calendar: str = typer.Option(None, "--calendar", help=f"节假日覆盖文件（YAML）；默认取 {CALENDAR_ENV}。"),
    force: bool = typer.Option(False, "--force", help="输出文件已存在时覆盖。"),
) -> None:
    """生成一件申请的文书（登记回执、补正告知书、延期答复告知书、征求意见函、收费通知书、答复书）。"""
    from ..ledger.calendar import load_calendar
    from ..ledger.letters import render_letter
    from ..ledger.settings import default_target
    from ..ledger.store import Ledger  # SQLAlchemy loads only when a letter is asked for

    try:
        with Ledger.open(default_target(db), create=False) as ledger:
            case, events = ledger.case(number.strip())
            office = office or ledger.get_info(AGENCY_KEY)
        written = render_letter(
            kind, case, events, office or "", output, templates, calendar=load_calendar(calendar), force=force
        )
    except XxgkError as exc:
        error_line(str(exc))
        raise typer.Exit(EXIT_UNREADABLE) from None
    print(f"已生成：{written}")


def register(ledger_app: typer.Typer) -> None:
    ledger_app.command("letter")(letter)
