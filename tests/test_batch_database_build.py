"""dataset.duckdb is built in row groups of ROW_GROUP_SIZE rows, in the Parquet files' order: the
checkpoint of the wide reports table then needs memory bounded by a row group, not growing with
the dataset (with DuckDB's default groups a 100,000-report build failed under BUILD_MEMORY)."""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from layouts import write_text_reports
from xxgk.batch import database
from xxgk.batch.run import BatchOptions, run_batch


def _dataset(tmp_path):
    out = tmp_path / "out"
    run_batch([str(write_text_reports(tmp_path / "in", 2))], str(out), BatchOptions(jobs=1))
    return out


def _widen(path, rows: int) -> list[str]:
    """The reports table repeated to `rows` rows, each named apart; returns the names in order."""
    table = pq.read_table(path)
    copies = [table] * (rows // table.num_rows)
    big = pa.concat_tables(copies)
    names = [f"r{n:05d}" for n in range(big.num_rows)]
    big = big.set_column(0, table.schema.names[0], pa.array(names, type=table.schema.field(0).type))
    pq.write_table(big, path, row_group_size=2000)
    return names


def test_the_database_keeps_row_groups_small_and_the_file_order(tmp_path, monkeypatch):
    monkeypatch.setattr(database, "ROW_GROUP_SIZE", 4096)
    out = _dataset(tmp_path)
    names = _widen(out / "reports.parquet", 10_000)
    database.build_database(out)
    with duckdb.connect(str(out / database.DATABASE), read_only=True) as con:
        first = con.execute("SELECT * FROM reports LIMIT 0").description[0][0]
        kept = [row[0] for row in con.execute(f'SELECT "{first}" FROM reports').fetchall()]
        groups = con.execute(
            "SELECT count(DISTINCT row_group_id) FROM pragma_storage_info('reports')"
        ).fetchone()[0]
        cells = con.execute("SELECT count(*) FROM cells").fetchone()[0]
    assert kept == names
    assert groups == 3  # 10,000 rows in groups of 4,096
    assert cells == pq.ParquetFile(out / "cells.parquet").metadata.num_rows > 0


def test_the_heap_is_released_before_duckdb_builds_within_64mb(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(database, "release_heap", lambda: calls.append("released"))
    out = _dataset(tmp_path)  # the batch builds its database once
    assert calls == ["released"]
    assert database.BUILD_MEMORY == "64MB"
    monkeypatch.undo()
    database.build_database(out)
    with duckdb.connect(str(out / database.DATABASE), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM reports").fetchone()[0] == 2


def test_the_reports_table_is_built_from_the_kept_stage_and_equals_the_parquet(tmp_path, monkeypatch):
    loaded = []
    load = database._load
    monkeypatch.setattr(database, "_load", lambda con, root, table: loaded.append(
        (table, (root / f"{table}.arrows").exists())) or load(con, root, table))  # fmt: skip
    out = _dataset(tmp_path)
    assert loaded == [("cells", False), ("findings", False), ("failures", False),
                      ("similar_pairs", False), ("reports", True)]  # fmt: skip
    assert not list(out.glob("*.arrows"))  # the stage is gone once the database is built
    parquet = pq.read_table(out / "reports.parquet")
    with duckdb.connect(str(out / database.DATABASE), read_only=True) as con:
        cursor = con.execute("SELECT * FROM reports")
        names = [d[0] for d in cursor.description]
        built = cursor.fetchall()
        types = dict(con.execute("SELECT column_name, data_type FROM information_schema.columns "
                                 "WHERE table_name = 'reports'").fetchall())  # fmt: skip
    assert names == parquet.column_names
    assert [dict(zip(names, row, strict=True)) for row in built] == parquet.to_pylist()
    assert (types["applications/received/total"], types["year"], types["report"]) == (
        "BIGINT",
        "BIGINT",
        "VARCHAR",
    )


def test_the_long_tables_take_their_own_row_groups(tmp_path, monkeypatch):
    monkeypatch.setattr(database, "ROW_GROUP_SIZE", 4096)
    monkeypatch.setattr(database, "LONG_ROW_GROUP_SIZE", 2048)  # DuckDB's smallest
    out = tmp_path / "out"
    run_batch([str(write_text_reports(tmp_path / "in", 12))], str(out), BatchOptions(jobs=1))
    with duckdb.connect(str(out / database.DATABASE), read_only=True) as con:
        rows = con.execute("SELECT count(*) FROM cells").fetchone()[0]
        groups = {
            table: con.execute(
                f"SELECT count(DISTINCT row_group_id) FROM pragma_storage_info('{table}')"
            ).fetchone()[0]
            for table in ("reports", "cells")
        }
    assert 2048 < rows <= 4096
    assert groups == {"reports": 1, "cells": 2}
