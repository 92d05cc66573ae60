"""An org tree for a batch: the CSV/XLSX of `xxgk orgs import` (名称, 类型, 层级, 上级), read
without a database. Nodes are matched to reports by canonical name (`regions.resolve`), and
a node's region comes from its own name, narrowed by its ancestors' names when needed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from .regions import FROM_TREE, Region, resolve


@dataclass
class OrgTree:
    parent: dict[str, str] = field(default_factory=dict)
    children: dict[str, list[str]] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)

    def ancestors(self, name: str) -> list[str]:
        out, seen = [], {name}
        while (up := self.parent.get(name)) and up not in seen:
            out.append(up)
            seen.add(up)
            name = up
        return out

    def region(self, name: str) -> Region:
        """The node's region: its name alone, else with its ancestors' names as the hint."""
        own = resolve(name)
        if own.province is not None:
            return own
        hinted = resolve(name, "".join(self.ancestors(name)))
        if hinted.province is None:
            return own
        return Region(FROM_TREE, hinted.province, hinted.city, hinted.county, hinted.code, hinted.canonical)

    def by_canonical(self) -> dict[str, str]:
        """Canonical name -> node name (first node wins when two nodes are the same agency)."""
        out: dict[str, str] = {}
        for name in self.order:
            out.setdefault(self.region(name).canonical, name)
            out.setdefault(resolve(name).canonical, name)
        return out


def read_tree(path: str) -> OrgTree:
    from ..orgs.io import read_rows

    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"无法读取机构树（{exc.strerror}）", path) from None
    tree = OrgTree()
    for _line, spec in read_rows(data, path):
        tree.order.append(spec.name)
        tree.children.setdefault(spec.name, [])
        if spec.parent:
            tree.parent[spec.name] = spec.parent
            tree.children.setdefault(spec.parent, []).append(spec.name)
    unknown = sorted({p for p in tree.parent.values() if p not in tree.order})
    if unknown:
        raise InputError(f"机构树中的上级机构不存在：{'、'.join(unknown)}", path)
    return tree
