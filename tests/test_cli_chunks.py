"""`--jobs`: inputs travel to the pool a few per task, and come back one outcome per input, in
input order, however many inputs there are against the jobs."""

from __future__ import annotations

import os

import pytest

from xxgk.cli.stream import Outcome, run, run_chunk


def _where(path: str) -> Outcome:
    return Outcome(path, output=f"{path}:{os.getpid()}\n")


@pytest.mark.parametrize("count", [2, 3, 7, 8, 9, 25])
def test_every_input_once_in_order(count):
    paths = [f"p{i}" for i in range(count)]
    outcomes = list(run(paths, _where, jobs=2))
    assert [o.path for o in outcomes] == paths
    assert len({o.output.split(":")[1] for o in outcomes}) >= 1
    assert all(o.output.startswith(f"{o.path}:") for o in outcomes)


def test_a_task_carries_a_chunk_and_few_inputs_still_use_both_jobs(monkeypatch):
    submitted = []  # the chunks as they are given to the pool (run here)

    class Pool:
        def __init__(self, max_workers):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def submit(self, fn, task, paths):
            submitted.append(list(paths))
            from concurrent.futures import Future

            future = Future()
            future.set_result(fn(task, paths))
            return future

    import concurrent.futures

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Pool)
    assert [o.path for o in run([f"p{i}" for i in range(10)], _where, jobs=2)] == [f"p{i}" for i in range(10)]
    assert submitted == [["p0", "p1", "p2", "p3"], ["p4", "p5", "p6", "p7"], ["p8", "p9"]]
    submitted.clear()
    list(run(["a", "b", "c"], _where, jobs=2))
    assert submitted == [["a"], ["b"], ["c"]]  # fewer inputs than jobs x CHUNK: one per task
    assert run_chunk(_where, ["x", "y"])[1].path == "y"
