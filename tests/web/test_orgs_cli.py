"""The organisation tree and accounts from the command line: add, import (every row checked,
all or nothing), export (formulas neutralised), users and tokens; --db or XXGK_DB."""

from __future__ import annotations

import io
import subprocess
import sys

import openpyxl
import pytest
from typer.testing import CliRunner

from xxgk.cli import app
from xxgk.store import open_database
from xxgk.store.audit import entries

runner = CliRunner()


def xxgk(*args: str, stdin: str | None = None, env: dict | None = None):
    return runner.invoke(app, list(args), input=stdin, env=env)


def ok(*args: str, **kw) -> str:
    result = xxgk(*args, **kw)
    assert result.exit_code == 0, result.output
    return result.output


def fails(*args: str, **kw) -> str:
    result = xxgk(*args, **kw)
    assert result.exit_code == 2, result.output
    return result.output


TREE_CSV = (
    "名称,类型,层级,上级\n"
    "示例县交通运输局,政府部门,县,示例县人民政府\n"  # the parent comes later in the file
    "示例县人民政府,人民政府,县,\n"
    '=HYPERLINK("http://x"),其他,乡,示例县人民政府\n'
)


def test_add_import_list_export_round_trip(db_url, tmp_path):
    ok("orgs", "add", "示例市人民政府", "--kind", "人民政府", "--level", "市", "--db", db_url)
    source = tmp_path / "tree.csv"
    source.write_text(TREE_CSV.replace(",县,\n", ",县,示例市人民政府\n", 1), encoding="utf-8")
    assert ok("orgs", "import", str(source), "--db", db_url) == "已导入 3 个机构\n"
    assert ok("orgs", "list", "--db", db_url) == (
        "示例市人民政府（人民政府，市）\n"
        "  示例县人民政府（人民政府，县）\n"
        "    示例县交通运输局（政府部门，县）\n"
        '    =HYPERLINK("http://x")（其他，乡）\n'
    )
    csv_out, xlsx_out = tmp_path / "out.csv", tmp_path / "out.xlsx"
    ok("orgs", "export", str(csv_out), "--db", db_url)
    ok("orgs", "export", str(xlsx_out), "--db", db_url)
    assert csv_out.read_bytes().decode("utf-8") == (
        "\ufeff名称,类型,层级,上级\r\n示例市人民政府,人民政府,市,\r\n示例县人民政府,人民政府,县,示例市人民政府\r\n"
        "示例县交通运输局,政府部门,县,示例县人民政府\r\n"
        '"\'=HYPERLINK(""http://x"")",其他,乡,示例县人民政府\r\n'
    )
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_out.read_bytes())).active
    assert sheet["A5"].value == '\'=HYPERLINK("http://x")' and sheet["A5"].data_type == "s"
    # the export imports into a fresh database as the same tree (the quote is taken off again)
    fresh = str(tmp_path / "fresh.sqlite3")
    assert ok("orgs", "import", str(xlsx_out), "--db", fresh) == "已导入 4 个机构\n"
    assert ok("orgs", "list", "--db", fresh) == ok("orgs", "list", "--db", db_url)


def test_import_checks_every_row_and_adds_nothing_on_error(db_url, tmp_path):
    ok("orgs", "add", "示例县人民政府", "--kind", "人民政府", "--level", "县", "--db", db_url)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "名称,类型,层级,上级\n"
        "示例县司法局,政府部门,县,示例县人民政府\n"
        "示例县人民政府,人民政府,县,\n"
        ",部门,区,不存在的机构\n"
        "甲,其他,乡,乙\n"
        "乙,其他,乡,甲\n"
        "示例县司法局,政府部门,县,\n",
        encoding="utf-8",
    )
    assert fails("orgs", "import", str(bad), "--db", db_url) == "".join(
        f"错误：{bad}：{line}\n"
        for line in [
            "第 3 行，“名称”列：机构“示例县人民政府”已存在",
            "第 4 行，“名称”列：名称不能为空",
            "第 4 行，“类型”列：未知的类型“部门”（可选：人民政府、政府部门、街道办事处、乡镇、开发区管委会、其他）",
            "第 4 行，“层级”列：未知的层级“区”（可选：省、市、县、乡）",
            "第 7 行，“名称”列：名称“示例县司法局”在文件中重复（又见第 2 行）",
            "第 4 行，“上级”列：上级机构“不存在的机构”不存在",
            "第 5 行，“上级”列：上级关系形成循环（甲）",
            "第 6 行，“上级”列：上级关系形成循环（乙）",
        ]
    )
    assert ok("orgs", "list", "--db", db_url) == "示例县人民政府（人民政府，县）\n"
    header = tmp_path / "header.csv"
    header.write_text("名字,类型\n", encoding="utf-8")
    assert fails("orgs", "import", str(header), "--db", db_url) == (
        f"错误：{header}：表头应为：名称、类型、层级、上级（实际：名字、类型）\n"
    )
    assert fails("orgs", "import", str(tmp_path / "tree.txt"), "--db", db_url).startswith("错误：")


