"""Candidate pairs for 雷同 come from the bands of a MinHash LSH: the sort-based look-up finds
exactly the pairs datasketch's `MinHashLSH` finds, and the numpy signatures are exactly
datasketch's MinHash, without importing it."""

from __future__ import annotations

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from xxgk.batch.similar import BAND_ROWS, MAX_CANDIDATES, MIN_ESTIMATE, candidate_pairs
from xxgk.batch.worker import NUM_PERM, SCHEME, minhash_signature, shingle_hashes


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


def test_the_banding_is_the_lsh_index_s():
    lsh = MinHashLSH(threshold=MIN_ESTIMATE, num_perm=NUM_PERM)
    assert lsh.hashranges == [(s, s + BAND_ROWS) for s in range(0, NUM_PERM, BAND_ROWS)]


def test_signatures_are_datasketch_s_minhash():
    rng = np.random.default_rng(3)
    for size in (1, 2, 75, 4000):
        hashes = rng.integers(0, 2**32, size=size, dtype=np.uint64)
        reference = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME, hashfunc=int)
        reference.update_batch(hashes.tolist())
        assert minhash_signature(hashes) == reference.hashvalues.astype("<u4").tobytes(), size


def test_a_narrative_s_signature():
    text = "本机关坚持以公开为常态、不公开为例外，" * 8
    signature = minhash_signature(shingle_hashes(text))
    reference = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME, hashfunc=int)
    reference.update_batch(shingle_hashes(text).tolist())
    assert signature == reference.hashvalues.astype("<u4").tobytes()
    assert len(signature) == 256


def test_the_batch_does_not_import_datasketch():
    import subprocess
    import sys

    code = (
        "import sys; from xxgk.batch import run, similar, worker; worker.warm();"
        "similar.candidate_pairs({'a': bytes(256), 'b': bytes(256)});"
        "print('datasketch' in sys.modules, 'scipy' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "False"]
