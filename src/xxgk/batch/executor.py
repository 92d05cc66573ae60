"""Where files are read: this process, a local process pool, or a Dask distributed cluster.

All three take (path, sha256, size) items in order and yield their records **in the same
order**, keeping a bounded window of tasks in flight (a few per worker), so memory does not
grow with the number of files and two runs write the same bytes whatever order the workers
finish in. Files travel in small chunks (one task reads several files) so scheduling costs
little against reading.

Local workers share the dataset directory: they take known files from the cache and cache
what they read. Dask workers may be other machines: the caller loads cached records itself,
sends only new files to the cluster and caches what comes back; a worker must see the same
paths (a shared or copied directory). Only records travel; the dataset is written once.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from itertools import islice
from typing import Any

from ..errors import InputError
from .cache import Cache
from .worker import dataset_record, process_files, use_cache, warm

Item = tuple[str, str, int]
CHUNK = 8
IN_FLIGHT_PER_WORKER = 3
CONNECT_TIMEOUT = "20s"


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


class _Done:
    def __init__(self, value):
        self.value = value

    def result(self):
        return self.value


def ordered(items: Iterable[Item], submit: Callable[[list[Item]], Any], window: int) -> Iterator[dict]:
    """Records of `items`, in order, from tasks submitted `window` chunks ahead."""
    pending: deque = deque()
    for chunk in chunks(items, CHUNK):
        pending.append(submit(chunk))
        if len(pending) >= window:
            yield from pending.popleft().result()
    while pending:
        yield from pending.popleft().result()


def run_local(items: Iterable[Item], jobs: int, cache: Cache, task: dict[str, Any]) -> Iterator[dict]:
    """Records from `jobs` processes (forked after the reader is imported, so each starts
    warm); `jobs` 1 reads in this process. `task`: the check options and the time limit
    (worker.process_files)."""
    task_options = task | {"cache": str(cache.root)}
    warm()  # before forking
    use_cache(cache)  # indexed once, here
    if jobs <= 1:
        yield from ordered(items, lambda chunk: _Done(process_files(chunk, task_options)), 1)
        return
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        yield from ordered(items, lambda chunk: pool.submit(process_files, chunk, task_options),
                           jobs * IN_FLIGHT_PER_WORKER)  # fmt: skip


class _Mixed:
    """A chunk split between the cache (loaded here) and the cluster (one future)."""

    def __init__(self, chunk: list[Item], cache: Cache, client, task: dict[str, Any]):
        self.chunk, self.cache = chunk, cache
        todo = [item for item in chunk if not cache.has(item[1])]
        self.future = client.submit(process_files, todo, task, pure=False) if todo else None

    def result(self) -> list[dict]:
        fresh = {r["file"]: r for r in (self.future.result() if self.future is not None else [])}
        out = []
        for path, sha, _size in self.chunk:
            if path in fresh:
                self.cache.put(fresh[path].pop("full"))
                out.append(fresh[path])
            else:
                out.append(dataset_record(self.cache.get(sha, path)) | {"cached": True})
        return out


def run_dask(items: Iterable[Item], scheduler: str, cache: Cache, task: dict[str, Any]) -> Iterator[dict]:
    """Records from the Dask cluster at `scheduler` (tcp://host:8786, or a LocalCluster's address)."""
    try:
        from distributed import Client
    except ImportError:
        raise InputError("使用 Dask 集群需要安装 dask[distributed]（pip install 'xxgk[cluster]'）") from None
    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        raise InputError(f"无法连接 Dask 调度器 {scheduler}（{type(exc).__name__}）") from None
    with client:
        window = max(1, sum(client.nthreads().values())) * IN_FLIGHT_PER_WORKER
        yield from ordered(items, lambda chunk: _Mixed(chunk, cache, client, task), window)