def test_add_refuses_bad_nodes_with_every_reason(db_url):
    assert fails(
        "orgs", "add", "某局", "--kind", "局", "--level", "区", "--parent", "无", "--db", db_url
    ) == (
        "错误：未知的类型“局”（可选：人民政府、政府部门、街道办事处、乡镇、开发区管委会、其他）；"
        "未知的层级“区”（可选：省、市、县、乡）；上级机构“无”不存在\n"
    )
    ok("orgs", "add", "某局", "--kind", "其他", "--level", "县", "--db", db_url)
    assert (
        fails("orgs", "add", "某局", "--kind", "其他", "--level", "县", "--db", db_url)
        == "错误：机构“某局”已存在\n"
    )


def test_users_add_token_and_the_audit_log(db_url, monkeypatch):
    ok("orgs", "add", "示例县司法局", "--kind", "政府部门", "--level", "县", "--db", db_url)
    out = ok(
        "users",
        "add",
        "sifa",
        "--role",
        "clerk",
        "--org",
        "示例县司法局",
        "--password-stdin",
        "--db",
        db_url,
        stdin="a-long-password\n",
    )
    assert out == "已新增账号：sifa\n"
    generated = ok("users", "add", "county", "--role", "supervisor", "--org", "示例县司法局", "--db", db_url)
    assert generated.startswith("已新增账号：county\n初始密码：") and len(generated.splitlines()[1]) > 12
    assert fails(
        "users",
        "add",
        "x",
        "--role",
        "boss",
        "--org",
        "无",
        "--password-stdin",
        "--db",
        db_url,
        stdin="short\n",
    ) == (
        "错误：登录名须为 2–64 个字母、数字、汉字或 . _ @ -；未知的角色“boss”（可选：clerk、supervisor、admin）；"
        "密码至少 8 个字符；机构“无”不存在\n"
    )
    assert (
        fails(
            "users",
            "add",
            "sifa",
            "--role",
            "clerk",
            "--org",
            "示例县司法局",
            "--password-stdin",
            "--db",
            db_url,
            stdin="a-long-password\n",
        )
        == "错误：登录名“sifa”已存在\n"
    )
    monkeypatch.setenv("XXGK_DB", db_url)
    token = ok("users", "token", "sifa").strip()
    assert token.startswith("xxgk_") and len(token) > 40
    assert ok("users", "list") == "sifa\t经办人员\t示例县司法局\ncounty\t监督人员\t示例县司法局\n"
    assert fails("users", "token", "nobody") == "错误：账号“nobody”不存在\n"
    database = open_database(db_url)
    with database.read() as session:
        logged = [(e.action, e.target) for e in entries(session)]
    database.close()
    assert logged == [
        ("user.token", "sifa"),
        ("user.add", "county"),
        ("user.add", "sifa"),
        ("org.add", "示例县司法局"),
    ]


@pytest.mark.parametrize("command", ["check", "parse"])
def test_report_commands_do_not_load_the_web_stack(command):
    code = (
        "import sys; from xxgk.cli import app; from typer.testing import CliRunner; "
        f"CliRunner().invoke(app, ['{command}', '--help']); "
        "print(sorted(m for m in ('fastapi', 'starlette', 'uvicorn', 'argon2') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out == "[]\n"
