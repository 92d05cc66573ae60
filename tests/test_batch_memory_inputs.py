"""The batch's input list: the order and files of `sorted(set(expand_inputs(...)))`, without
holding them in memory."""

from __future__ import annotations

import os

from xxgk.api import expand_inputs
from xxgk.batch.inputs import InputList


def _tree(root):
    for name in ("a.txt", "a/b.txt", "a.b/c.txt", "a-b.txt", "A.TXT", "z/.hidden.txt", "z/y/x.pdf",
                 "z/notes.md", "a/b/c/d.html", "ab.docx", "a0.txt", "中文/报告.txt", ".txt"):  # fmt: skip
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
    (root / "empty").mkdir()
    os.symlink(root / "a", root / "linked")  # a link to a directory: not followed
    os.symlink(root / "a.txt", root / "link.txt")  # a link to a file: listed


def test_the_list_is_expand_inputs_sorted_and_distinct(tmp_path):
    _tree(tmp_path)
    inputs = [str(tmp_path), str(tmp_path / "a"), str(tmp_path / "z") + "/", str(tmp_path / "empty"),
              str(tmp_path / "a.txt"), str(tmp_path / "missing.txt"), "-"]  # fmt: skip
    expected = sorted(set(expand_inputs(inputs)))
    listed = InputList(inputs)
    assert list(listed) == expected
    assert list(listed) == expected  # read again from the start
    assert len(listed) == len(expected) == 16
    listed.close()


def test_many_paths_cross_the_read_blocks(tmp_path, monkeypatch):
    import xxgk.batch.inputs as inputs

    monkeypatch.setattr(inputs, "BLOCK", 7)  # every path split between two reads
    for i in range(30):
        (tmp_path / f"r{i:02d}.txt").write_text("x", encoding="utf-8")
    listed = InputList([str(tmp_path)])
    assert list(listed) == [str(tmp_path / f"r{i:02d}.txt") for i in range(30)]
    listed.close()
