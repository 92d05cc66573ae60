"""dataset.duckdb: the dataset's tables loaded from its Parquet files, and the indicator views.
Also `query`, which `xxgk dataset query` and the dashboard use."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import InputError
from .heap import release_heap
from .indicators import all_view_sql

DATABASE = "dataset.duckdb"
TABLES = ("reports", "cells", "findings", "failures", "similar_pairs")
# DuckDB's buffer pool for the build: what the build adds to the process grows with the dataset up
# to about this plus ~60 MiB (measured on 100,000 reports and 20M cells: 128MB +190 MiB, 64MB +128,
# 48MB +113; 32MB fails on the wide reports table, "could not allocate block")
BUILD_MEMORY = "64MB"
# DuckDB's default row group (122,880 rows) made the checkpoint of the wide `reports` table (one
# column per cell, ~250) need memory growing with the dataset: at 100,000 reports it failed with
# "could not allocate block" under the limit. Smaller row groups bound it; the file stays a
# plain DuckDB database that any DuckDB opens.
ROW_GROUP_SIZE = 16_384


def build_database(root: Path) -> None:
    import duckdb

    release_heap()  # before DuckDB (its own allocator) takes its share: 10,000 reports, 152 -> 130 MiB
    path = root / DATABASE
    for stale in (path, path.with_suffix(".duckdb.wal")):
        stale.unlink(missing_ok=True)
    quoted = str(path).replace("'", "''")
    with duckdb.connect() as con:
        con.execute(f"ATTACH '{quoted}' AS dataset (ROW_GROUP_SIZE {ROW_GROUP_SIZE})")
        con.execute("USE dataset")
        con.execute(f"SET memory_limit = '{BUILD_MEMORY}'")  # spills to disk beyond this
        con.execute("SET threads = 1")
        con.execute("SET enable_progress_bar = false")  # a long build would draw on the terminal
        for table in TABLES:
            source = str(root / f"{table}.parquet").replace("'", "''")
            con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_parquet('{source}')")
        for sql in all_view_sql():
            con.execute(sql)


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
