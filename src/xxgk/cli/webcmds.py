"""Commands of the web application: serve, worker, orgs (import/export/add/list) and users
(add/token/list). Every command takes --db (a SQLite file or a SQLAlchemy URL), else XXGK_DB,
else xxgk.sqlite3 here. FastAPI and uvicorn load only when `serve` runs."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import typer

from ..errors import XxgkError
from .common import EXIT_UNREADABLE, app, error_line

DB = typer.Option(
    None, "--db", help="数据库：SQLite 文件路径或 postgresql://… 地址（默认 XXGK_DB 或 ./xxgk.sqlite3）。"
)
PARENT_ENV = "XXGK_WORKER_PARENT"
orgs_app = typer.Typer(no_args_is_help=True, help="机构树：导入、导出、新增、列出。")
users_app = typer.Typer(no_args_is_help=True, help="账号：新增、生成 API 令牌、列出。")
app.add_typer(orgs_app, name="orgs")
app.add_typer(users_app, name="users")


def _target(db: str | None) -> str:
    from ..store import default_target

    return default_target(db)


def _open(db: str | None):
    from ..store import open_database

    return open_database(_target(db))


def _actor() -> str:
    from ..ledger.settings import default_actor

    return f"命令行:{default_actor(None)}"


def _fail(err: XxgkError) -> None:
    for line in str(err).splitlines():  # an import's problems: one line each
        error_line(line)
    raise typer.Exit(EXIT_UNREADABLE)


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="监听地址。"),
    port: int = typer.Option(8000, "--port", help="端口。"),
    db: str = DB,
    workers: int = typer.Option(1, "--workers", help="同时启动的读取进程（xxgk worker）个数；0 表示不启动。"),
    demo: bool = typer.Option(False, "--demo", help="建立演示机构、账号和示例报告（每次启动重设演示密码）。"),
) -> None:
    """启动网页应用（浏览器访问 http://HOST:PORT/）。"""
    import uvicorn

    from ..web import create_app

    try:
        database = _open(db)
        if demo:
            from ..services.demo import ACCOUNTS, create_demo

            password = create_demo(database)
            logins = "、".join(login for login, _, _ in ACCOUNTS)
            typer.echo(f"演示账号：{logins}；本次启动的演示密码：{password}")
        application = create_app(database)
    except XxgkError as err:
        _fail(err)
    # the URL may hold a password: in the environment, not on the command line; a worker stops
    # by itself when this process dies without stopping it (Worker.parent)
    env = {**os.environ, "XXGK_DB": _target(db), PARENT_ENV: str(os.getpid())}
    children = [
        subprocess.Popen([sys.executable, "-m", "xxgk.cli", "worker"], env=env) for _ in range(workers)
    ]
    # uvicorn re-raises SIGTERM after its shutdown; as SystemExit it lets `finally` stop the workers
    signal.signal(signal.SIGTERM, _exit_on_signal)
    typer.echo(
        f"网页应用：http://{host}:{port}/（数据库 {database.label}，读取进程 {workers} 个；Ctrl+C 停止）"
    )
    try:
        uvicorn.run(application, host=host, port=port, log_level="warning")
    finally:
        for child in children:
            child.terminate()
        for child in children:
            child.wait(10)


def _exit_on_signal(signum: int, frame: object) -> None:
    raise SystemExit(0)


@app.command()
def worker(
    db: str = DB,
    timeout: int = typer.Option(
        None, "--timeout", help="每份报告的读取时限（秒，默认 XXGK_JOB_TIMEOUT 或 600）。"
    ),
) -> None:
    """读取进程：从数据库取出上传的报告，读取并检查（可在多台机器上同时运行）。"""
    from ..jobs.worker import Worker

    try:
        parent = int(os.environ.get(PARENT_ENV) or 0) or None
        runner = Worker(_open(db), timeout=timeout, parent=parent)
    except XxgkError as err:
        _fail(err)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with contextlib.suppress(KeyboardInterrupt):
        runner.run(stop)


