"""The cohort works from its index on disk: the findings it spills to the index file and reads
back by ordinal are exactly those it finds keeping them in memory, and the parent holds no
object per report while it runs."""

from __future__ import annotations

import gc
import random
import sys
from collections import Counter
from pathlib import Path

from xxgk.batch import run as batch_run
from xxgk.batch.cohort import run_cohort
from xxgk.batch.findings import MemoryFindings, SpilledFindings
from xxgk.batch.index import connect
from xxgk.batch.regions import resolve
from xxgk.batch.run import BatchOptions, run_batch
from xxgk.batch.similar import BAND_ROWS, banded_candidate_rows, candidate_rows
from xxgk.batch.worker import NUM_PERM
from xxgk.model import Finding

sys.path.insert(0, str(Path(__file__).resolve().parent / "batch"))

from cohortmaker import ORGANS, make_cohort  # noqa: E402

from layouts import consistent_tables, write_layout  # noqa: E402

KINDS = ("xxgk.batch", "xxgk.model")
PLACES = ("杭州市滨江区", "杭州市西湖区", "宁波市鄞州区")


def test_spilled_findings_come_back_by_ordinal_in_the_order_found(tmp_path):
    spilled, memory = SpilledFindings(connect(tmp_path / "f.sqlite")), MemoryFindings()
    found = [(7, "a"), (2, "b"), (7, "c"), (0, "d"), (2, "e")] * 450  # past an insert batch
    for n, (ordinal, code) in enumerate(found):
        finding = Finding(code, "warning", f"第{n}条", cells=[f"r/{n}"], hint=None if n % 2 else "提示")
        for store in (spilled, memory):
            store.add(ordinal, finding)
    got = list(spilled.ordered())
    assert got == list(memory.ordered())
    assert [(o, len(f)) for o, f in got] == [(0, 450), (2, 900), (7, 900)]
    assert [f.code for f in got[1][1][:3]] == ["b", "e", "b"]
    assert got[2][1][1] == Finding("c", "warning", "第2条", cells=["r/2"], hint="提示")


def test_the_spilled_cohort_finds_what_the_in_memory_one_does(tmp_path, monkeypatch):
    cohort = make_cohort(tmp_path, 7)
    seen = []

    def both(index, tree, threshold, pairs=None):
        memory = run_cohort(index, tree, threshold, None, spill=False)
        spilled = run_cohort(index, tree, threshold, pairs)
        seen.append((list(memory.findings.ordered()), list(spilled.findings.ordered())))
        seen.append((memory.previous.tolist(), spilled.previous.tolist()))
        return spilled

    monkeypatch.setattr(batch_run, "run_cohort", both)
    run_batch([str(tmp_path / "reports")], str(tmp_path / "out"), BatchOptions(jobs=1, org_tree=cohort.tree))
    (memory, spilled), (previous, spilled_previous) = seen
    assert spilled == memory and spilled_previous == previous
    codes = Counter(f.code for _ordinal, found in spilled for f in found)
    assert codes == {"XG701": 2, "XG702": 1, "XG801": 3, "XG901": 2, "XG902": 2, "XG903": 1, "XG904": 1}
    assert sum(p >= 0 for p in previous) > 5


def _alive() -> Counter:
    resolve.cache_clear()  # bounded (4,096 names), and these agencies are all different
    gc.collect()
    return Counter(
        type(o).__qualname__
        for o in gc.get_objects()
        if str(getattr(type(o), "__module__", "")).startswith(KINDS)
    )


def _alive_after_the_cohort(tmp_path, count: int, monkeypatch) -> Counter:
    seen = []

    def counted(*args, **kwargs):
        result = run_cohort(*args, **kwargs)
        seen.append(_alive())
        return result

    monkeypatch.setattr(batch_run, "run_cohort", counted)
    run_batch(
        [str(_two_years(tmp_path / f"in{count}", count))], str(tmp_path / f"out{count}"), BatchOptions(jobs=1)
    )
    return seen[0]


def _two_years(directory: Path, count: int) -> Path:
    """`count` agencies reporting in 2023 and 2024 with numbers that do not continue: a
    cross-year pair and findings for every report of 2024."""
    directory.mkdir()
    for n in range(count):
        for year in (2023, 2024):
            tables = consistent_tables(random.Random(n * 2 + year))
            text = write_layout("002", tables, {}, PLACES[n % len(PLACES)] + ORGANS[n // len(PLACES)], year)
            (directory / f"r{n}-{year}.txt").write_text(text, encoding="utf-8")
    return directory


def test_the_cohort_keeps_no_object_per_report(tmp_path, monkeypatch):
    _alive_after_the_cohort(tmp_path, 3, monkeypatch)  # imports and first-use singletons
    small = _alive_after_the_cohort(tmp_path, 12, monkeypatch)
    assert small == _alive_after_the_cohort(tmp_path, 24, monkeypatch)


def test_the_year_s_signatures_are_read_by_band_and_whole_only_where_a_band_is_shared():
    import numpy as np

    rng = np.random.default_rng(5)
    matrix = rng.integers(0, 2**32, size=(10, NUM_PERM), dtype=np.uint32)
    matrix[7] = matrix[2]
    matrix[4, : NUM_PERM // 2] = matrix[2, : NUM_PERM // 2]  # half the bands shared: estimate 0.5
    asked = []

    def rows(wanted):
        asked.append(wanted.tolist())
        return matrix[wanted]

    found = banded_candidate_rows(len(matrix), lambda start: matrix[:, start : start + BAND_ROWS], rows)
    assert found == candidate_rows(matrix) == [(2, 4), (2, 7), (4, 7)]
    assert asked == [[2, 4, 7]]
