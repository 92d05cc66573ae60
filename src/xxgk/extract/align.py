"""Fitting a run of value tokens into k cells, and choosing between readings by identities.

When a row carries as many numbers as it has cells, the reading is certain. When it does
not (an extra value from PDF extraction, a blank block, a lost cell), every plausible
alignment is a candidate; the table's identities pick the one that holds. Cells read
from a non-exact row are `low` confidence and the choice is reported as a finding.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter

from ..formats.base import Identity
from .running import Running, integral, touches
from .scoring import compiled, holds
from .scoring import scores as candidate_scores
from .tab_fitplan import plan as row_plan
from .tab_fitplan import take
from .tokens import NUM, Token

# One entry per cell: a number token, a blank token (the cell is blank, and its token says
# where), or None (no token at all: a cell the row did not show).
Slots = tuple[Token | None, ...]
_KIND = attrgetter("kind")
_new = object.__new__


@dataclass(slots=True)
class Fit:
    """The candidate readings of one row (or run) of k cells."""

    refs: Sequence[str]  # the k cell references, in order
    tokens: list[Token]  # the value tokens found
    candidates: list[Slots]
    exact: bool  # the count fitted: one certain reading
    kind: str = "exact"  # exact | extra | missing
    choice: int = 0
    tied: list[int] = field(default_factory=list)
    # The first reading is k number tokens (the common row): its values are read at once.
    numeric: bool = False
    glued: bool = False  # some token holds glued digits (gluedfit.py splits them)
    _values: list[tuple | None] | None = field(default=None, repr=False, compare=False)

    @property
    def chosen(self) -> Slots:
        return self.candidates[self.choice]

    @property
    def moved(self) -> bool:
        """A fitting row whose blanks the identities placed otherwise than read."""
        return self.exact and self.choice != 0

    @property
    def certain(self) -> bool:
        return self.exact and self.choice == 0

    @property
    def ambiguous(self) -> bool:
        """Several best readings that disagree on a value."""
        if len(self.tied) < 2:
            return False
        return len({self.values(i) for i in self.tied}) > 1

    def values(self, index: int) -> tuple:
        """The values candidate `index` gives the cells (None: blank or absent), kept once read:
        the alignment search applies each candidate many times."""
        if self._values is None:
            self._values = [None] * len(self.candidates)
        found = self._values[index]
        if found is None:
            found = self._values[index] = tuple(
                [None if t is None or t.kind != NUM else t.num.value for t in self.candidates[index]]
            )
        return found


def fit(refs: Sequence[str], tokens: list[Token]) -> Fit:
    """The candidate readings of a row of len(refs) cells from its value tokens: as many
    numbers as cells is certain (its blanks may still move, tried when identities fail);
    more or fewer are a question (tab_fitplan.py holds the decision, by the tokens' kinds)."""
    kinds = tuple(map(_KIND, tokens))
    k = len(refs)
    if len(kinds) == k and kinds.count(NUM) == k:  # the common row: one number per cell
        return _one_each(refs, tokens)
    exact, kind, numeric, glued, getters = row_plan(k, kinds)
    candidates = [tuple(tokens[g]) if type(g) is slice else take(g, tokens) for g in getters]
    if len(candidates) > 1 and len(set(map(id, tokens))) != len(tokens):
        candidates = _unique(candidates)  # a token object standing twice: repeats by token
    return Fit(refs, tokens, candidates, exact, kind, numeric=numeric, glued=glued)


def _one_each(refs: Sequence[str], tokens: list[Token]) -> Fit:
    """Fit(refs, tokens, [tuple(tokens)], True, numeric=True) without a class call, which runs
    __init__ in a frame of its own (~32 rows a report)."""
    f = _new(Fit)
    f.refs = refs
    f.tokens = tokens
    f.candidates = [tuple(tokens)]
    f.exact = f.numeric = True
    f.kind = "exact"
    f.choice = 0
    f.tied = []
    f.glued = False
    f._values = None
    return f


def _unique(candidates: list[Slots]) -> list[Slots]:
    seen: set[tuple[int, ...]] = set()
    out = []
    for cand in candidates:
        key = tuple(map(id, cand))
        if key not in seen:
            seen.add(key)
            out.append(cand)
    return out


Values = Callable[[], dict[str, object]]


def identity_score(identities: Sequence[Identity], values: dict[str, object]) -> int:
    """+1 for each identity that holds, -1 for each that fails; identities over cells
    that were not read, or that are all blank, do not count."""
    score = 0
    for ident in identities:
        verdict = holds(ident.left, ident.right, values)
        if verdict is not None:
            score += 1 if verdict else -1
    return score


def choose(fits: list[Fit], identities: Sequence[Identity], values: dict[str, object] | None = None) -> None:
    """Pick each fit's reading so that the most identities hold (coordinate ascent; fits
    are few and small). A fit whose count fitted keeps its primary reading unless an
    alternative makes strictly more identities hold. Sets `choice` and `tied`.

    A candidate is scored on the identities over its own cells only: the others do not
    change while one fit's candidates are tried, so the ranking is that of the full score.
    `values`: each cell's value in the first readings, when the caller has read them."""
    alternatives: set[str] = set()
    several = False  # a row whose count did not fit, with several readings
    for f in fits:
        f.choice, f.tied = 0, [0]
        if len(f.candidates) > 1:
            if f.exact:
                alternatives.update(f.refs)
            else:
                several = True
    if not alternatives and not several:
        return  # every row has one reading
    if values is None:
        values = {}
        for f in fits:
            values.update(zip(f.refs, f.values(0), strict=True))
    table = compiled(identities)
    running = Running(table, values)
    failing = running.failing_refs(alternatives) if alternatives else set()
    if not failing and not several:
        return  # every identity over a row with alternatives holds: the first readings stand
    open_fits = [f for f in fits if len(f.candidates) > 1 and (not f.exact or failing.intersection(f.refs))]
    if not open_fits:
        return
    readings = [[f.values(i) for i in range(len(f.candidates))] for f in open_fits]
    if integral(values, [c for cands in readings for c in cands]):
        plans = [touches(table, f.refs) for f in open_fits]
        score, take = running.scores, running.apply
    else:  # a fraction: sums are not taken apart (see running.py)
        plans = [table.plan(f.refs) for f in open_fits]

        def score(plan, candidates):
            return candidate_scores(plan, values, candidates)

        def take(refs, new):
            values.update(zip(refs, new, strict=True))

    for _ in range(3):
        changed = False
        for f, plan, cands in zip(open_fits, plans, readings, strict=True):
            scores = score(plan, cands)
            best = max(scores)
            # a fitting row keeps its reading unless another is strictly better
            keep = f.exact and scores[0] == best
            tied = [0] if keep else [i for i, s in enumerate(scores) if s == best]
            f.tied = tied
            if f.choice not in tied:
                changed = True
                f.choice = tied[0]
            take(f.refs, cands[f.choice])
        if not changed:
            break
