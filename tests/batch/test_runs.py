"""Resuming reads only new files; a Dask cluster writes the same dataset as the process pool;
CSV cells are neutralised; heavy libraries stay out of `xxgk check`'s start-up."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from xxgk.batch import worker
from xxgk.batch.columns import Column
from xxgk.batch.run import BatchOptions, run_batch
from xxgk.batch.writers import TableWriter

DATASET_FILES = ("reports", "cells", "findings", "failures", "similar_pairs")


def _same_dataset(a: Path, b: Path) -> None:
    """Byte for byte: the CSV and Parquet files of the two runs (rows are written in file order)."""
    for name in DATASET_FILES:
        for suffix in (".csv", ".parquet"):
            assert (a / f"{name}{suffix}").read_bytes() == (b / f"{name}{suffix}").read_bytes(), name + suffix
    for name in ("dataset.md", "汇总.xlsx"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_dask_cluster_writes_the_same_dataset(local_run, cohort_dir):
    distributed = pytest.importorskip("distributed")
    directory, cohort = cohort_dir
    local, _, _ = local_run
    out = directory / "dataset-dask"
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        options = BatchOptions(executor="dask", scheduler=cluster.scheduler_address, org_tree=cohort.tree)
        progress = run_batch([str(directory / "reports")], str(out), options)
    assert progress.read == len(cohort.files) + len(cohort.damaged)
    _same_dataset(local, out)


def test_resume_reads_only_new_files(cohort_dir, tmp_path, monkeypatch):
    directory, cohort = cohort_dir
    inputs = tmp_path / "in"
    shutil.copytree(directory / "reports" / "2023", inputs)
    out = tmp_path / "dataset"
    first = run_batch([str(inputs)], str(out), BatchOptions(jobs=1))
    assert (first.read, first.cached) == (len(list(inputs.iterdir())), 0)

    added = sorted((directory / "reports" / "2024").glob("m*.txt"))[:3]
    for path in added:
        shutil.copy(path, inputs / path.name)
    read = []
    real = worker.process_file
    monkeypatch.setattr(
        worker, "process_file", lambda path, *a, **k: read.append(path) or real(path, *a, **k)
    )
    second = run_batch([str(inputs)], str(out), BatchOptions(jobs=1))
    assert sorted(Path(p).name for p in read) == [p.name for p in added]
    assert (second.read, second.cached) == (3, first.read)
    assert pq.read_table(out / "reports.parquet").num_rows == first.read + 3


def test_same_content_under_two_names_is_read_once(tmp_path, cohort_dir):
    directory, _ = cohort_dir
    inputs = tmp_path / "in"
    inputs.mkdir()
    source = next((directory / "reports" / "2023").glob("m*.txt"))
    shutil.copy(source, inputs / "a.txt")
    shutil.copy(source, inputs / "b.txt")
    progress = run_batch([str(inputs)], str(tmp_path / "out"), BatchOptions(jobs=1))
    assert (progress.read, progress.cached) == (1, 1)
    rows = pq.read_table(tmp_path / "out" / "reports.parquet").to_pylist()
    assert [Path(r["report"]).name for r in rows] == ["a.txt", "b.txt"]


def test_csv_cells_are_neutralised(tmp_path):
    columns = (Column("text", "text", ""), Column("n", "int", ""))
    writer = TableWriter(tmp_path, "t", columns)
    for text in ("=HYPERLINK(1)", "+1+1", "-x", "@SUM", "\tx", "\rx", "-12.5", "普通"):
        writer.add((text, -3))
    writer.close()
    with (tmp_path / "t.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["text", "n"]
    assert [r[0] for r in rows[1:]] == [
        "'=HYPERLINK(1)",
        "'+1+1",
        "'-x",
        "'@SUM",
        "'\tx",
        "'\rx",
        "-12.5",
        "普通",
    ]
    assert {r[1] for r in rows[1:]} == {"-3"}
    assert (tmp_path / "t.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert pq.read_table(tmp_path / "t.parquet").column("text").to_pylist()[0] == "=HYPERLINK(1)"


def test_check_startup_does_not_import_heavy_libraries():
    code = (
        "import sys, xxgk.cli, xxgk.check;"
        "print(sorted(m for m in ('duckdb', 'pyarrow', 'dask', 'distributed', 'datasketch') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_cli_batch_summary_and_exit_code(cohort_dir, tmp_path):
    directory, cohort = cohort_dir
    result = subprocess.run(
        [sys.executable, "-m", "xxgk.cli", "batch", str(directory / "reports" / "2024"), "-o", str(tmp_path / "o"),
         "--jobs", "1", "--org-tree", cohort.tree],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 2, result.stderr  # two damaged files
    assert "无法读取 2 个" in result.stderr and "failures.csv" in result.stderr


def test_previous_dataset_gives_last_years_reports(cohort_dir, tmp_path):
    directory, cohort = cohort_dir
    earlier = tmp_path / "2023"
    run_batch([str(directory / "reports" / "2023")], str(earlier), BatchOptions(jobs=1))
    out = tmp_path / "2024"
    run_batch([str(directory / "reports" / "2024")], str(out), BatchOptions(jobs=1, previous=[str(earlier)]))
    findings = pq.read_table(out / "findings.parquet").to_pylist()
    crossyear = sorted((Path(f["report"]).name, f["code"]) for f in findings if f["code"].startswith("XG7"))
    assert crossyear == [("standalone-2024.txt", "XG701"), ("standalone-2024.txt", "XG701"),
                         ("standalone-2024.txt", "XG702")]  # fmt: skip
    rows = {Path(r["report"]).name: r for r in pq.read_table(out / "reports.parquet").to_pylist()}
    assert rows["standalone-2024.txt"]["previous_report"].startswith("上年数据集:")
    assert rows["standalone-2024.txt"]["previous_report"].endswith("standalone-2023.txt")


def test_writer_bytes_do_not_depend_on_how_rows_arrive(tmp_path):
    import pyarrow as pa

    from xxgk.batch.writers import schema

    columns = (Column("text", "text", ""), Column("n", "int", ""), Column("x", "decimal", ""))
    rows = [(f"r{i}", i, Decimal(i) / 8) for i in range(23)]
    one = tmp_path / "one"
    one.mkdir()
    writer = TableWriter(one, "t", columns, group=5)
    for row in rows:
        writer.add(row)
    writer.close()
    other = tmp_path / "other"
    other.mkdir()
    writer = TableWriter(other, "t", columns, group=5)
    for start, end in ((0, 3), (3, 4), (4, 11), (11, 23)):  # batches, and rows between them
        part = list(zip(*rows[start:end], strict=True))
        if end - start == 1:
            writer.add(rows[start])
            continue
        writer.add_batch(pa.RecordBatch.from_arrays([pa.array(c) for c in part], schema=schema(columns)))
    writer.close()
    for suffix in (".parquet", ".csv"):
        assert (one / f"t{suffix}").read_bytes() == (other / f"t{suffix}").read_bytes(), suffix
    assert pq.ParquetFile(one / "t.parquet").metadata.num_row_groups == 5  # 5 + 5 + 5 + 5 + 3
    with (one / "t.csv").open(encoding="utf-8-sig", newline="") as f:
        assert [r[2] for r in csv.reader(f)][1:4] == ["0", "0.125", "0.25"]


def test_previous_dataset_of_another_version_is_refused(cohort_dir, tmp_path):
    from xxgk.errors import InputError

    directory, _ = cohort_dir
    old = tmp_path / "old"
    (old / "cache" / "0.0.1").mkdir(parents=True)
    with pytest.raises(InputError) as caught:
        run_batch(
            [str(directory / "reports" / "2024")],
            str(tmp_path / "out"),
            BatchOptions(jobs=1, previous=[str(old)]),
        )
    assert caught.value.message == "该数据集由其他版本的 xxgk 生成，请先用当前版本对它重新运行 xxgk batch"
