"""The batch's parent keeps nothing per report: the objects alive at the end of the stream are
the same after N and 2N reports, and what must be kept per report is a fixed number of bytes."""

from __future__ import annotations

import gc
import random
from collections import Counter

from layouts import consistent_tables, write_layout
from xxgk.batch import cacheindex
from xxgk.batch.cacheindex import Locations
from xxgk.batch.cohort import CohortResult
from xxgk.batch.run import BatchOptions, run_batch

KINDS = ("xxgk.batch", "xxgk.model")  # the batch's own objects and reports, findings, cells


def _inputs(directory, count: int) -> None:
    directory.mkdir()
    for n in range(count):
        text = write_layout("002", consistent_tables(random.Random(n)), {}, "示例区司法局", 2024)
        (directory / f"r{n:03d}.txt").write_text(text, encoding="utf-8")


def _alive() -> Counter:
    gc.collect()
    return Counter(
        type(o).__qualname__ for o in gc.get_objects() if str(getattr(type(o), "__module__", "")).startswith(KINDS)
    )


def _alive_at_the_end_of_the_stream(tmp_path, count: int) -> Counter:
    _inputs(tmp_path / f"in{count}", count)
    seen = []

    def on_file(progress, _record):
        if progress.read + progress.cached == progress.total:
            seen.append(_alive())

    run_batch([str(tmp_path / f"in{count}")], str(tmp_path / f"out{count}"), BatchOptions(jobs=1), on_file)
    return seen[0]


def test_the_parent_keeps_no_object_per_report(tmp_path):
    _alive_at_the_end_of_the_stream(tmp_path, 3)  # imports and first-use singletons
    assert _alive_at_the_end_of_the_stream(tmp_path, 12) == _alive_at_the_end_of_the_stream(tmp_path, 24)


def test_the_cache_index_holds_52_bytes_a_record(monkeypatch):
    monkeypatch.setattr(cacheindex, "MERGE", 8)
    where = Locations()
    shas = [f"{n:064x}" for n in range(100, 0, -1)]  # arriving out of order
    for n, sha in enumerate(shas):
        where.set(sha, (f"pack-{n % 3}", n * 10, n, n + 1))
    assert (len(where), len(where.recent), len(where.keys)) == (100, 4, 96)
    assert where.keys.nbytes + where.values.nbytes == 52 * 96
    assert where.get(shas[0]) == ("pack-0", 0, 0, 1)
    assert where.get(shas[99]) == ("pack-0", 990, 99, 100)
    assert list(where.digests()) == sorted(shas)
    assert (len(where.recent), len(where.packs)) == (0, 3)


def test_the_cache_index_keeps_the_first_copy_found_and_the_last_written():
    where = Locations()
    digest = bytes(31) + b"\0"  # numpy strips trailing NUL bytes: still found, still listed whole
    where.setdefault(digest, ("a", 1, 2, 3))
    where.setdefault(digest, ("b", 4, 5, 6))
    assert where.get(digest.hex()) == ("a", 1, 2, 3)
    where._merge()
    where.setdefault(digest, ("b", 4, 5, 6))
    assert where.get(digest.hex()) == ("a", 1, 2, 3)
    where.set(digest.hex(), ("c", 7, 8, 9))
    assert where.get(digest.hex()) == ("c", 7, 8, 9)
    assert list(where.digests()) == [digest.hex()]
    assert where.get(None) is None and where.get("ff" * 32) is None


def test_the_previous_reports_are_8_bytes_a_report():
    result = CohortResult()
    for ordinal in range(5):
        result.set_previous(ordinal * 2, ordinal * 2 + 1)
    assert (result.previous.itemsize, len(result.previous)) == (8, 9)
    assert result.previous_of(0, 3) == [1, None, 3]
    assert result.previous_of(8, 3) == [9, None, None]
