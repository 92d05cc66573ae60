"""Commands over many reports: batch (read a cohort into a checked dataset) and dataset
(query it, write its dashboard). Heavy libraries (pyarrow, DuckDB, Dask) load inside the
commands only."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import typer

from ..errors import XxgkError
from .common import EXIT_FINDINGS, EXIT_OK, EXIT_UNREADABLE, app, error_line

dataset_app = typer.Typer(no_args_is_help=True, help="查询由 xxgk batch 生成的数据集、生成看板。")
app.add_typer(dataset_app, name="dataset")


@app.command()
def batch(
    inputs: list[str] = typer.Argument(..., help="报告文件或目录（目录下的全部报告）。"),
    out: str = typer.Option(..., "--output", "-o", help="数据集目录（可重复使用：已读过的文件不再读取）。"),
    jobs: int = typer.Option(0, "--jobs", "-j", help="并行进程数（默认为 CPU 核数）。"),
    org_tree: str = typer.Option(
        None, "--org-tree", help="机构树（CSV 或 XLSX：名称、类型、层级、上级），用于汇总核对和地区。"
    ),
    previous: list[str] = typer.Option(
        None, "--previous", help="以前生成的数据集目录，用作跨年度检查的上年报告。"
    ),
    executor: str = typer.Option("local", "--executor", help="local（本机进程池）或 dask（Dask 集群）。"),
    scheduler: str = typer.Option(None, "--scheduler", help="Dask 调度器地址，如 tcp://主机:8786。"),
    time_limit: float = typer.Option(
        900.0, "--time-limit", help="每个文件读取和检查的时限（秒）；超时的文件列入 failures.csv。0 为不限。"
    ),
) -> None:
    """读取一批报告，检查，并生成数据集（Parquet、CSV、DuckDB、汇总.xlsx、数据说明）。

    无法读取的文件列入 failures.csv，不影响其他文件；有文件无法读取时退出码为 2，否则为 0。"""
    from ..batch.executor import default_jobs
    from ..batch.run import BatchOptions, run_batch

    if executor not in ("local", "dask"):
        error_line("--executor 只能是 local 或 dask")
        raise typer.Exit(EXIT_UNREADABLE)
    if time_limit < 0:
        error_line("--time-limit 不能为负数")
        raise typer.Exit(EXIT_UNREADABLE)
    options = BatchOptions(jobs or default_jobs(), executor, scheduler, org_tree, list(previous or []),
                           time_limit=time_limit or None)  # fmt: skip
    try:
        with _progress() as on_file:
            progress = run_batch(inputs, out, options, on_file)
    except XxgkError as exc:
        error_line(str(exc))
        raise typer.Exit(EXIT_UNREADABLE) from None
    _summary(progress, out)
    raise typer.Exit(EXIT_UNREADABLE if progress.failed_total else EXIT_OK)


class _progress:
    """A Rich progress bar on stderr when it is a terminal (files/s, ETA, errors so far)."""

    def __enter__(self):
        if not sys.stderr.isatty():
            return lambda progress, record: None
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.bar = Progress(
            TextColumn("读取"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[rate]} 份/秒"), TimeRemainingColumn(), TextColumn("无法读取 {task.fields[failed]}"),
            console=Console(stderr=True), transient=True,
        )  # fmt: skip
        self.bar.start()
        self.task = self.bar.add_task("batch", total=None, rate="-", failed=0)
        return self._update

    def _update(self, progress, record) -> None:
        task = self.bar.tasks[0]
        rate = f"{task.speed:.1f}" if task.speed else "-"
        self.bar.update(self.task, total=progress.total, completed=progress.read + progress.cached,
                        rate=rate, failed=progress.failed)  # fmt: skip

    def __exit__(self, *exc) -> None:
        if hasattr(self, "bar"):
            self.bar.stop()


def _summary(progress, out: str) -> None:
    rate = progress.read / progress.seconds if progress.seconds else 0.0
    print(
        f"共 {progress.total} 个文件：新读取 {progress.read} 个，使用缓存 {progress.cached} 个，"
        f"无法读取 {progress.failed_total} 个；用时 {progress.seconds:.1f} 秒（{rate:.1f} 份/秒）。数据集：{out}",
        file=sys.stderr,
    )
    failures = Path(out) / "failures.csv"
    if progress.failed_total and failures.exists():
        print(f"无法读取的文件及原因见 {failures}", file=sys.stderr)


@dataset_app.command("query")
def query_cmd(
    directory: str = typer.Argument(..., help="数据集目录。"),
    sql: str = typer.Argument(..., help='DuckDB SQL，如 "SELECT * FROM indicators_year"。'),
) -> None:
    """在数据集上运行 DuckDB SQL，结果以 CSV 输出（UTF-8）。"""
    from ..batch.database import query
    from ..safecell import neutralise

    try:
        names, rows = query(directory, sql)
    except XxgkError as exc:
        error_line(str(exc))
        raise typer.Exit(EXIT_UNREADABLE) from None
    writer = csv.writer(sys.stdout, lineterminator="\n")
    if names:
        writer.writerow(names)
    for row in rows:
        writer.writerow(["" if v is None else neutralise(v if isinstance(v, str) else str(v)) for v in row])
    raise typer.Exit(EXIT_OK if names or not rows else EXIT_FINDINGS)


@dataset_app.command("report")
def report_cmd(
    directory: str = typer.Argument(..., help="数据集目录。"),
    out: str = typer.Option("看板.html", "--output", "-o", help="输出的 HTML 文件。"),
) -> None:
    """生成数据看板：一个自包含的 HTML 文件（不联网），含图表和可排序的表格。"""
    from ..batch.dashboard import write_dashboard

    try:
        write_dashboard(directory, out)
    except XxgkError as exc:
        error_line(str(exc))
        raise typer.Exit(EXIT_UNREADABLE) from None
    except OSError as exc:
        error_line(f"{out}：无法写入文件（{exc.strerror}）")
        raise typer.Exit(EXIT_UNREADABLE) from None
