"""Candidate pairs for 雷同 come from the bands of a MinHash LSH: the sort-based look-up finds
exactly the pairs datasketch's `MinHashLSH` finds."""

from __future__ import annotations

import numpy as np
from datasketch import LeanMinHash, MinHashLSH

from xxgk.batch.similar import MAX_CANDIDATES, MIN_ESTIMATE, candidate_pairs
from xxgk.batch.worker import NUM_PERM, SCHEME


def _lsh_pairs(signatures: dict) -> list[tuple[str, str]]:
    """The pairs as datasketch's LSH index gives them (the former implementation)."""
    keys = sorted(signatures)
    matrix = np.vstack([np.frombuffer(signatures[k], dtype="<u4") for k in keys])
    sketches = [LeanMinHash(seed=1, hashvalues=row, scheme=SCHEME) for row in matrix]
    lsh = MinHashLSH(threshold=MIN_ESTIMATE, num_perm=NUM_PERM)
    for i, sketch in enumerate(sketches):
        lsh.insert(i, sketch, check_duplication=False)
    pairs = set()
    for i, sketch in enumerate(sketches):
        found = np.array(sorted(j for j in lsh.query(sketch) if j != i), dtype=np.int64)
        if not found.size:
            continue
        estimates = (matrix[found] == matrix[i]).mean(axis=1)
        keep = found[estimates >= MIN_ESTIMATE]
        if keep.size > MAX_CANDIDATES:
            order = np.lexsort((keep, -estimates[estimates >= MIN_ESTIMATE]))
            keep = keep[order[:MAX_CANDIDATES]]
        pairs.update((min(i, int(j)), max(i, int(j))) for j in keep)
    return [(keys[i], keys[j]) for i, j in sorted(pairs)]


def _signatures(seed: int, count: int) -> dict[str, bytes]:
    """Random signatures; some copied from another with a share of their values changed, and a
    template shared by 15 files (more than MAX_CANDIDATES each)."""
    rng = np.random.default_rng(seed)
    rows = rng.integers(0, 2**32, size=(count, NUM_PERM), dtype=np.uint64).astype(np.uint32)
    for i in range(0, count, 7):
        source = rows[rng.integers(0, count)]
        changed = rng.random(NUM_PERM) < rng.uniform(0.1, 0.9)
        rows[i] = np.where(changed, rows[i], source)
    rows[count - 15 :] = rows[count - 16]
    rows[count - 15 :, : int(rng.integers(0, 40))] = 7
    return {f"f{i:04d}": row.astype("<u4").tobytes() for i, row in enumerate(rows)}


def test_the_same_pairs_as_the_lsh_index():
    for seed in range(5):
        signatures = _signatures(seed, 300)
        assert candidate_pairs(signatures) == _lsh_pairs(signatures), seed


def test_pairs_of_a_small_cohort():
    base = np.arange(NUM_PERM, dtype="<u4")
    near = base.copy()
    near[40:] += 1000  # the first 10 bands shared: estimate 40/64
    far = base.copy()
    far[4:] += 2000  # one band shared, estimate 4/64: looked up, not kept
    other = base + 5000
    signatures = {"a": base.tobytes(), "b": near.tobytes(), "c": far.tobytes(), "d": other.tobytes()}
    assert candidate_pairs(signatures) == [("a", "b")]
    assert candidate_pairs({"a": base.tobytes()}) == []
