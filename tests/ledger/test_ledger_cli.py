"""`xxgk ledger …` as a clerk uses it: register, record, void, show, the to-do list, the
year's report source, import and export; bad input is one line on stderr and exit code 2."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from xxgk.cli import app
from xxgk.ledger import domain
from xxgk.ledger.deadline import compute_deadline
from xxgk.ledger.store import Ledger
from xxgk.source import load_source

runner = CliRunner()


def run(db: str, *args: str, by: str = "李四", env: dict[str, str] | None = None):
    command = ["ledger", *args, "--db", db]
    if args[0] in ("add", "event", "void", "import"):
        command += ["--by", by]
    return runner.invoke(app, command, env=env)


def ok(db: str, *args: str, **kw) -> str:
    result = run(db, *args, **kw)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def fails(db: str, *args: str, **kw) -> str:
    result = run(db, *args, **kw)
    assert result.exit_code == 2
    assert result.stdout == ""
    return result.stderr


def register(
    db: str, received: str, name: str = "张三", kind: str = "自然人", request: str = "道路维修经费"
) -> str:
    out = ok(
        db,
        "add",
        "--received",
        received,
        "--channel",
        "网上申请",
        "--type",
        kind,
        "--name",
        name,
        "--request",
        request,
    )
    return out.split("：", 1)[1].split("（", 1)[0]


def test_register_record_void_and_show(ledger_url):
    out = ok(
        ledger_url,
        *("add", "--received", "2025-09-26", "--channel", "当面提交", "--type", "自然人"),
        *("--name", "张三", "--request", "道路维修经费", "--contact", "13800138000"),
    )
    assert out == "已登记：2025-0001（收到 2025-09-26，当面提交）\n答复期限：2025-10-30\n"
    out = ok(ledger_url, "event", "2025-0001", "补正通知", "2025-09-28", "--data", "items=说明用途")
    assert out == "已记录：2025-0001 事件 #1 补正通知 2025-09-28\n"
    ok(ledger_url, "event", "2025-0001", "note", "2025-09-29", "--data", "text=电话沟通")
    out = ok(ledger_url, "void", "2025-0001", "2", "--reason", "录错", "--date", "2025-09-30", by="王五")
    assert out == "已作废：2025-0001 事件 #2（作废记录 #3）\n"
    ok(ledger_url, "event", "2025-0001", "补正收到", "2025-10-09")
    lines = ok(ledger_url, "show", "2025-0001", "--as-of", "2025-10-20").splitlines()
    assert lines[:5] == [
        "登记号：2025-0001",
        "收到日期：2025-09-26（当面提交）",
        "申请人：张三（自然人）",
        "联系方式：13800138000",
        "申请内容：道路维修经费",
    ]
    assert lines[5].startswith("登记人：李四，20")
    assert lines[6:8] == ["状态（截至 2025-10-20）：办理中", "答复期限：2025-11-05"]
    with Ledger.open(ledger_url) as ledger:
        case, events = ledger.case("2025-0001")
    explanation = domain.case_state(case, events, date(2025, 10, 20)).deadline.explanation
    assert lines[8 : 8 + len(explanation)] == [f"  {line}" for line in explanation]
    history = [line.split("  —— ") for line in lines[8 + len(explanation) :]]
    assert history[0] == ["事件（4 条）："]
    assert [h[0] for h in history[1:]] == [
        "  #1  2025-09-28  补正通知  items=说明用途",
        "  #2  2025-09-29  备注  text=电话沟通",
        "  #3  2025-09-30  作废 #2  reason=录错",
        "  #4  2025-10-09  补正收到",
    ]
    assert history[2][1].startswith("李四 20") and history[2][1].endswith("  [已作废，见 #3]")
    assert history[3][1].startswith("王五 20")
    ok(ledger_url, "event", "2025-0001", "答复", "2025-10-20", "--outcome", "部分公开")
    lines = ok(ledger_url, "show", "2025-0001", "--as-of", "2025-10-21").splitlines()
    assert "状态（截至 2025-10-21）：已办结（部分公开，2025-10-20）" in lines
    assert not any(line.startswith("答复期限") for line in lines)


def test_bad_input_is_one_line_and_exit_code_2(tmp_path):
    db = str(tmp_path / "l.sqlite3")
    missing = str(tmp_path / "none.sqlite3")
    assert fails(missing, "show", "2025-0001") == (
        f"错误：{missing}：台账数据库不存在（先用 xxgk ledger add 或 xxgk ledger import 建立）\n"
    )
    assert not Path(missing).exists()
    bad = (
        "add",
        "--received",
        "2025-09-26",
        "--channel",
        "飞鸽",
        "--type",
        "自然人",
        "--name",
        "张",
        "--request",
        "x",
    )
    assert fails(db, *bad) == "错误：未知的渠道“飞鸽”（可选：当面提交、信函、网上申请、电子邮件、传真）\n"
    bad_date = (
        "add",
        "--received",
        "2025-9-31",
        "--channel",
        "信函",
        "--type",
        "自然人",
        "--name",
        "张",
        "--request",
        "x",
    )
    assert fails(db, *bad_date) == "错误：收到日期“2025-9-31”不是有效的日期（应为 YYYY-MM-DD）\n"
    register(db, "2025-03-03")
    assert fails(db, "show", "2025-0099") == "错误：登记号 2025-0099 不存在\n"
    assert fails(db, "event", "2025-0001", "答复", "2025-03-10", "--outcome", "同意").startswith(
        "错误：未知的答复结果“同意”（可选：予以公开、部分公开、不予公开·属于国家秘密、"
    )
    assert fails(db, "event", "2025-0001", "备注", "2025-03-10", "--data", "text") == (
        "错误：--data 应写作 键=值，不是“text”\n"
    )
    reply_first = fails(db, "event", "2025-0001", "答复", "2025-03-01", "--outcome", "予以公开")
    assert reply_first.startswith("错误：申请 2025-0001：") and reply_first.count("\n") == 1
    with Ledger.open(db) as ledger:
        assert ledger.case("2025-0001")[1] == []


def test_todo_list_sorted_by_due_date_with_filters(tmp_path):
    db = str(tmp_path / "l.sqlite3")
    register(db, "2025-12-01", "甲")  # 2025-0001
    register(db, "2025-11-10", "乙")  # 2025-0002, overdue on 2025-12-20
    register(db, "2025-12-18", "丙")  # 2025-0003
    register(db, "2024-12-30", "丁")  # 2024-0001, open since last year
    ok(db, "event", "2025-0002", "答复", "2025-11-20", "--outcome", "予以公开")
    register(db, "2025-10-09", "戊")  # 2025-0004, overdue
    due = {
        n: compute_deadline(date.fromisoformat(d)).due
        for n, d in [
            ("2025-0001", "2025-12-01"),
            ("2025-0003", "2025-12-18"),
            ("2024-0001", "2024-12-30"),
            ("2025-0004", "2025-10-09"),
        ]
    }

    def numbers(*args: str) -> list[str]:
        out = ok(db, "list", "--as-of", "2025-12-20", *args).splitlines()
        assert out[-1] == f"共 {len(out) - 2} 件（截至 2025-12-20）"
        return [line.split()[0] for line in out[1:-1]]

    open_cases = sorted(due, key=lambda n: due[n])
    assert numbers("--open") == open_cases
    assert numbers() == sorted([*open_cases, "2025-0002"], key=lambda n: due.get(n, date.max))
    assert numbers("--overdue") == [n for n in open_cases if due[n] < date(2025, 12, 20)]
    within = compute_deadline(date(2025, 12, 20), days=5).due
    assert numbers("--due-within", "5") == [n for n in open_cases if due[n] <= within]
    assert numbers("--year", "2024") == ["2024-0001"]
    header = ok(db, "list", "--as-of", "2025-12-20", "--overdue").splitlines()
    assert header[0].split() == ["登记号", "收到日期", "申请人", "状态", "答复期限", "申请内容"]
    assert header[1].split() == [
        "2024-0001",
        "2024-12-30",
        "丁",
        "办理中",
        f"{due['2024-0001']}（已逾期）",
        "道路维修经费",
    ]
    assert ok(db, "list", "--as-of", "2024-01-01", "--open") == "没有符合条件的申请（截至 2024-01-01）\n"


def test_year_report_source_with_carry_over_from_the_history(ledger_url, tmp_path):
    register(ledger_url, "2024-12-20", "甲")
    ok(ledger_url, "event", "2024-0001", "答复", "2025-01-10", "--outcome", "予以公开")
    register(ledger_url, "2025-03-03", "某某科技有限公司", kind="商业企业")
    ok(ledger_url, "event", "2025-0001", "答复", "2025-03-20", "--outcome", "本机关不掌握相关政府信息")
    register(ledger_url, "2025-12-25", "乙")
    out_2024, out_2025 = tmp_path / "2024.yaml", tmp_path / "2025.yaml"
    assert fails(ledger_url, "report", "--year", "2025", "-o", str(out_2025)) == (
        "错误：请用 --agency 指定机关名称（或先运行 xxgk ledger info --agency 名称）\n"
    )
    ok(ledger_url, "info", "--agency", "某市某局")
    assert ok(ledger_url, "report", "--year", "2024", "-o", str(out_2024)) == (
        f"已写出 {out_2024}：某市某局 2024 年，新收申请 1 件，上年结转 0 件，办结 0 件，结转下年度 1 件\n"
    )
    assert ok(ledger_url, "report", "--year", "2025", "-o", str(out_2025)) == (
        f"已写出 {out_2025}：某市某局 2025 年，新收申请 2 件，上年结转 1 件，办结 2 件，结转下年度 1 件\n"
    )
    last, this = load_source(str(out_2024)), load_source(str(out_2025))
    assert this.meta.agency == "某市某局" and this.meta.year == 2025
    assert (
        this.value("applications/carried_over/total") == last.value("applications/carried_forward/total") == 1
    )
    assert this.value("applications/granted/natural_person") == 1
    assert this.value("applications/unavailable_not_held/commercial") == 1
    assert this.value("applications/carried_forward/natural_person") == 1
    before = out_2025.read_bytes()
    message = fails(ledger_url, "report", "--year", "2025", "-o", str(out_2025), "--agency", "别的局")
    assert message.startswith(f"错误：{out_2025}：文件已存在") and out_2025.read_bytes() == before
    ok(ledger_url, "report", "--year", "2025", "-o", str(out_2025), "--agency", "别的局", "--force")
    assert load_source(str(out_2025)).meta.agency == "别的局"


def test_export_then_import_and_row_errors(tmp_path):
    db, copy = str(tmp_path / "a.sqlite3"), str(tmp_path / "b.sqlite3")
    register(db, "2025-03-03")
    ok(db, "event", "2025-0001", "备注", "2025-03-04", "--data", "text=已电话联系")
    for name in ("out.csv", "out.xlsx"):
        assert ok(db, "export", str(tmp_path / name)) == f"已导出 1 件申请、1 条事件到 {tmp_path / name}\n"
    assert fails(db, "export", str(tmp_path / "out.csv")).startswith(
        f"错误：{tmp_path / 'out.csv'}：文件已存在"
    )
    assert ok(copy, "import", str(tmp_path / "out.xlsx")) == "已导入 1 件申请、1 条事件\n"
    bad = tmp_path / "bad.csv"
    text = (tmp_path / "out.csv").read_text(encoding="utf-8-sig").replace("2025-03-03", "2025-03-32")
    bad.write_text(text.replace("网上申请", "鸽子"), encoding="utf-8-sig")
    assert fails(copy, "import", str(bad)).splitlines() == [
        f"错误：{bad}：第 2 行，“收到日期”列：不是有效的日期“2025-03-32”（应为 YYYY-MM-DD）",
        f"错误：{bad}：第 2 行，“渠道”列：未知的渠道“鸽子”（可选：当面提交、信函、网上申请、电子邮件、传真）",
        f"错误：{bad}：共 2 处错误，未导入任何记录",
    ]
    assert ok(copy, "info").splitlines()[-1] == "申请件数：1"


def test_database_and_actor_from_environment_or_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    env = {"XXGK_LEDGER_DB": str(tmp_path / "env.sqlite3"), "XXGK_USER": "环境用户"}
    args = ["ledger", "add", "--received", "2025-03-03", "--channel", "信函", "--type", "其他"]
    result = runner.invoke(app, [*args, "--name", "某村委会", "--request", "x"], env=env)
    assert result.exit_code == 0, result.stderr
    with Ledger.open(tmp_path / "env.sqlite3", create=False) as ledger:
        assert ledger.case("2025-0001")[0].recorded_by == "环境用户"
    result = runner.invoke(
        app, [*args, "--name", "某村委会", "--request", "x"], env={"XXGK_LEDGER_DB": "", "XXGK_USER": ""}
    )
    assert result.exit_code == 0, result.stderr
    with Ledger.open(tmp_path / "xxgk-ledger.sqlite3", create=False) as ledger:
        assert ledger.case("2025-0001")[0].recorded_by  # the login name


def test_no_traceback_from_a_real_process(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "XXGK_DEBUG"}
    not_a_db = tmp_path / "notes.sqlite3"
    not_a_db.write_text("不是数据库" * 300, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "xxgk.cli", "ledger", "list", "--db", str(not_a_db)],
        capture_output=True,
        timeout=60,
        env=env,
    )
    assert result.returncode == 2
    assert result.stderr.decode() == f"错误：{not_a_db}：不是台账数据库（无法作为 SQLite 数据库读取）\n"
    assert result.stdout == b""


@pytest.mark.parametrize(
    "command", ["add", "event", "void", "show", "list", "report", "import", "export", "info"]
)
def test_every_command_takes_db(command):
    result = runner.invoke(app, ["ledger", command, "--help"])
    assert result.exit_code == 0 and "--db" in result.stdout
