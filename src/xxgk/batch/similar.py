"""雷同 across units: near-duplicate narratives among the reports of one year.

Candidates come from MinHash signatures (computed by the workers, `worker.narrative_minhash`)
put into a datasketch `MinHashLSHForest` per year (each report's nearest neighbours); each candidate pair is then measured
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
from .worker import NUM_PERM, SCHEME

# Candidates kept per report, the most similar first: a year where every unit used one
# template would otherwise ask for n² exact comparisons; the groups still connect them all.
MAX_CANDIDATES = 10
# Candidates whose estimated Jaccard is below this are not measured: a text wholly contained
# in one twice its length has Jaccard 0.5, so containment 0.8 is well above it.
MIN_ESTIMATE = 0.4
MAX_PASSAGES = 3
PASSAGE_CHARS = 40


@dataclass(frozen=True)
class Pair:
    a: str  # file
    b: str
    similarity: float
    passages: tuple[str, ...]


def candidate_pairs(signatures: dict) -> list[tuple[str, str]]:
    """Pairs of files among each file's nearest neighbours by MinHash (a datasketch LSH Forest,
    top MAX_CANDIDATES) whose estimated Jaccard is at least MIN_ESTIMATE. Bounded per file, so
    a year where every unit used one template costs n·k comparisons, not n²."""
    import numpy as np
    from datasketch import LeanMinHash, MinHashLSHForest

    keys = sorted(signatures)
    if len(keys) < 2:
        return []
    matrix = np.vstack([np.asarray(signatures[k], dtype=np.uint64) for k in keys])
    forest = MinHashLSHForest(num_perm=NUM_PERM)
    for i in range(len(keys)):
        forest.add(i, LeanMinHash(seed=1, hashvalues=matrix[i], scheme=SCHEME))
    forest.index()
    pairs = set()
    for i in range(len(keys)):
        found = [j for j in forest.query(LeanMinHash(seed=1, hashvalues=matrix[i], scheme=SCHEME), MAX_CANDIDATES + 1)
                 if j != i]  # fmt: skip
        if not found:
            continue
        estimates = (matrix[found] == matrix[i]).mean(axis=1)
        pairs.update(
            (min(i, j), max(i, j)) for j, e in zip(found, estimates, strict=True) if e >= MIN_ESTIMATE
        )
    return [(keys[i], keys[j]) for i, j in sorted(pairs)]


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


def similar_pairs(signatures: dict, narrative: Callable[[str], str], threshold: float) -> list[Pair]:
    """Confirmed near-duplicate pairs among one year's reports, sorted."""
    get = lru_cache(maxsize=256)(lambda file: prepare(narrative(file)))

    out = []
    for a, b in candidate_pairs(signatures):
        value = measure(get(a), get(b))
        if value >= threshold:
            out.append(Pair(a, b, round(value, 4), shared_passages(get(a), get(b))))
    return out


def groups(pairs: list[Pair]) -> list[list[str]]:
    """Connected components of the pairs, each sorted, in order of their first member."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for pair in pairs:
        parent[root(pair.a)] = root(pair.b)
    members: dict[str, list[str]] = defaultdict(list)
    for key in parent:
        members[root(key)].append(key)
    return sorted(sorted(m) for m in members.values())
