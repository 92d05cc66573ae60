"""dataset.duckdb: the dataset's tables loaded from its Parquet files (the reports table from the
stage the batch kept), and the indicator views.
Also `query`, which `xxgk dataset query` and the dashboard use."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import InputError
from .heap import release_heap
from .indicators import all_view_sql
from .writers import STAGE_SUFFIX

DATABASE = "dataset.duckdb"
WIDE = "reports"
LONG = ("cells", "findings", "failures", "similar_pairs")
TABLES = (WIDE, *LONG)
# DuckDB's buffer pool for building the wide reports table (one column per cell, ~250): 32MB
# fails on it ("could not allocate block"); and for the long tables, which need less. What the
# build adds to the process is about these plus ~100 MiB, and grows little with the dataset
# (measured, the whole build: 162 MiB at 100,000 reports and 20M cells, 166 at 300,000).
BUILD_MEMORY = "64MB"
LONG_BUILD_MEMORY = "32MB"
# DuckDB's default row group (122,880 rows) made the checkpoint of the wide table need memory
# growing with the dataset (at 100,000 reports it failed under the limit); smaller groups bound
# it. The long tables keep the default: DuckDB holds metadata for every row group, and in groups
# of 16,384 rows the cells' build grew by 53 MiB from 100,000 to 300,000 reports (11 in the
# default's). The file stays a plain DuckDB database that any DuckDB opens.
ROW_GROUP_SIZE = 16_384
LONG_ROW_GROUP_SIZE = 122_880


def build_database(root: Path) -> None:
    import duckdb

    release_heap()  # before DuckDB (its own allocator) takes its share: 10,000 reports, 152 -> 130 MiB
    path = root / DATABASE
    for stale in (path, path.with_suffix(".duckdb.wal")):
        stale.unlink(missing_ok=True)
    with duckdb.connect() as con:
        con.execute("SET threads = 1")
        con.execute("SET enable_progress_bar = false")  # a long build would draw on the terminal
        # the long tables first: a checkpoint merges row groups smaller than the attachment's
        # size, so one under the long tables' size would undo the wide table's small groups
        con.execute(f"SET memory_limit = '{LONG_BUILD_MEMORY}'")  # spills to disk beyond this
        _attach(con, path, LONG_ROW_GROUP_SIZE)
        for table in LONG:
            _load(con, root, table)
        con.execute("CHECKPOINT dataset")
        con.execute("USE memory")
        con.execute("DETACH dataset")  # the row group size is the attachment's
        con.execute(f"SET memory_limit = '{BUILD_MEMORY}'")
        _attach(con, path, ROW_GROUP_SIZE)
        _load(con, root, WIDE)
        for sql in all_view_sql():
            con.execute(sql)
    for table in TABLES:
        (root / f"{table}{STAGE_SUFFIX}").unlink(missing_ok=True)


def _attach(con, path: Path, row_group_size: int) -> None:
    quoted = str(path).replace("'", "''")
    con.execute(f"ATTACH '{quoted}' AS dataset (ROW_GROUP_SIZE {row_group_size})")
    con.execute("USE dataset")


def _load(con, root: Path, table: str) -> None:
    """A table from its stage when the batch kept one (an Arrow stream, read a batch at a time),
    else from its Parquet file. DuckDB's Parquet reader holds the file's footer, which grows
    with row groups times columns: for the wide reports table (~250 columns) the build's memory
    grew with the reports and failed within BUILD_MEMORY at 300,000 of them; from the stream it
    stayed flat (measured: 161 MiB at 100,000 reports, 165 at 300,000)."""
    import pyarrow as pa

    stage = root / f"{table}{STAGE_SUFFIX}"
    if not stage.exists():
        source = str(root / f"{table}.parquet").replace("'", "''")
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_parquet('{source}')")
        return
    with pa.OSFile(str(stage), "rb") as f:
        reader = pa.ipc.open_stream(f, options=pa.ipc.IpcReadOptions(use_threads=False))
        con.register("_stage", reader)
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM _stage")
        con.unregister("_stage")


def connect(root: str | Path, read_only: bool = True):
    import duckdb

    path = Path(root) / DATABASE
    if not path.exists():
        raise InputError("不是数据集目录（没有 dataset.duckdb；请先运行 xxgk batch）", str(root))
    return duckdb.connect(str(path), read_only=read_only)


def query(root: str | Path, sql: str, params: list[Any] | None = None) -> tuple[list[str], list[tuple]]:
    """(column names, rows) of a SQL statement on the dataset; a SQL error becomes InputError."""
    import duckdb

    with connect(root) as con:
        try:
            cursor = con.execute(sql, params or [])
        except duckdb.Error as exc:
            raise InputError(f"SQL 执行失败：{str(exc).splitlines()[0]}") from None
        if cursor.description is None:
            return [], []
        return [d[0] for d in cursor.description], cursor.fetchall()
