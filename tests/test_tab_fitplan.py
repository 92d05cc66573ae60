"""Row plans by token kinds (extract/tab_fitplan.py) give the readings the direct search
gave: the search as it stood, kept here as the reference, against fit() over random rows."""

from __future__ import annotations

import random

from xxgk.extract import tab_fitplan
from xxgk.extract.align import _unique, fit
from xxgk.extract.tokens import BLANK, GLUED, NUM, TEXT, UNREADABLE, Token

_MAX = 12


def _reference(k: int, tokens: list[Token]) -> tuple[list[tuple], bool, str, bool, bool]:
    """(candidates, exact, kind, numeric, glued) as align.fit computed them before the plans."""
    n = len(tokens)
    kinds = [t.kind for t in tokens]
    if kinds.count(NUM) == k:
        if n == k:
            return [tuple(tokens)], True, "exact", True, False
        if kinds[:k].count(NUM) == k and kinds.count(BLANK) == n - k:
            return _unique(_windows(tokens, k) or [tuple(tokens[:k])]), True, "exact", True, False
    glued = GLUED in kinds
    nums = [t for t in tokens if t.kind == NUM]
    start, end = 0, n
    while start < end and kinds[start] == BLANK:
        start += 1
    while end > start and kinds[end - 1] == BLANK:
        end -= 1
    core = tokens[start:end]
    alternatives = _windows(tokens, k) if BLANK in kinds else []
    if len(nums) == k and BLANK not in kinds[start:end]:
        return _unique([tuple(nums), *alternatives]), True, "exact", True, glued
    for run in (tokens, core):
        if len(run) == k:
            return _unique([tuple(run), *alternatives]), True, "exact", False, glued
    if not nums:
        return [(None,) * k], True, "exact", False, glued
    if len(nums) >= k:
        windows = [tuple(nums[o : o + k]) for o in range(min(len(nums) - k + 1, _MAX))]
        return _unique(windows + _windows(core, k)), False, "extra", False, glued
    if n > k:
        return _unique(_windows(tokens, k)) or [tuple(tokens[:k])], False, "extra", False, glued
    return [tuple(nums) + (None,) * (k - len(nums))], False, "missing", False, glued


def _windows(tokens: list[Token], k: int) -> list[tuple]:
    if not k < len(tokens) <= k + _MAX:
        return []
    return [tuple(tokens[o : o + k]) for o in range(len(tokens) - k + 1)]


def _token(kind: str, n: int) -> Token:
    return Token(str(n), str(n), kind, None, {"line": n}, n)


def _ids(candidates: list[tuple]) -> list[tuple]:
    return [tuple(None if t is None else id(t) for t in cand) for cand in candidates]


def test_plans_give_the_reference_readings_over_random_rows():
    rng = random.Random(13)
    kinds = (NUM, NUM, NUM, BLANK, BLANK, TEXT, GLUED, UNREADABLE)
    for _ in range(3000):
        k = rng.randint(1, 9)
        tokens = [_token(rng.choice(kinds), n) for n in range(rng.randint(0, k + 14))]
        if tokens and rng.random() < 0.1:
            tokens.append(rng.choice(tokens))  # a token object standing twice
        f = fit([f"r{n}" for n in range(k)], tokens)
        candidates, exact, kind, numeric, glued = _reference(k, tokens)
        assert (_ids(f.candidates), f.exact, f.kind, f.numeric, f.glued) == (
            _ids(candidates),
            exact,
            kind,
            numeric,
            glued,
        ), [t.kind for t in tokens]


def test_plans_are_kept_by_shape_and_bounded(monkeypatch):
    monkeypatch.setattr(tab_fitplan, "_PLANS", {})
    first = tab_fitplan.plan(2, (NUM, NUM, BLANK))
    assert tab_fitplan.plan(2, (NUM, NUM, BLANK)) is first
    assert first[:4] == (True, "exact", True, False)
    assert first[4] == [slice(0, 2), slice(1, 3)]
    assert tab_fitplan.plan(3, (NUM, NUM))[4] == [(0, 1, -1)]  # a number missing: no token
    apart = tab_fitplan.plan(2, (NUM, TEXT, NUM))[4]
    assert tab_fitplan.take(apart[0], ["a", "b", "c"]) == ("a", "c")
    monkeypatch.setattr(tab_fitplan, "_PLANS_SIZE", 2)
    tab_fitplan.plan(1, (NUM,))
    assert list(tab_fitplan._PLANS) == [(1, (NUM,))]  # full: cleared before the fourth shape
