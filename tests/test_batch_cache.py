"""The batch cache's pack files: records found again by content hash, by a later run and by
another process; a record cut short by an interrupted run is ignored."""

from __future__ import annotations

import os

from xxgk.batch.cache import HEADER, PACK_GLOB, Cache


def _record(n: int) -> dict:
    return {"file": f"/in/r{n}.txt", "sha256": f"{n:064x}", "size": n, "report": {"meta": {"source": {"path": "x"}},
            "preamble": "政府信息公开" * n}}  # fmt: skip


def test_a_record_comes_back_under_the_name_it_is_read_from(tmp_path):
    cache = Cache(tmp_path)
    cache.put(_record(1))
    assert cache.has(f"{1:064x}") and not cache.has(f"{2:064x}")
    got = cache.get(f"{1:064x}", "/other/name.txt")
    assert got == {"sha256": f"{1:064x}", "size": 1, "file": "/other/name.txt",
                   "report": {"meta": {"source": {"path": "/other/name.txt"}}, "preamble": "政府信息公开"}}  # fmt: skip
    cache.close()


def test_one_pack_per_process_and_a_later_run_finds_every_record(tmp_path):
    cache = Cache(tmp_path)
    for n in (3, 1, 2):
        cache.put(_record(n))
    cache.close()
    assert len(list(cache.dir.glob(PACK_GLOB))) == 1
    again = Cache(tmp_path)
    assert [r["size"] for r in again.all_records()] == [1, 2, 3]  # by content hash
    assert [r["file"] for r in again.all_records()] == ["x", "x", "x"]  # the path the report was read from
    again.close()


def test_a_record_cut_short_is_ignored(tmp_path):
    cache = Cache(tmp_path)
    cache.put(_record(1))
    cache.put(_record(2))
    cache.close()
    (pack,) = cache.dir.glob(PACK_GLOB)
    size = pack.stat().st_size
    with pack.open("r+b") as f:
        f.truncate(size - 3)  # the run stopped while writing the second record
    again = Cache(tmp_path)
    assert again.has(f"{1:064x}") and not again.has(f"{2:064x}")
    again.put(_record(2))  # read again, cached in a pack of its own
    again.close()
    assert len(list(cache.dir.glob(PACK_GLOB))) == 2
    assert Cache(tmp_path).get(f"{2:064x}", "b")["size"] == 2


def test_a_record_another_process_wrote_is_found_by_get(tmp_path):
    parent = Cache(tmp_path).load()
    pid = os.fork()
    if pid == 0:  # a pool worker: writes its own pack
        try:
            parent.put(_record(5))
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    assert len(list(parent.dir.glob(PACK_GLOB))) == 1
    assert not parent.has(f"{5:064x}")  # has() does not look again (one scan per file would cost)
    assert parent.get(f"{5:064x}", "/in/five.txt")["size"] == 5  # get() does
    assert parent.has(f"{5:064x}")
    parent.close()


def test_the_header_names_the_content_and_its_sizes():
    assert HEADER.size == 4 + 32 + 8 + 8
