"""Each identity's sums over the current readings, kept up to date as the alignment search
changes one row at a time.

The search (align.choose) reads every identity once; after that, trying a row's candidates
costs the row's own cells in the identities it touches (its current values taken out, each
candidate's put in), and taking a candidate updates only the identities over the cells that
changed. Integer counts only: subtracting is exact for them, and a table with a fraction
(a Decimal, rounded to its context) is scored the plain way (scoring.scores).
"""

from __future__ import annotations

from collections.abc import Sequence

from .scoring import Compiled, score_fixed

_ABSENT = object()
_NO_SUMS: list = []  # a place holder, replaced for every identity
LEFT, RIGHT = 0, 1

# (identity number, fit positions on the left, on the right, the fit's cells on the left, on the right)
Touch = tuple[int, tuple[int, ...], tuple[int, ...], tuple[str, ...], tuple[str, ...]]


class Running:
    """Sums of both sides, count of cells with a number, count of cells not read, per identity."""

    __slots__ = ("absent", "filled", "sums", "table", "values")

    def __init__(self, table: Compiled, values: dict[str, object]):
        self.table = table
        self.values = values
        n = len(table.sides)
        sums: list[list] = [_NO_SUMS] * n
        filled = [0] * n
        self.sums, self.filled, self.absent = sums, filled, [0] * n
        for k, (cells, split) in enumerate(table.getters):
            try:
                read = cells(values)  # every cell at once (the common case: all read)
            except (KeyError, TypeError):
                read = None
            if read is None or None in read:  # some cell not read, or blank
                sums[k] = [0, 0]
                self._count(k, values)
            else:
                filled[k] = len(read)
                sums[k] = [sum(read[:split]), sum(read[split:])]

    def _count(self, k: int, values: dict[str, object]) -> None:
        """Identity `k` cell by cell: some cell blank or not read."""
        sums = self.sums[k]
        self.filled[k] = 0
        get = values.get
        for side, refs in enumerate(self.table.sides[k]):
            for ref in refs:
                v = get(ref, _ABSENT)
                if v is _ABSENT:
                    self.absent[k] += 1
                elif v is not None:
                    self.filled[k] += 1
                    sums[side] += v

    def failing_refs(self, refs: set[str]) -> set[str]:
        """The cells of the identities that fail, among the identities over `refs`."""
        out: set[str] = set()
        for k, refset in enumerate(self.table.refsets):
            sums = self.sums[k]
            if (
                not self.absent[k]
                and self.filled[k]
                and sums[LEFT] != sums[RIGHT]
                and not refset.isdisjoint(refs)
            ):
                out |= refset
        return out

    def scores(self, touches: list[Touch], candidates: list[tuple]) -> list[int]:
        """As scoring.scores: each candidate's score over the identities the fit touches."""
        fixed = []
        values, absent, sums, counts = self.values, self.absent, self.sums, self.filled
        for k, lpos, rpos, lrefs, rrefs in touches:
            if absent[k]:
                continue  # a cell outside the fit not read: says nothing for any candidate
            lsum, rsum = sums[k]
            filled = counts[k]
            for ref in lrefs:
                v = values[ref]
                if v is not None:
                    lsum -= v
                    filled -= 1
            for ref in rrefs:
                v = values[ref]
                if v is not None:
                    rsum -= v
                    filled -= 1
            fixed.append((lsum, rsum, filled > 0, lpos, rpos))
        return score_fixed(fixed, candidates)

    def apply(self, refs: Sequence[str], new: tuple) -> None:
        """Take a reading: each cell's value, and the sums of the identities over it."""
        values = self.values
        occurs = self.table.occurs
        for ref, v in zip(refs, new, strict=True):
            old = values[ref]
            values[ref] = v
            if old is v or (old is not None and v is not None and old == v):
                continue
            for k, side in occurs.get(ref, ()):
                sums = self.sums[k]
                if old is not None:
                    sums[side] -= old
                    self.filled[k] -= 1
                if v is not None:
                    sums[side] += v
                    self.filled[k] += 1


def touches(table: Compiled, refs: Sequence[str]) -> list[Touch]:
    """The identities over at least one of `refs`, in catalogue order, with the fit's own
    positions and cells on each side (a repeated ref: its last position), kept per format."""
    key = tuple(refs)
    found = table.touches.get(key)
    if found is None:
        at = {ref: i for i, ref in enumerate(key)}
        found = table.touches[key] = []
        for k in sorted({k for ref in key for k in table.by_ref.get(ref, ())}):
            left, right = table.sides[k]
            mine_l = tuple(r for r in left if r in at)
            mine_r = tuple(r for r in right if r in at)
            found.append((k, tuple(at[r] for r in mine_l), tuple(at[r] for r in mine_r), mine_l, mine_r))
    return found


def integral(values: dict[str, object], candidates: list[tuple]) -> bool:
    """Every value a whole count (int), so that sums can be taken apart exactly."""
    return _WHOLE.issuperset(map(type, values.values())) and all(
        _WHOLE.issuperset(map(type, cand)) for cand in candidates
    )


_WHOLE = frozenset([int, type(None)])  # a blank cell (None) takes nothing apart
