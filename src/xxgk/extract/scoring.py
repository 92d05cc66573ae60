"""Scoring a fit's candidate readings by the identities over its cells, incrementally.

While one fit's candidates are tried, the cells of the other fits do not change: each
identity's sums over those cells are taken once, and a candidate adds only its own cells
(one or two per identity) instead of re-reading the ~20 cells of every identity it touches.
The identities, and each row's plan over them, are compiled once per format.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter

from ..formats.base import Identity

_ABSENT = object()

# (cells of the left side not in the fit, of the right side, fit positions on the left, on the right)
Term = tuple[tuple[str, ...], tuple[str, ...], tuple[int, ...], tuple[int, ...]]


class Compiled:
    """A table's identities, indexed by cell, with each fit's plan kept by its cell references."""

    __slots__ = ("by_ref", "getters", "identities", "occurs", "plans", "refsets", "sides", "touches")

    def __init__(self, identities: Sequence[Identity]):
        self.identities = identities
        self.sides = [(ident.left, ident.right) for ident in identities]
        self.refsets = [frozenset(ident.refs) for ident in identities]
        # Each identity's cells read at once (a tuple: left then right), and where the right begins;
        # a single cell gives no tuple, so it is read cell by cell (running.Running._count).
        self.getters = [
            (itemgetter(*ident.refs) if len(ident.refs) > 1 else _one, len(ident.left))
            for ident in identities
        ]
        self.by_ref: dict[str, list[int]] = {}
        for n, ident in enumerate(identities):
            for ref in ident.refs:
                found = self.by_ref.setdefault(ref, [])
                if not found or found[-1] != n:
                    found.append(n)
        self.plans: dict[tuple[str, ...], list[Term]] = {}
        self.touches: dict[tuple[str, ...], list] = {}  # running.touches, per fit's cells
        # Each cell's occurrences: (identity number, side), repeated as often as it is written.
        self.occurs: dict[str, list[tuple[int, int]]] = {}
        for n, ident in enumerate(identities):
            for side, refs in enumerate((ident.left, ident.right)):
                for ref in refs:
                    self.occurs.setdefault(ref, []).append((n, side))

    def plan(self, refs: Sequence[str]) -> list[Term]:
        """The identities over at least one of `refs`, in catalogue order, split into the
        cells the fit does not hold and the fit's own positions (a repeated ref: its last)."""
        key = tuple(refs)
        terms = self.plans.get(key)
        if terms is None:
            at = {ref: i for i, ref in enumerate(key)}
            numbers = sorted({n for ref in key for n in self.by_ref.get(ref, ())})
            terms = self.plans[key] = [_term(*self.sides[n], at) for n in numbers]
        return terms


def _one(values: dict[str, object]) -> tuple:
    raise TypeError("one cell: read it cell by cell")


def _term(left: tuple[str, ...], right: tuple[str, ...], at: dict[str, int]) -> Term:
    return (
        tuple(r for r in left if r not in at),
        tuple(r for r in right if r not in at),
        tuple(at[r] for r in left if r in at),
        tuple(at[r] for r in right if r in at),
    )


def holds(left: Sequence[str], right: Sequence[str], values: dict[str, object]) -> bool | None:
    """sum(left) == sum(right); None when a cell was not read, or all cells are blank."""
    sums = _sums(left, right, values.get)
    if sums is None or not sums[2]:
        return None
    return sums[0] == sums[1]


def scores(terms: list[Term], values: dict[str, object], candidates: list[tuple]) -> list[int]:
    """Each candidate's score (+1 per identity that holds, -1 per one that fails) over the
    identities of `terms`, up to a constant shared by all candidates (identities that do not
    count whatever the candidate: a cell outside the fit not read)."""
    fixed = []
    get = values.get
    for left, right, lpos, rpos in terms:
        sums = _sums(left, right, get)
        if sums is not None:
            fixed.append((*sums, lpos, rpos))
    return score_fixed(fixed, candidates)


def score_fixed(fixed: list[tuple], candidates: list[tuple]) -> list[int]:
    """Each candidate's score over identities given as (left sum, right sum, any cell filled,
    left positions, right positions): the sums of the cells the candidate does not place,
    and where in a candidate its values for the rest stand."""
    out = []
    for cand in candidates:
        score = 0
        for lsum, rsum, seen, lpos, rpos in fixed:
            for p in lpos:
                v = cand[p]
                if v is not None:
                    seen = True
                    lsum += v
            for p in rpos:
                v = cand[p]
                if v is not None:
                    seen = True
                    rsum += v
            if seen:
                score += 1 if lsum == rsum else -1
        out.append(score)
    return out


def _sums(left: tuple[str, ...], right: tuple[str, ...], get) -> tuple[object, object, bool] | None:
    lsum = rsum = 0
    seen = False
    for ref in left:
        v = get(ref, _ABSENT)
        if v is _ABSENT:
            return None
        if v is not None:
            seen = True
            lsum += v
    for ref in right:
        v = get(ref, _ABSENT)
        if v is _ABSENT:
            return None
        if v is not None:
            seen = True
            rsum += v
    return lsum, rsum, seen


_COMPILED: dict[int, Compiled] = {}
_COMPILED_SIZE = 64  # formats have three tables each; callers passing fresh lists are few


def compiled(identities: Sequence[Identity]) -> Compiled:
    """The compiled form of a table's identities, kept per identities object (per format)."""
    found = _COMPILED.get(id(identities))
    if found is None or found.identities is not identities:
        if len(_COMPILED) >= _COMPILED_SIZE:
            _COMPILED.clear()
        found = _COMPILED[id(identities)] = Compiled(identities)
    return found
