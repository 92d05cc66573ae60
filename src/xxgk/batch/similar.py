"""雷同 across units: near-duplicate narratives among the reports of one year.

Candidates come from MinHash signatures (computed by the workers, `worker.narrative_minhash`)
cut into the bands a datasketch `MinHashLSH` would use, per year (reports sharing a band are candidates,
found by sorting each band's values; the LSH Forest's nearest-neighbour search cost
milliseconds a report); each candidate pair is then measured
exactly as XG703 does (5-char shingles of the comparable text, containment, the larger of the
two directions) from the cached narratives, so the LSH only decides which pairs are looked at.
Pairs at or above the threshold are joined into groups (connected components).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from ..check.similarity import comparable_text, shingles
from .worker import NUM_PERM

# Candidates kept per report, the most similar first: a year where every unit used one
# template would otherwise ask for n² exact comparisons; the groups still connect them all.
MAX_CANDIDATES = 10
# Candidates whose estimated Jaccard is below this are not measured: a text wholly contained
# in one twice its length has Jaccard 0.5, so containment 0.8 is well above it.
MIN_ESTIMATE = 0.4
# The banding datasketch's MinHashLSH chooses for MIN_ESTIMATE and NUM_PERM (16 bands of 4
# values), fixed here: importing datasketch brings SciPy, for this one number.
BAND_ROWS = 4
MAX_PASSAGES = 3
PASSAGE_CHARS = 40


@dataclass(frozen=True)
class Pair:
    a: str | int  # file (or row)
    b: str | int
    similarity: float
    passages: tuple[str, ...]


def candidate_pairs(signatures: dict) -> list[tuple[str, str]]:
    """Pairs of files that share a band of their MinHash signatures (`candidate_rows`)."""
    keys, matrix = _matrix(signatures)
    return [(keys[i], keys[j]) for i, j in candidate_rows(matrix)]


def _matrix(signatures: dict):
    import numpy as np

    keys = sorted(signatures)
    rows = [np.frombuffer(signatures[k], dtype="<u4") for k in keys]
    return keys, np.vstack(rows) if rows else np.empty((0, NUM_PERM), dtype="<u4")


def candidate_rows(matrix) -> list[tuple[int, int]]:
    """`banded_candidate_rows` of a signature matrix held whole."""
    return banded_candidate_rows(
        len(matrix), lambda start: matrix[:, start : start + BAND_ROWS], lambda rows: matrix[rows]
    )


def banded_candidate_rows(count: int, band, signatures) -> list[tuple[int, int]]:
    """Pairs of rows (i < j, sorted) that share a band of their MinHash signatures (the bands of
    a datasketch `MinHashLSH` tuned for MIN_ESTIMATE) and whose estimated Jaccard is at least
    MIN_ESTIMATE; of each row's candidates the MAX_CANDIDATES most similar. Bounded per row, so a
    year where every unit used one template costs n·k exact comparisons, not n².

    `band(start)`: the `count` rows' values start … start + BAND_ROWS - 1; `signatures(rows)`:
    the whole signatures of the rows given (sorted), asked for once, for the rows that share a
    band (the only ones a candidate search looks at): the matrix of all is never needed."""
    import numpy as np

    if count < 2:
        return []
    orders, begins, sizes = _bands(count, band)
    shared = np.flatnonzero((sizes > 1).any(axis=0))
    matrix = signatures(shared)
    pairs = set()
    for i in shared.tolist():
        found = _partners(i, orders, begins, sizes)
        estimates = (matrix[np.searchsorted(shared, found)] == matrix[np.searchsorted(shared, i)]).mean(
            axis=1
        )
        keep = found[estimates >= MIN_ESTIMATE]
        if keep.size > MAX_CANDIDATES:  # the most similar, the first row first among equals
            order = np.lexsort((keep, -estimates[estimates >= MIN_ESTIMATE]))
            keep = keep[order[:MAX_CANDIDATES]]
        pairs.update((min(i, int(j)), max(i, int(j))) for j in keep)
    return sorted(pairs)


def _bands(count: int, band):
    """Each band's rows sorted by value, and each row's group in it as a slice of those (start
    and size, 32-bit): what the LSH's look-up gives, from one sort per band instead of its hash
    tables (which held tens of MB of Python sets for a year of reports); splitting the sorted
    rows into arrays made one Python object per distinct value and band, 16 a report."""
    import numpy as np

    bands = len(range(0, NUM_PERM, BAND_ROWS))
    begins = np.empty((bands, count), dtype=np.int32)
    sizes = np.empty_like(begins)
    orders = []
    for b, start in enumerate(range(0, NUM_PERM, BAND_ROWS)):
        _, labels, counts = np.unique(band(start), axis=0, return_inverse=True, return_counts=True)
        labels = labels.ravel()
        orders.append(np.argsort(labels, kind="stable").astype(np.int32))
        begins[b] = (np.cumsum(counts) - counts)[labels]
        sizes[b] = counts[labels]
    return orders, begins, sizes


def _partners(i: int, orders, begins, sizes):
    """The other rows sharing a band with row `i`, sorted."""
    import numpy as np

    groups = [
        order[begin : begin + size]
        for order, begin, size in zip(orders, begins[:, i].tolist(), sizes[:, i].tolist(), strict=True)
        if size > 1
    ]
    found = np.unique(np.concatenate(groups)).astype(np.int64)
    return found[found != i]


_SENTENCE = re.compile(r"[^。；！？\n]+")


@dataclass(frozen=True)
class Prepared:
    shingles: frozenset[str]
    sentences: tuple[tuple[str, str], ...]  # (sentence as written, its comparable form)


def prepare(text: str) -> Prepared:
    sentences = tuple((s.strip(), comparable_text(s)) for s in _SENTENCE.findall(text))
    return Prepared(frozenset(shingles(comparable_text(text))), sentences)


def measure(a: Prepared, b: Prepared) -> float:
    """The larger containment of the two comparable texts' shingle sets."""
    if not a.shingles or not b.shingles:
        return 0.0
    common = len(a.shingles & b.shingles)
    return max(common / len(a.shingles), common / len(b.shingles))


def shared_passages(a: Prepared, b: Prepared) -> tuple[str, ...]:
    """Sentences of A whose comparable form (no digits, punctuation) also stands in B."""
    others = {key for _text, key in b.sentences}
    out: list[str] = []
    for text, key in a.sentences:
        if len(key) >= 10 and key in others:
            out.append(text if len(text) <= PASSAGE_CHARS else text[:PASSAGE_CHARS] + "…")
            if len(out) == MAX_PASSAGES:
                break
    return tuple(out)


def confirm(
    candidates: list[tuple[int, int]], narrative: Callable[[int], str], threshold: float
) -> list[Pair]:
    """The candidate pairs of rows measured at or above `threshold`."""
    get = lru_cache(maxsize=32)(lambda row: prepare(narrative(row)))  # pairs come sorted by `a`

    out = []
    for a, b in candidates:
        value = measure(get(a), get(b))
        if value >= threshold:
            out.append(Pair(a, b, round(value, 4), shared_passages(get(a), get(b))))
    return out


def groups(pairs: list[Pair]) -> list[list]:
    """Connected components of the pairs, each sorted, in order of their first member."""
    parent: dict = {}

    def root(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for pair in pairs:
        parent[root(pair.a)] = root(pair.b)
    members: dict = defaultdict(list)
    for key in parent:
        members[root(key)].append(key)
    return sorted(sorted(m) for m in members.values())
