"""Cohort checks over a whole dataset (rules XG9xx in check/cohort.py, plus XG701/XG702 on every
cross-year pair and XG801 on every government of an org tree).

Works on a compact index of the reports (`Entry`: names, year, region, fingerprints) and loads
a full report only for the pairs and groups it compares, so its memory is the index, not the
reports.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..check import Context
from ..check.cohort import (
    ambiguous_region_finding,
    missing_members_finding,
    republished_finding,
    similar_finding,
)
from ..check.crossyear import carry_over_continuity, in_force_continuity
from ..check.members import aggregate_sum
from ..model import Finding, Report
from .orgtree import OrgTree
from .regions import AMBIGUOUS, Region
from .rows import ABSENT, CROSS_REFS
from .similar import Pair, groups, similar_pairs


@dataclass
class Entry:
    file: str
    sha256: str
    agency: str | None
    year: int | None
    region: Region
    node: str | None = None
    digest: str = ""
    minhash: Any = None  # numpy uint64 signature, or None for a short narrative
    context: bool = False  # from --previous: compared with, not part of the dataset
    format: str | None = None
    cross: tuple = ()  # the cells the cross-year rules compare (rows.CROSS_REFS)

    @property
    def canonical(self) -> str:
        return self.region.canonical

    @property
    def name(self) -> str:
        return self.agency or self.file


@dataclass
class CohortResult:
    findings: dict[str, list[Finding]] = field(default_factory=lambda: defaultdict(list))
    pairs: list[Pair] = field(default_factory=list)
    groups: list[list[str]] = field(default_factory=list)
    previous: dict[str, str] = field(default_factory=dict)  # file -> previous year's file


Loader = Callable[[str], Report]


def run_cohort(
    entries: list[Entry],
    load: Loader,
    tree: OrgTree | None,
    threshold: float,
    narrative: Callable[[str], str],
) -> CohortResult:
    result = CohortResult()
    own = [e for e in entries if not e.context]
    for entry in own:
        if entry.region.status == AMBIGUOUS:
            result.findings[entry.file].append(
                ambiguous_region_finding(entry.region.place or entry.name, list(entry.region.candidates))
            )
    _similar(own, narrative, threshold, result)
    _republished(own, load, result)
    _cross_year(entries, load, result)
    if tree is not None:
        _roll_up(own, tree, load, result)
    return result


def _similar(entries: list[Entry], narrative, threshold: float, result: CohortResult) -> None:
    by_file = {e.file: e for e in entries}
    by_year: dict[int, dict[str, list[int]]] = defaultdict(dict)
    for e in entries:
        if e.minhash is not None and e.year is not None:
            by_year[e.year][e.file] = e.minhash
    for year in sorted(by_year):
        pairs = similar_pairs(by_year[year], narrative, threshold)
        pairs = [p for p in pairs if by_file[p.a].canonical != by_file[p.b].canonical]
        result.pairs.extend(pairs)
        mine: dict[str, list[Pair]] = defaultdict(list)
        for pair in pairs:
            mine[pair.a].append(pair)
            mine[pair.b].append(pair)
        for group in groups(pairs):
            result.groups.append(group)
            _group_findings(group, mine, by_file, result)


def _group_findings(
    group: list[str], pairs: dict[str, list[Pair]], by_file: dict[str, Entry], result
) -> None:
    for file in group:
        mine = pairs[file]
        best = max(mine, key=lambda p: (p.similarity, p.b if p.a == file else p.a))
        partner = best.b if best.a == file else best.a
        rest = [by_file[f].name for f in group if f not in (file, partner)]
        result.findings[file].append(
            similar_finding(best.similarity, by_file[partner].name, rest, list(best.passages))
        )


def _republished(entries: list[Entry], load: Loader, result: CohortResult) -> None:
    same: dict[tuple[str, int], list[Entry]] = defaultdict(list)
    for e in entries:
        if e.year is not None and e.canonical:
            same[(e.canonical, e.year)].append(e)
    for group in same.values():
        if len({e.digest for e in group}) < 2:
            continue
        for e in group:
            for other in group:
                if other.digest != e.digest:
                    refs = _differing(load(e.file), load(other.file))
                    result.findings[e.file].append(republished_finding(other.file, len(refs), refs))


def _differing(a: Report, b: Report) -> list[str]:
    refs = sorted(set(a.cells) | set(b.cells))
    return [r for r in refs if a.value(r) != b.value(r) or a.has(r) != b.has(r)]


def _cross_year(entries: list[Entry], load: Loader, result: CohortResult) -> None:
    by_key: dict[tuple[str, int], Entry] = {}
    for e in sorted(entries, key=lambda e: (e.context, e.file)):
        if e.year is not None and e.canonical:
            by_key.setdefault((e.canonical, e.year), e)
    for e in entries:
        if e.context or e.year is None:
            continue
        prev = by_key.get((e.canonical, e.year - 1))
        if prev is None:
            continue
        result.previous[e.file] = prev.file
        found = _cross_year_pair(slim_report(e), slim_report(prev))
        if found:  # again on the full reports, for the cells' provenance
            found = _cross_year_pair(load(e.file), load(prev.file))
        result.findings[e.file].extend(found)


def _cross_year_pair(report: Report, previous: Report) -> list[Finding]:
    previous.meta.agency = report.meta.agency  # matched by canonical name, not as written
    context = Context(previous=previous)
    return [*carry_over_continuity(report, context), *in_force_continuity(report, context)]


def slim_report(entry: Entry) -> Report:
    """The cells the cross-year rules compare (no provenance), as a Report."""
    report = Report(format=entry.format)
    report.meta.agency, report.meta.year = entry.agency, entry.year
    for ref, value in zip(CROSS_REFS, entry.cross, strict=True):
        if value != ABSENT:
            report.set(ref, value)
    return report


def _roll_up(entries: list[Entry], tree: OrgTree, load: Loader, result: CohortResult) -> None:
    by_node: dict[tuple[str, int], Entry] = {}
    for e in entries:
        if e.node and e.year is not None:
            by_node.setdefault((e.node, e.year), e)
    for (node, year), aggregate in sorted(by_node.items()):
        children = tree.children.get(node) or []
        if not children:
            continue
        present = [by_node[(c, year)] for c in children if (c, year) in by_node]
        missing = [c for c in children if (c, year) not in by_node]
        if present:
            members = [load(m.file) for m in present]
            found = aggregate_sum(load(aggregate.file), Context(members=members))
            result.findings[aggregate.file].extend(found)
        if missing:
            result.findings[aggregate.file].append(missing_members_finding(node, missing))
