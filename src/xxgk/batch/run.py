"""A batch run, in bounded memory:

1. stream: every file, in sorted order, through the executor (cache hits come back from the
   cache, new files are read and checked); each record's rows are appended to the dataset
   writers as it arrives (cells, the report's own findings, a staged reports table) and its
   `Entry` to the cohort index on disk (index.py);
2. cohort: the cohort checks, one year of the index at a time (loading full reports only
   where they compare);
3. finish: the reports table with the cohort's counts, the cohort's findings, 汇总.xlsx,
   the DuckDB file and the data dictionary.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from .cache import Cache
from .cohort import run_cohort
from .deadline import DEFAULT_SECONDS
from .heap import TRIM_EVERY, release_heap
from .index import Entry, Index, IndexWriter
from .inputs import InputList
from .orgtree import OrgTree, read_tree
from .regions import FROM_TREE, Region, resolve
from .worker import dataset_record, file_digest

PREVIOUS_PREFIX = "上年数据集:"


@dataclass
class Progress:
    """What a progress display is told: totals first, then one call per file."""

    total: int = 0
    cached: int = 0
    read: int = 0
    failed: int = 0  # files that failed in this run
    failed_total: int = 0  # failures in the dataset (this run's and cached ones)
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)  # seconds: stream, cohort, finish


@dataclass
class BatchOptions:
    jobs: int = 1
    executor: str = "local"  # local | dask
    scheduler: str | None = None
    org_tree: str | None = None
    previous: list[str] = field(default_factory=list)
    threshold: float = 0.8
    check_options: dict[str, Any] = field(default_factory=dict)
    time_limit: float | None = DEFAULT_SECONDS  # per file (deadline.py); None: no limit
    names_relative_to: str | None = None  # files named relative to this folder in the dataset


def run_batch(
    inputs: list[str],
    out: str,
    options: BatchOptions,
    on_file: Callable[[Progress, dict], None] | None = None,
) -> Progress:
    with system_memory_pool():
        return _run(inputs, out, options, on_file)


@contextmanager
def system_memory_pool() -> Iterator[None]:
    """Arrow's buffers from malloc during the run (the pool workers fork inside it too): its
    default mimalloc pool keeps what a batch frees, and grew with the number of reports
    (measured: 2,000 reports, peak RSS 259 -> 227 MiB). A buffer goes back to the pool
    it came from, so switching back is safe."""
    import pyarrow as pa

    previous = pa.default_memory_pool()
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        yield
    finally:
        pa.set_memory_pool(previous)


def _run(inputs: list[str], out: str, options: BatchOptions, on_file) -> Progress:
    from .dataset import DatasetWriter

    start = time.perf_counter()
    if options.executor == "dask" and not options.scheduler:
        raise InputError("使用 Dask 时须给出调度器地址（--scheduler tcp://主机:8786）")
    root = Path(out)
    root.mkdir(parents=True, exist_ok=True)
    tree = read_tree(options.org_tree) if options.org_tree else None
    nodes = tree.by_canonical() if tree is not None else {}
    cache = Cache(root)
    previous = _previous_caches(options.previous)
    files = InputList(inputs)
    progress = Progress(total=len(files))
    writer = DatasetWriter(root)
    for record in _records(files, cache, options, progress):
        _count(progress, record)
        if options.names_relative_to:
            record = record | {"file": os.path.relpath(record["file"], options.names_relative_to)}
        if "error" in record:
            writer.failure(record)
        else:
            writer.report(record, entry_of(record, tree, nodes))
        if on_file is not None:
            on_file(progress, record)
        if (progress.read + progress.cached) % TRIM_EVERY == 0:
            release_heap()
    files.close()
    progress.phases["stream"] = time.perf_counter() - start
    _previous_entries(previous, tree, nodes, writer.index)
    writer.index.close()
    index = Index(writer.index.path, [cache, *previous])
    result = run_cohort(index, tree, options.threshold, writer.pairs)
    progress.phases["cohort"] = time.perf_counter() - start - sum(progress.phases.values())
    progress.failed_total = writer.finish(index, result)
    progress.phases["finish"] = time.perf_counter() - start - sum(progress.phases.values())
    progress.seconds = time.perf_counter() - start
    for c in (cache, *previous):
        c.close()
    return progress


def _count(progress: Progress, record: dict) -> None:
    if record.get("cached"):
        progress.cached += 1
    else:
        progress.read += 1
        progress.failed += "error" in record


def _records(files: Iterable[str], cache: Cache, options: BatchOptions, progress: Progress) -> Iterator[dict]:
    from .executor import run_dask, run_local

    unreadable: list[dict] = []
    items = _hashed(files, unreadable)
    task = {"check": options.check_options, "seconds": options.time_limit}
    if options.executor == "dask":
        records = run_dask(items, options.scheduler, cache, task)
    else:
        records = run_local(items, options.jobs, cache, task)
    yield from records
    yield from unreadable


def _hashed(files: Iterable[str], failed: list[dict]) -> Iterator[tuple[str, str, int]]:
    """(path, sha256, size); a file that cannot be opened becomes a failure record, listed last."""
    for path in files:
        try:
            sha, size = file_digest(path)
        except OSError as exc:
            failed.append({"file": path, "sha256": None, "error": f"无法读取文件（{exc.strerror}）"})
            continue
        yield path, sha, size


def entry_of(record: dict, tree: OrgTree | None, nodes: dict[str, str], context: bool = False) -> Entry:
    data = record["report"]
    meta = data["meta"]
    hint = (meta.get("title") or "") + (data.get("preamble") or "")[:300]
    region = resolve(meta.get("agency"), hint)
    node = nodes.get(region.canonical) if tree is not None else None
    if node is not None:
        by_tree = tree.region(node)
        if by_tree.province is not None:
            status = region.status if region.province is not None else FROM_TREE
            region = Region(
                status, by_tree.province, by_tree.city, by_tree.county, by_tree.code, by_tree.canonical
            )
    return Entry(
        record["file"], record["sha256"], meta.get("agency"), meta.get("year"), region, node,
        record["rows"]["digest"], _signature(record.get("minhash")), context, data.get("format"),
        tuple(record["rows"]["cross"]),
    )  # fmt: skip


def _signature(minhash: str | None) -> bytes | None:
    """A MinHash signature kept compactly (256 bytes) in the index."""
    return None if minhash is None else bytes.fromhex(minhash)


def _previous_caches(previous: list[str]) -> list[Cache]:
    """The caches of earlier datasets (--previous DIR), checked before anything is read."""
    caches = []
    for directory in previous:
        if not (Path(directory) / "cache").is_dir():
            raise InputError("不是 xxgk batch 的输出目录（没有 cache 子目录）", directory)
        cache = Cache(directory)
        if not cache.dir.is_dir():
            raise InputError(
                "该数据集由其他版本的 xxgk 生成，请先用当前版本对它重新运行 xxgk batch", directory
            )
        caches.append(cache)
    return caches


def _previous_entries(caches: list[Cache], tree: OrgTree | None, nodes: dict, index: IndexWriter) -> None:
    """The reports of earlier datasets, appended to the index as partners for the cross-year
    checks (source 1, 2, … of the index)."""
    for source, cache in enumerate(caches, start=1):
        for record in cache.all_records():
            if "report" in record:
                name = f"{PREVIOUS_PREFIX}{record['file'] or record['sha256']}"
                record = dataset_record(record | {"file": name})
                index.add(entry_of(record, tree, nodes, context=True), source=source)
