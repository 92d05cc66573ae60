"""Cohort checks over a whole dataset (rules XG9xx in check/cohort.py, plus XG701/XG702 on every
cross-year pair and XG801 on every government of an org tree).

Works on the cohort index (index.py), one year at a time (with the year before, for the
cross-year pairs), and loads a full report only for the pairs and groups it compares, so its
memory is one year's index, not the reports. Findings are kept by the report's ordinal (its
row in reports.parquet), which is also how they are written.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Protocol

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
from .index import Entry, Index
from .orgtree import OrgTree
from .regions import AMBIGUOUS
from .rows import ABSENT, CROSS_REFS
from .similar import Pair, groups, similar_pairs


class PairSink(Protocol):
    def add(self, pairs: list[tuple[Pair, Entry, Entry]], groups: list[list[str]]) -> None:
        """One year's confirmed pairs (with their entries) and their groups."""


@dataclass
class CohortResult:
    findings: dict[int, list[Finding]] = field(default_factory=lambda: defaultdict(list))  # by ordinal
    # the previous year's report of each ordinal, as its ordinal in the index (-1: none): 8 bytes
    # a report where a dict of file names held some 150
    previous: array = field(default_factory=lambda: array("q"))
    pairs: PairSink | None = None  # where each year's 雷同 pairs go (none kept here)

    def set_previous(self, ordinal: int, partner: int) -> None:
        if ordinal >= len(self.previous):
            self.previous.extend([-1] * (ordinal + 1 - len(self.previous)))
        self.previous[ordinal] = partner

    def previous_of(self, start: int, count: int) -> list[int | None]:
        """The partners of ordinals start … start + count - 1 (None: none)."""
        found = [None if p < 0 else p for p in self.previous[start : start + count]]
        return found + [None] * (count - len(found))


def run_cohort(
    index: Index, tree: OrgTree | None, threshold: float, pairs: PairSink | None = None
) -> CohortResult:
    result = CohortResult(pairs=pairs)
    for entry in index.entries(region_status=AMBIGUOUS, source=0):
        result.findings[entry.ordinal].append(
            ambiguous_region_finding(entry.region.place or entry.name, list(entry.region.candidates))
        )
    for year in index.years():
        own = index.entries(year=year, source=0)
        if not own:
            continue
        _similar(own, index, threshold, result)
        _republished(own, index, result)
        _cross_year(own, index.entries(year=year - 1), index, result)
        if tree is not None:
            _roll_up(own, tree, index, result)
    return result


def _similar(entries: list[Entry], index: Index, threshold: float, result: CohortResult) -> None:
    by_file = {e.file: e for e in entries}
    signatures = {e.file: e.minhash for e in entries if e.minhash is not None}
    pairs = similar_pairs(signatures, lambda file: index.narrative(by_file[file]), threshold)
    pairs = [p for p in pairs if by_file[p.a].canonical != by_file[p.b].canonical]
    mine: dict[str, list[Pair]] = defaultdict(list)
    for pair in pairs:
        mine[pair.a].append(pair)
        mine[pair.b].append(pair)
    found = groups(pairs)
    for group in found:
        _group_findings(group, mine, by_file, result)
    if result.pairs is not None:
        result.pairs.add([(p, by_file[p.a], by_file[p.b]) for p in pairs], found)


def _group_findings(
    group: list[str], pairs: dict[str, list[Pair]], by_file: dict[str, Entry], result
) -> None:
    for file in group:
        mine = pairs[file]
        best = max(mine, key=lambda p: (p.similarity, p.b if p.a == file else p.a))
        partner = best.b if best.a == file else best.a
        rest = [by_file[f].name for f in group if f not in (file, partner)]
        result.findings[by_file[file].ordinal].append(
            similar_finding(best.similarity, by_file[partner].name, rest, list(best.passages))
        )


def _republished(entries: list[Entry], index: Index, result: CohortResult) -> None:
    same: dict[str, list[Entry]] = defaultdict(list)
    for e in entries:
        if e.canonical:
            same[e.canonical].append(e)
    for group in same.values():
        if len({e.digest for e in group}) < 2:
            continue
        for e in group:
            for other in group:
                if other.digest != e.digest:
                    refs = _differing(index.report(e), index.report(other))
                    result.findings[e.ordinal].append(republished_finding(other.file, len(refs), refs))


def _differing(a: Report, b: Report) -> list[str]:
    refs = sorted(set(a.cells) | set(b.cells))
    return [r for r in refs if a.value(r) != b.value(r) or a.has(r) != b.has(r)]


def _cross_year(entries: list[Entry], previous: list[Entry], index: Index, result: CohortResult) -> None:
    """Each report of the year against the previous year's report of its canonical agency (the
    dataset's own before an earlier dataset's, then by file)."""
    by_canonical: dict[str, Entry] = {}
    for e in sorted(previous, key=lambda e: (e.context, e.file)):
        if e.canonical:
            by_canonical.setdefault(e.canonical, e)
    for e in entries:
        prev = by_canonical.get(e.canonical) if e.canonical else None
        if prev is None:
            continue
        result.set_previous(e.ordinal, prev.ordinal)
        found = _cross_year_pair(slim_report(e), slim_report(prev))
        if found:  # again on the full reports, for the cells' provenance
            found = _cross_year_pair(index.report(e), index.report(prev))
        if found:  # no empty list kept per report
            result.findings[e.ordinal].extend(found)


def _cross_year_pair(report: Report, previous: Report) -> list[Finding]:
    previous.meta.agency = report.meta.agency  # matched by canonical name, not as written
    context = Context(previous=previous)
    return [*carry_over_continuity(report, context), *in_force_continuity(report, context)]


def slim_report(entry: Entry) -> Report:
    """The cells the cross-year rules compare (no provenance), as a Report."""
    report = Report(format=entry.format)
    report.meta.agency, report.meta.year = entry.agency, entry.year
    for ref, value in zip(CROSS_REFS, entry.cross_values(), strict=True):
        if value != ABSENT:
            report.set(ref, value)
    return report


def _roll_up(entries: list[Entry], tree: OrgTree, index: Index, result: CohortResult) -> None:
    by_node: dict[str, Entry] = {}
    for e in entries:
        if e.node:
            by_node.setdefault(e.node, e)
    for node, aggregate in sorted(by_node.items()):
        children = tree.children.get(node) or []
        if not children:
            continue
        present = [by_node[c] for c in children if c in by_node]
        missing = [c for c in children if c not in by_node]
        if present:
            members = [index.report(m) for m in present]
            found = aggregate_sum(index.report(aggregate), Context(members=members))
            result.findings[aggregate.ordinal].extend(found)
        if missing:
            result.findings[aggregate.ordinal].append(missing_members_finding(node, missing))
