"""A batch run takes Arrow's buffers from malloc (the mimalloc pool kept what the run freed,
and grew with the number of reports), and gives the process its pool back afterwards."""

from __future__ import annotations

import pyarrow as pa

from layouts import write_text_reports
from xxgk.batch import run as batch_run
from xxgk.batch.heap import release_heap
from xxgk.batch.run import BatchOptions, run_batch


def test_the_run_uses_the_system_pool_and_restores_the_default(tmp_path):
    inputs = write_text_reports(tmp_path / "in", 2)
    before = pa.default_memory_pool().backend_name
    seen = []
    progress = run_batch([str(inputs)], str(tmp_path / "out"), BatchOptions(jobs=1),
                         on_file=lambda _p, _r: seen.append(pa.default_memory_pool().backend_name))  # fmt: skip
    assert (progress.read, progress.failed_total) == (2, 0)
    assert seen == ["system", "system"]
    assert pa.default_memory_pool().backend_name == before


def test_the_stream_gives_the_freed_heap_back_every_trim_every_records(tmp_path, monkeypatch):
    inputs = write_text_reports(tmp_path / "in", 10)
    streamed, trims = [], []
    monkeypatch.setattr(batch_run, "TRIM_EVERY", 4)
    monkeypatch.setattr(batch_run, "release_heap", lambda: trims.append(len(streamed)))
    run_batch([str(inputs)], str(tmp_path / "out"), BatchOptions(jobs=1), lambda _p, _r: streamed.append(1))
    assert trims == [4, 8]
    release_heap()  # glibc's malloc_trim here; nothing where there is none
