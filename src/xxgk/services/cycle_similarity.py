"""雷同 in a cycle: each submitted filing against its node's report of last year (rule XG703,
the cross-year measure) and against the other filings of the cycle (the batch cohort check
XG901), with the shared passages.

The measures are the batch layer's (`batch.similar`: 5-character shingles of the comparable
text, the larger containment of the two directions, sentences found in both); a small cycle
is compared pair by pair, a large one through the batch's MinHash candidates. Drafts are not
compared: a draft still holding `xxgk new`'s skeleton would match every other draft.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from itertools import combinations

from sqlalchemy.orm import Session

from ..batch.similar import Pair as SimilarPair
from ..batch.similar import Prepared, candidate_pairs, groups, measure, prepare, shared_passages
from ..batch.worker import MIN_CHARS, narrative_minhash
from ..check import Context, check_report
from ..check.cohort import similar_finding
from ..check.crossyear import DEFAULT_THRESHOLD, narrative
from ..check.similarity import comparable_text
from ..model import Finding, Report
from ..store.cycle_tables import ACCEPTED, PUBLISHED, SUBMITTED, Cycle
from ..store.tables import User
from .cycle import previous_report
from .cycle_dashboard import cycle_nodes, supervised_cycle, version_report
from .scope import NotFound

COMPARED = (SUBMITTED, ACCEPTED, PUBLISHED)
EXACT_LIMIT = 80  # up to this many filings every pair is measured; above, MinHash candidates


@dataclass
class Match:
    filing_id: int
    name: str
    similarity: float
    passages: tuple[str, ...]

    @property
    def percent(self) -> int:
        return int(self.similarity * 100)

    @property
    def flagged(self) -> bool:
        return self.similarity >= DEFAULT_THRESHOLD


@dataclass
class Entry:
    filing_id: int
    name: str
    status_label: str
    comparable: bool  # enough narrative to compare (as XG901)
    last_year: float | None = None
    last_year_passages: tuple[str, ...] = ()
    last_year_findings: list[Finding] = field(default_factory=list)  # XG703
    matches: list[Match] = field(default_factory=list)  # most similar first
    finding: Finding | None = None  # XG901 when the filing is in a 雷同 group

    @property
    def best(self) -> Match | None:
        return self.matches[0] if self.matches else None

    @property
    def last_year_percent(self) -> int | None:
        return None if self.last_year is None else int(self.last_year * 100)


@dataclass
class SimilarityView:
    cycle: Cycle
    entries: list[Entry]
    threshold: float = DEFAULT_THRESHOLD
    groups: list[list[str]] = field(default_factory=list)  # names of the 雷同 groups

    def entry(self, filing_id: int) -> Entry:
        for entry in self.entries:
            if entry.filing_id == filing_id:
                return entry
        raise NotFound("该报告不在本次填报的雷同比较中（尚未提交，或无权查看）")


@dataclass
class _Text:
    entry: Entry
    report: Report
    prepared: Prepared


def cycle_similarity(
    session: Session, user: User, cycle_id: int, today: date | None = None
) -> SimilarityView:
    cycle = supervised_cycle(session, user, cycle_id)
    _root, nodes = cycle_nodes(session, user, cycle, today or date.today())
    texts: dict[int, _Text] = {}
    for node in nodes:
        if node.filing is None or node.filing.status not in COMPARED or node.head is None:
            continue
        report = version_report(node.head)
        text = narrative(report, None)
        entry = Entry(node.filing.id, node.org.name, node.facts.status_label, _comparable(text))
        texts[node.filing.id] = _Text(entry, report, prepare(text))
        _last_year(entry, report, texts[node.filing.id].prepared, previous_report(session, node.filing))
    view = SimilarityView(cycle, [t.entry for t in texts.values()])
    _within_cycle(view, texts)
    return view


def _comparable(text: str) -> bool:
    return len(comparable_text(text)) >= MIN_CHARS


def _last_year(entry: Entry, report: Report, prepared: Prepared, previous: Report | None) -> None:
    if previous is None or not entry.comparable:
        return
    before = prepare(narrative(previous, None))
    entry.last_year = round(measure(prepared, before), 4)
    entry.last_year_passages = shared_passages(prepared, before)
    copy = Report.from_json(report.to_json())
    entry.last_year_findings = check_report(copy, Context(previous=previous), select=["XG703"])


def _within_cycle(view: SimilarityView, texts: dict[int, _Text]) -> None:
    keys = sorted(k for k, t in texts.items() if t.entry.comparable)
    flagged: list[SimilarPair] = []
    for a, b in _pairs(keys, texts):
        ta, tb = texts[a], texts[b]
        value = round(measure(ta.prepared, tb.prepared), 4)
        ta.entry.matches.append(Match(b, tb.entry.name, value, shared_passages(ta.prepared, tb.prepared)))
        tb.entry.matches.append(Match(a, ta.entry.name, value, shared_passages(tb.prepared, ta.prepared)))
        if value >= view.threshold:
            flagged.append(SimilarPair(str(a), str(b), value, ()))
    for t in texts.values():
        t.entry.matches.sort(key=lambda m: (-m.similarity, m.name))
    for group in groups(flagged):
        members = [texts[int(k)].entry for k in group]
        view.groups.append([m.name for m in members])
        for entry in members:
            best = next(m for m in entry.matches if m.flagged)
            rest = [m.name for m in members if m.name not in (entry.name, best.name)]
            entry.finding = similar_finding(best.similarity, best.name, rest, list(best.passages))


def _pairs(keys: list[int], texts: dict[int, _Text]) -> list[tuple[int, int]]:
    if len(keys) <= EXACT_LIMIT:
        return list(combinations(keys, 2))
    signatures = {
        str(k): bytes.fromhex(sig) for k in keys if (sig := narrative_minhash(texts[k].report)) is not None
    }
    return [(int(a), int(b)) for a, b in candidate_pairs(signatures)]
