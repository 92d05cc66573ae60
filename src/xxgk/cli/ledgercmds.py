"""`xxgk ledger …`: the case ledger of 依申请公开 — register, record events, the daily to-do,
the year's report source, import and export. What `show` and `list` print is in ledgerview."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

import typer

from ..errors import XxgkError
from ..ledger.records import (
    APPLICANT_TYPES,
    CHANNELS,
    EVENT_KINDS,
    OUTCOMES,
    CaseRecord,
    EventRecord,
    choice_key,
)
from ..ledger.settings import default_actor, default_target  # light: os and getpass
from .common import EXIT_UNREADABLE, app, error_line

if TYPE_CHECKING:
    from ..ledger.store import Ledger

# Start-up: the ledger's calendar, domain and views load when a ledger command runs, not for
# every xxgk command.


def __getattr__(name: str) -> Any:
    if name == "STATUS_NAMES":  # re-exported for callers that import it from here
        from .ledgerview import STATUS_NAMES

        return STATUS_NAMES
    raise AttributeError(name)

HELP = "依申请公开台账：登记申请、记录事件、期限提醒、年度统计。"
ledger_app = typer.Typer(no_args_is_help=True, help=HELP)
app.add_typer(ledger_app, name="ledger", help=HELP)

DB = typer.Option(
    None,
    "--db",
    help="台账数据库：SQLite 文件或 postgresql://… 地址（默认取环境变量 XXGK_LEDGER_DB，否则为当前目录的 xxgk-ledger.sqlite3）。",
)
BY = typer.Option(None, "--by", help="记录人（默认取环境变量 XXGK_USER，否则为系统登录名）。")
AS_OF = typer.Option(None, "--as-of", help="以哪一天为准（YYYY-MM-DD，默认今天）。")

# Event data a clerk gives in Chinese; stored as the keys the domain reads.
VALUE_CHOICES = {
    "result": {"upheld": "维持", "corrected": "纠正", "other": "其他"},
    "method": {"count": "按件计收", "pages": "按量计收"},
    "kind": {"third_party": "第三方", "agency": "其他机关"},
    "fields.channel": CHANNELS,
    "fields.applicant_type": APPLICANT_TYPES,
}
INT_KEYS, BOOL_KEYS = {"pages"}, {"after_review"}
BOOLS = {"是": True, "否": False, "true": True, "false": False, "1": True, "0": False}


@contextmanager
def _user_errors() -> Iterator[None]:
    """Bad input ends the command with one line per problem and exit code 2, never a traceback."""
    # The store (SQLAlchemy) loads only when a ledger command runs, not for every xxgk command.
    from ..ledger.importexport import ImportProblems

    try:
        yield
    except typer.Exit:
        raise
    except ImportProblems as exc:
        for line in exc.lines():  # each tagged 错误： or 警告：
            print(line, file=sys.stderr)
        raise typer.Exit(EXIT_UNREADABLE) from None
    except XxgkError as exc:
        error_line(str(exc))
        raise typer.Exit(EXIT_UNREADABLE) from None
    except Exception as exc:  # a bug must not show the user a traceback
        if os.environ.get("XXGK_DEBUG"):
            raise
        error_line(f"内部错误（{type(exc).__name__}: {exc}），请报告此问题")
        raise typer.Exit(EXIT_UNREADABLE) from None


def _open(db: str | None, create: bool = False) -> Ledger:
    from ..ledger.store import Ledger

    return Ledger.open(default_target(db), create=create)


def _day(text: str | None, what: str) -> date:
    if text is None:
        return date.today()
    from ..ledger.calendar import parse_day

    day = parse_day(text)
    if day is None:
        raise XxgkError(f"{what}“{text}”不是有效的日期（应为 YYYY-MM-DD）")
    return day


def _choice(value: str, choices: dict[str, str], what: str) -> str:
    key = choice_key(value, choices)
    if key is None:
        raise XxgkError(f"未知的{what}“{value}”（可选：{'、'.join(choices.values())}）")
    return key


def _outcome(value: str) -> str:
    from .ledgerview import OUTCOME_LABELS

    if value in OUTCOMES:
        return value
    for key, label in OUTCOME_LABELS.items():
        if value in (label, label.split("·")[-1]):
            return key
    raise XxgkError(f"未知的答复结果“{value}”（可选：{'、'.join(OUTCOME_LABELS.values())}）")


def _data(pairs: list[str]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key:
            raise XxgkError(f"--data 应写作 键=值，不是“{pair}”")
        if key in VALUE_CHOICES:
            value = _choice(value, VALUE_CHOICES[key], key)
        leaf = key.rsplit(".", 1)[-1]
        if leaf in INT_KEYS:
            if not value.isdigit():
                raise XxgkError(f"{key} 应为整数，不是“{value}”")
            value = int(value)
        elif leaf in BOOL_KEYS:
            if value.lower() not in BOOLS:
                raise XxgkError(f"{key} 应为“是”或“否”，不是“{value}”")
            value = BOOLS[value.lower()]
        node = data
        *parents, last = key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
    return data


# -- registering and recording ---------------------------------------------------------


@ledger_app.command("add")
def add(
    received: str = typer.Option(..., "--received", help="收到申请的日期（YYYY-MM-DD）。"),
    channel: str = typer.Option(..., "--channel", help=f"渠道：{'、'.join(CHANNELS.values())}。"),
    applicant_type: str = typer.Option(
        ..., "--type", help=f"申请人类型：{'、'.join(APPLICANT_TYPES.values())}。"
    ),
    name: str = typer.Option(..., "--name", help="申请人姓名或名称。"),
    request: str = typer.Option(..., "--request", help="申请内容（所需信息的名称、文号或描述）。"),
    contact: str = typer.Option("", "--contact", help="联系方式。"),
    number: str = typer.Option("", "--number", help="登记号（默认自动编号：年份-序号，如 2025-0001）。"),
    db: str = DB,
    by: str = BY,
) -> None:
    """登记一件政府信息公开申请。"""
    from ..ledger import domain

    with _user_errors():
        case = CaseRecord(
            number=number,
            received=_day(received, "收到日期"),
            channel=_choice(channel, CHANNELS, "渠道"),
            applicant_type=_choice(applicant_type, APPLICANT_TYPES, "申请人类型"),
            applicant_name=name,
            request=request,
            applicant_contact=contact,
        )
        with _open(db, create=True) as ledger:
            stored = ledger.add_case(case, default_actor(by))
        state = domain.case_state(stored, [], stored.received)
        print(f"已登记：{stored.number}（收到 {stored.received.isoformat()}，{CHANNELS[stored.channel]}）")
        if state.deadline is not None:
            print(f"答复期限：{state.deadline.due.isoformat()}")


@ledger_app.command("event")
def event(
    number: str = typer.Argument(..., help="登记号。"),
    kind: str = typer.Argument(
        ..., help="事件，如 补正通知、补正收到、延期答复、答复、备注（或其英文代码）。"
    ),
    day: str = typer.Argument(..., metavar="DATE", help="事件发生的日期（YYYY-MM-DD）。"),
    outcome: str = typer.Option(None, "--outcome", help="答复结果（答复事件必填），如 予以公开、部分公开。"),
    data: list[str] = typer.Option(
        None, "--data", help="事件数据，键=值，可多次给出（如 --data text=电话沟通）。"
    ),
    supersedes: int = typer.Option(None, "--supersedes", help="本事件更正（替代）的事件编号。"),
    db: str = DB,
    by: str = BY,
) -> None:
    """为申请记录一个有日期的事件（更正也是新事件，原记录保留）。"""
    with _user_errors():
        values = _data(data or [])
        if outcome is not None:
            values["outcome"] = _outcome(outcome)
        record = EventRecord(
            _choice(kind, EVENT_KINDS, "事件类型"), _day(day, "日期"), values, supersedes=supersedes
        )
        with _open(db) as ledger:
            stored = ledger.add_event(number, record, default_actor(by))
        print(f"已记录：{number} 事件 #{stored.id} {EVENT_KINDS[stored.kind]} {stored.date.isoformat()}")


@ledger_app.command("void")
def void(
    number: str = typer.Argument(..., help="登记号。"),
    event_id: int = typer.Argument(..., help="要作废的事件编号（见 ledger show）。"),
    reason: str = typer.Option(..., "--reason", help="作废的原因。"),
    day: str = typer.Option(None, "--date", help="作废的日期（默认今天）。"),
    db: str = DB,
    by: str = BY,
) -> None:
    """作废一个录错的事件：它留在记录中并标为已作废，不再计入期限和统计。"""
    with _user_errors():
        record = EventRecord("void", _day(day, "日期"), {"reason": reason}, supersedes=event_id)
        with _open(db) as ledger:
            stored = ledger.add_event(number, record, default_actor(by))
        print(f"已作废：{number} 事件 #{event_id}（作废记录 #{stored.id}）")


# -- reading ---------------------------------------------------------------------------


@ledger_app.command("show")
def show(number: str = typer.Argument(..., help="登记号。"), as_of: str = AS_OF, db: str = DB) -> None:
    """显示一件申请：登记信息、全部事件（含已作废的）、当前状态、答复期限及其计算过程。"""
    from .ledgerview import print_case

    with _user_errors():
        day = _day(as_of, "日期")
        with _open(db) as ledger:
            case, events = ledger.case(number)
        print_case(case, events, day)


@ledger_app.command("list")
def list_cases(
    only_open: bool = typer.Option(False, "--open", help="只列未办结的申请。"),
    overdue: bool = typer.Option(False, "--overdue", help="只列已超过答复期限的申请。"),
    due_within: int = typer.Option(
        None, "--due-within", min=0, max=1000, help="只列 N 个工作日内到期（含已逾期）的申请。"
    ),
    year: int = typer.Option(None, "--year", help="只列该年收到的申请。"),
    as_of: str = AS_OF,
    db: str = DB,
) -> None:
    """待办清单：按答复期限排列的申请。"""
    from ..ledger import domain
    from .ledgerview import print_table

    with _user_errors():
        day = _day(as_of, "日期")
        limit = _due_limit(day, due_within)
        rows = []
        with _open(db) as ledger:
            for case, events in ledger.cases():
                state = domain.case_state(case, events, day)
                due = state.deadline.due if state.deadline else None
                received = state.case.received
                if received > day or (year is not None and received.year != year):
                    continue
                if (only_open or overdue or limit is not None) and state.status == "closed":
                    continue
                if (overdue and not (due and due < day)) or (
                    limit is not None and not (due and due <= limit)
                ):
                    continue
                rows.append((due or date.max, state))
        rows.sort(key=lambda item: (item[0], item[1].case.number))
        print_table(rows, day)


def _due_limit(day: date, working_days: int | None) -> date | None:
    if working_days is None:
        return None
    from ..ledger.deadline import compute_deadline

    return compute_deadline(day, days=working_days).due if working_days else day


# -- the year's report, import, export, settings ---------------------------------------


@ledger_app.command("report")
def report(
    year: int = typer.Option(..., "--year", help="统计年度。"),
    output: str = typer.Option(..., "--output", "-o", help="写出的报告源文件（YAML）。"),
    agency: str = typer.Option(None, "--agency", help="机关名称（默认取台账设置，见 ledger info）。"),
    force: bool = typer.Option(False, "--force", help="覆盖已有的文件。"),
    as_recorded: str = typer.Option(
        None,
        "--as-recorded",
        help="按台账在该日（当日结束时）的记录计算，不计此后录入的更正，用于重现已发布的报告。",
    ),
    db: str = DB,
) -> None:
    """由台账计算该年度的表三、表四（上年结转也由台账算出），写出报告源文件。"""
    from ..ledger.history import as_recorded as ledger_as_recorded
    from ..ledger.stats import year_report
    from ..source import write_source

    with _user_errors():
        moment = _end_of_day(as_recorded) if as_recorded else None
        with _open(db) as ledger:
            name = agency or ledger.get_info("agency")
            if not name:
                raise XxgkError("请用 --agency 指定机关名称（或先运行 xxgk ledger info --agency 名称）")
            histories = list(ledger.cases(received_before=date(year + 1, 1, 1)))
        if moment is not None:
            histories = ledger_as_recorded(histories, moment)
        result = year_report(histories, year, name)
        write_source(result, output, force=force)
        value = result.value
        print(
            f"已写出 {output}：{name} {year} 年，新收申请 {value('applications/received/total')} 件，"
            f"上年结转 {value('applications/carried_over/total')} 件，"
            f"办结 {value('applications/total/total')} 件，"
            f"结转下年度 {value('applications/carried_forward/total')} 件"
        )


def _end_of_day(text: str) -> datetime:
    """The end of a local calendar day, as an aware datetime."""
    from ..ledger.calendar import parse_day

    day = parse_day(text)
    return datetime.combine(day + timedelta(days=1), time.min).astimezone() - timedelta(seconds=1)


@ledger_app.command("import")
def import_cmd(
    file: str = typer.Argument(..., help="CSV 或 XLSX 文件（格式同 ledger export）。"),
    db: str = DB,
    by: str = BY,
    accept_warnings: bool = typer.Option(
        False,
        "--accept-warnings",
        help="确认导入有警告的记录（日期早于 2008-05-01 或晚于今天、记录时间晚于导入时间）；警告仍会列出。",
    ),
) -> None:
    """导入申请及其事件：逐行检查，有任何错误则一条也不导入；有警告时须确认（--accept-warnings）。"""
    from ..ledger.importexport import import_file, warning_lines

    with _user_errors(), _open(db, create=True) as ledger:
        result = import_file(ledger, file, default_actor(by), accept_warnings=accept_warnings)
        for line in warning_lines(result.notes):
            print(line, file=sys.stderr)
        accepted = f"（已确认 {result.notes.warning_count} 处警告）" if result.notes.warning_count else ""
        print(f"已导入 {result[0]} 件申请、{result[1]} 条事件{accepted}")


@ledger_app.command("export")
def export_cmd(
    file: str = typer.Argument(..., help="写出的文件，.csv 或 .xlsx。"),
    force: bool = typer.Option(False, "--force", help="覆盖已有的文件。"),
    db: str = DB,
) -> None:
    """导出全部申请及其事件（含已作废的记录）为 CSV 或 XLSX。"""
    from ..ledger.importexport import export_ledger

    with _user_errors(), _open(db) as ledger:
        cases, events = export_ledger(ledger, file, force=force)
        print(f"已导出 {cases} 件申请、{events} 条事件到 {file}")


@ledger_app.command("info")
def info(
    agency: str = typer.Option(None, "--agency", help="设置机关名称（年度报告使用）。"),
    db: str = DB,
) -> None:
    """显示台账概况；可设置机关名称。"""
    with _user_errors(), _open(db, create=agency is not None) as ledger:
        if agency is not None:
            if not agency.strip():
                raise XxgkError("机关名称不能为空")
            ledger.set_info("agency", agency.strip())
        print(f"台账数据库：{ledger.label}")
        print(f"机关名称：{ledger.get_info('agency') or '（未设置）'}")
        print(f"申请件数：{ledger.count_cases()}")


# The letter command lives with the letters (lettercmds.py); it joins this sub-app here.
from . import lettercmds  # noqa: E402

lettercmds.register(ledger_app)