@orgs_app.command("import")
def orgs_import(
    file: Path = typer.Argument(..., help="CSV 或 XLSX 文件，列：名称、类型、层级、上级。"), db: str = DB
) -> None:
    """导入机构（逐行检查，有错误则一条也不导入）。"""
    from ..orgs import import_orgs

    try:
        data = _read(file)
        database = _open(db)
        with database.write() as session:
            added = import_orgs(session, _actor(), data, str(file))
    except XxgkError as err:
        _fail(err)
    typer.echo(f"已导入 {added} 个机构")


def _read(file: Path) -> bytes:
    from ..read.limits import read_input_bytes

    return read_input_bytes(str(file))[0]


@orgs_app.command("export")
def orgs_export(file: Path = typer.Argument(..., help="输出文件（.csv 或 .xlsx）。"), db: str = DB) -> None:
    """导出机构树。"""
    from ..orgs import export_bytes

    try:
        with _open(db).read() as session:
            content = export_bytes(session, str(file))
        file.write_bytes(content)
    except XxgkError as err:
        _fail(err)
    except OSError as err:
        _fail(XxgkError(f"无法写入文件（{err.strerror}）", str(file)))
    typer.echo(f"已导出：{file}")


@orgs_app.command("add")
def orgs_add(
    name: str = typer.Argument(..., help="机构名称（唯一）。"),
    kind: str = typer.Option(
        ..., "--kind", help="类型：人民政府、政府部门、街道办事处、乡镇、开发区管委会、其他。"
    ),
    level: str = typer.Option(..., "--level", help="层级：省、市、县、乡。"),
    parent: str = typer.Option("", "--parent", help="上级机构名称（省略则为根节点）。"),
    db: str = DB,
) -> None:
    """新增一个机构。"""
    from ..orgs import OrgSpec, add_org

    try:
        with _open(db).write() as session:
            add_org(session, _actor(), OrgSpec(name, kind, level, parent))
    except XxgkError as err:
        _fail(err)
    typer.echo(f"已新增机构：{name.strip()}")


@orgs_app.command("list")
def orgs_list(db: str = DB) -> None:
    """按层次列出机构树。"""
    from ..orgs import all_orgs, tree_order

    try:
        with _open(db).read() as session:
            for org, depth in tree_order(all_orgs(session)):
                typer.echo(f"{'  ' * depth}{org.name}（{org.kind}，{org.level}）")
    except XxgkError as err:
        _fail(err)


@users_app.command("add")
def users_add(
    login: str = typer.Argument(..., help="登录名。"),
    role: str = typer.Option(
        ..., "--role", help="角色：clerk（经办人员）、supervisor（监督人员）、admin（系统管理员）。"
    ),
    org: str = typer.Option(..., "--org", help="所属机构名称。"),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="从标准输入读取密码（第一行）；否则随机生成并显示。"
    ),
    db: str = DB,
) -> None:
    """新增账号。"""
    from ..accounts.users import add_user, new_password

    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else new_password()
    try:
        with _open(db).write() as session:
            add_user(session, _actor(), login, role, org, password)
    except XxgkError as err:
        _fail(err)
    typer.echo(f"已新增账号：{login.strip()}")
    if not password_stdin:
        typer.echo(f"初始密码：{password}")


@users_app.command("token")
def users_token(login: str = typer.Argument(..., help="登录名。"), db: str = DB) -> None:
    """为账号生成 API 令牌（供脚本使用，只显示这一次）。"""
    from ..accounts.users import issue_token

    try:
        with _open(db).write() as session:
            token = issue_token(session, _actor(), login)
    except XxgkError as err:
        _fail(err)
    typer.echo(token)


@users_app.command("list")
def users_list(db: str = DB) -> None:
    """列出账号。"""
    from ..accounts.users import ROLES, all_users
    from ..orgs import all_orgs

    try:
        with _open(db).read() as session:
            names = {o.id: o.name for o in all_orgs(session)}
            for user in all_users(session):
                typer.echo(f"{user.login}\t{ROLES[user.role]}\t{names.get(user.org_id, '')}")
    except XxgkError as err:
        _fail(err)
