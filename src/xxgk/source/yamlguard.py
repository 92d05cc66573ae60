"""Bounds on a YAML report source before and while PyYAML composes it.

A report source is small and shallow: the bundled example is 23 KB, about 300 nodes, nested
four deep (top → table → row → cell). PyYAML's composer recurses once per level and its
pure-Python scanner spends about half a second per megabyte, so without bounds a file nested
10,000 deep ends in RecursionError and one with 300,000 keys takes most of a minute. Here:

- the file is at most MAX_SOURCE_BYTES (checked before reading it);
- `BoundedLoader` stops composing at MAX_DEPTH levels or MAX_NODES nodes, so the work done
  on a hostile file is bounded whatever follows the point where it stops;
- every scalar (keys included) is refused if it holds a lone surrogate, from an escape such
  as "\\ud800": no output (UTF-8 text, JSON, DOCX) can carry it, so printing the report
  would fail. Control characters from escapes such as "\\x08" are left alone: the writer
  escapes them the same way, and a source read and written again is identical.
"""

from __future__ import annotations

import re

import yaml
from yaml.error import Mark
from yaml.nodes import Node, ScalarNode

MAX_SOURCE_BYTES = 2 * 1024 * 1024  # the scanner needs about 1 s of CPU for 2 MB of blank lines
MAX_DEPTH = 16
MAX_NODES = 10_000

_SURROGATE = re.compile(r"[\ud800-\udfff]")


class SourceLimit(Exception):
    """The source exceeds a bound or holds an unusable character; `mark` is where."""

    def __init__(self, mark: Mark | None, message: str):
        super().__init__(message)
        self.mark = mark
        self.message = message


def surrogate_message(char: str) -> str:
    return (
        f"文字中有无效的 Unicode 字符 U+{ord(char):04X}（单独的代理码位，"
        f"多是误写的“\\u{ord(char):04x}”转义），请删去或改正"
    )


def find_surrogate(text: str) -> str | None:
    found = _SURROGATE.search(text)
    return None if found is None else found.group()


class BoundedLoader(yaml.SafeLoader):
    """SafeLoader's composer with a depth and node budget and a check of every scalar."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self._depth = 0
        self._nodes = 0

    def compose_node(self, parent: Node | None, index: object) -> Node:
        mark = self.peek_event().start_mark
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise SourceLimit(mark, f"源文件的项目过多（超过 {MAX_NODES} 项），不是年度报告源文件")
        if self._depth >= MAX_DEPTH:
            raise SourceLimit(mark, f"源文件的层次过深（超过 {MAX_DEPTH} 层），不是年度报告源文件")
        self._depth += 1
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        if isinstance(node, ScalarNode) and (char := find_surrogate(node.value)) is not None:
            raise SourceLimit(node.start_mark, surrogate_message(char))
        return node
