"""A file that takes too long becomes a failures.csv line with its Chinese reason; the rest of
the batch is read as usual (deadline.py)."""

from __future__ import annotations

import csv
import shutil
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import hostilemaker as hm  # noqa: E402
from xxgk import api  # noqa: E402
from xxgk.batch.deadline import overtime_message  # noqa: E402
from xxgk.batch.run import BatchOptions, run_batch  # noqa: E402


def _inputs(cohort_dir, tmp_path: Path, extra: str, data: bytes) -> tuple[Path, list[str]]:
    directory, _ = cohort_dir
    inputs = tmp_path / "in"
    inputs.mkdir()
    good = sorted((directory / "reports" / "2023").glob("m*.txt"))[:2]
    for path in good:
        shutil.copy(path, inputs / path.name)
    (inputs / extra).write_bytes(data)
    return inputs, sorted(str(inputs / p.name) for p in good)


def _outcome(out: Path) -> tuple[list[str], dict[str, str]]:
    reports = sorted(pq.read_table(out / "reports.parquet").column("report").to_pylist())
    with (out / "failures.csv").open(encoding="utf-8-sig") as f:
        failures = {Path(r["file"]).name: r["reason"] for r in csv.DictReader(f)}
    return reports, failures


def test_a_slow_hostile_pdf_is_stopped_in_a_pool_worker(cohort_dir, tmp_path):
    # a page of 9,800 characters: the PDF reader takes 2 s or more over it, within its own limits;
    # a text report takes some 10 ms in a warm worker
    inputs, good = _inputs(cohort_dir, tmp_path, "slow.pdf", hm.many_chars_pdf(9800))
    out = tmp_path / "out"
    progress = run_batch([str(inputs)], str(out), BatchOptions(jobs=2, time_limit=0.5))
    assert _outcome(out) == (
        good,
        {"slow.pdf": "读取和检查此文件超过 0.5 秒，已停止（文件可能过大、已损坏或过于复杂）"},
    )
    assert (progress.read, progress.failed) == (3, 1)


def _hang_on(monkeypatch, name: str) -> None:
    real = api.load_report

    def load(path, *args, **kwargs):
        while Path(path).name == name:  # a reader stuck in a loop
            pass
        return real(path, *args, **kwargs)

    monkeypatch.setattr(api, "load_report", load)


def test_a_hanging_file_is_stopped_in_this_process(cohort_dir, tmp_path, monkeypatch):
    inputs, good = _inputs(cohort_dir, tmp_path, "hang.txt", "示例".encode())
    _hang_on(monkeypatch, "hang.txt")
    out = tmp_path / "out"
    run_batch([str(inputs)], str(out), BatchOptions(jobs=1, time_limit=2.0))
    assert _outcome(out) == (good, {"hang.txt": overtime_message(2.0)})


def test_a_hanging_file_is_stopped_in_a_dask_worker_thread(cohort_dir, tmp_path, monkeypatch):
    distributed = pytest.importorskip("distributed")
    inputs, good = _inputs(cohort_dir, tmp_path, "hang.txt", "示例".encode())
    _hang_on(monkeypatch, "hang.txt")
    out = tmp_path / "out"
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    ) as cluster:
        options = BatchOptions(executor="dask", scheduler=cluster.scheduler_address, time_limit=2.0)
        run_batch([str(inputs)], str(out), options)
    assert _outcome(out) == (good, {"hang.txt": overtime_message(2.0)})


@pytest.mark.parametrize("in_thread", [False, True], ids=["main thread", "other thread"])
def test_a_limit_that_was_not_reached_never_fires_later(in_thread):
    import threading
    import time

    from xxgk.batch.deadline import Overtime, time_limit

    outcome = []

    def work():
        try:
            with time_limit(0.2):
                sum(range(1000))
            time.sleep(0.5)  # past the limit, outside it
            outcome.append("finished")
        except Overtime:
            outcome.append("stopped")

    if in_thread:
        thread = threading.Thread(target=work)
        thread.start()
        thread.join()
    else:
        work()
    assert outcome == ["finished"]
