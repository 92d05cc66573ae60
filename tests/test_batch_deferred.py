"""The tables that grow with the number of reports (cells, findings) are staged while the batch
streams and written to Parquet when it ends: a Parquet writer keeps metadata for every row group
it has written until it closes, and that grew the streaming process with the reports."""

from __future__ import annotations

import ctypes
import random
from decimal import Decimal

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from layouts import consistent_tables, write_layout
from xxgk.batch import dataset
from xxgk.batch.columns import Column
from xxgk.batch.run import BatchOptions, run_batch
from xxgk.batch.writers import TableWriter, schema

COLUMNS = (Column("text", "text", ""), Column("n", "int", ""), Column("x", "decimal", ""))
ROWS = [(f"=r{i}" if i % 7 == 0 else f"r{i}", i, Decimal(i) / 8) for i in range(23)]


def _write(directory, rows, **options) -> TableWriter:
    directory.mkdir()
    writer = TableWriter(directory, "t", COLUMNS, **options)
    for row in rows:
        writer.add(row)
    writer.close()
    return writer


def test_deferred_parquet_equals_the_direct_one_with_its_row_groups(tmp_path):
    direct = _write(tmp_path / "direct", ROWS, group=10)
    by_three = _write(tmp_path / "by3", ROWS, group=3)
    deferred = _write(tmp_path / "deferred", ROWS, group=3, deferred=10)
    assert deferred.path == tmp_path / "deferred" / "t.parquet"
    assert deferred.path.read_bytes() == direct.path.read_bytes()
    assert pq.ParquetFile(deferred.path).metadata.num_row_groups == 3  # 10 + 10 + 3
    # the CSV is written as the rows come, the same as without deferring
    assert (tmp_path / "deferred" / "t.csv").read_bytes() == (tmp_path / "by3" / "t.csv").read_bytes()
    assert by_three.count == deferred.count == 23
    assert sorted(p.name for p in (tmp_path / "deferred").iterdir()) == [
        "t.csv",
        "t.parquet",
    ]  # stage removed
    assert pq.read_table(deferred.path).column("text").to_pylist()[:2] == ["=r0", "r1"]  # Parquet keeps text


def test_deferred_writer_stages_and_writes_no_parquet_until_it_closes(tmp_path):
    writer = TableWriter(tmp_path, "t", COLUMNS, group=3, deferred=10)
    for row in ROWS:
        writer.add(row)
    assert not (tmp_path / "t.parquet").exists()
    assert (tmp_path / "t.arrows").stat().st_size > 0
    writer.close()
    assert (tmp_path / "t.parquet").exists() and not (tmp_path / "t.arrows").exists()


def test_deferred_bytes_do_not_depend_on_how_rows_arrive(tmp_path):
    one = _write(tmp_path / "one", ROWS, group=4, deferred=5)
    (tmp_path / "other").mkdir()
    other = TableWriter(tmp_path / "other", "t", COLUMNS, group=4, deferred=5)
    for start, end in ((0, 9), (9, 10), (10, 23)):
        if end - start == 1:
            other.add(ROWS[start])
            continue
        part = list(zip(*ROWS[start:end], strict=True))
        other.add_batch(pa.RecordBatch.from_arrays([pa.array(c) for c in part], schema=schema(COLUMNS)))
    other.close()
    assert one.path.read_bytes() == other.path.read_bytes()
    assert (tmp_path / "one" / "t.csv").read_bytes() == (tmp_path / "other" / "t.csv").read_bytes()


def _malloc_in_use():
    names = (
        "arena",
        "ordblks",
        "smblks",
        "hblks",
        "hblkhd",
        "usmblks",
        "fsmblks",
        "uordblks",
        "fordblks",
        "keepcost",
    )

    class MallInfo2(ctypes.Structure):
        _fields_ = [(n, ctypes.c_size_t) for n in names]

    try:
        mallinfo2 = ctypes.CDLL(None).mallinfo2
    except (OSError, AttributeError):
        pytest.skip("需要 glibc 2.33 以上的 mallinfo2 才能量出 C 堆的占用")
    mallinfo2.restype = MallInfo2
    return lambda: mallinfo2().uordblks


def _held_while_writing(directory, in_use, **options) -> int:
    """C heap in use after 400 row groups, before the writer closes (bytes)."""
    columns = [Column(f"c{i}", "text", "") for i in range(8)]
    directory.mkdir()
    rows = [tuple(f"{i}-{n}" for i in range(8)) for n in range(50)]
    writer = TableWriter(directory, "t", columns, csv=False, group=50, **options)
    writer.add(rows[0])  # the writer's first-use allocations
    start = in_use()
    for _ in range(400):
        for row in rows:
            writer.add(row)
    held = in_use() - start
    writer.close()
    return held


def test_a_deferred_writer_keeps_nothing_per_row_group_while_writing(tmp_path):
    in_use = _malloc_in_use()
    direct = _held_while_writing(tmp_path / "direct", in_use)
    deferred = _held_while_writing(tmp_path / "deferred", in_use, deferred=100_000)
    assert direct > 2_000_000  # some 870 bytes a column and row group: 8 x 400 x 870
    assert deferred < 300_000


def test_the_dataset_writes_cells_and_findings_in_their_row_groups(tmp_path, monkeypatch):
    monkeypatch.setattr(dataset, "CELLS_GROUP", 500)
    monkeypatch.setattr(dataset, "FINDINGS_GROUP", 2)
    inputs = tmp_path / "in"
    inputs.mkdir()
    for n in range(6):
        text = write_layout("002", consistent_tables(random.Random(n)), {}, f"示例区第{n}局", 2024)
        (inputs / f"r{n}.txt").write_text(text, encoding="utf-8")
    run_batch([str(inputs)], str(tmp_path / "out"), BatchOptions(jobs=1))
    out = tmp_path / "out"
    cells = pq.ParquetFile(out / "cells.parquet").metadata
    findings = pq.ParquetFile(out / "findings.parquet").metadata
    assert cells.num_row_groups == -(-cells.num_rows // 500) and cells.num_rows > 500
    assert findings.num_row_groups == -(-findings.num_rows // 2) and findings.num_rows > 2
    assert not list(out.glob("*.arrows"))
