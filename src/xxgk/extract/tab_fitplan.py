"""Where a row's candidate readings come from, by the kinds of its value tokens alone.

Which readings a row of k cells has (align.fit) depends only on k and the sequence of its
tokens' kinds (number, blank, text, glued…), and the same few shapes recur in every
report: the plan of a shape — certain or not, its kind, and each candidate as the
positions it takes (-1: no token) — is worked out once and kept; a row then only picks its
tokens. Candidates are unique by position, which is by token when no token object stands
twice in the row (align.fit checks).
"""

from __future__ import annotations

from operator import itemgetter

from .tokens import BLANK, GLUED, NUM

MAX_WINDOWS = 12

Pick = tuple[int, ...]  # positions in the row's tokens, -1 for no token
# (exact, kind, numeric, glued, candidates: each a slice, an itemgetter or a Pick with -1)
Plan = tuple[bool, str, bool, bool, list]

_PLANS: dict[tuple[int, tuple[str, ...]], Plan] = {}
_PLANS_SIZE = 4096  # distinct row shapes kept; cleared when full


def plan(k: int, kinds: tuple[str, ...]) -> Plan:
    key = (k, kinds)
    found = _PLANS.get(key)
    if found is None:
        if len(_PLANS) >= _PLANS_SIZE:
            _PLANS.clear()
        exact, kind, numeric, glued, picks = _shape(k, kinds)
        found = _PLANS[key] = (exact, kind, numeric, glued, [_getter(p) for p in _unique(picks)])
    return found


def take(getter, tokens: list) -> tuple:
    """The candidate a plan's getter picks from the row's tokens."""
    if type(getter) is slice:
        return tuple(tokens[getter])
    if type(getter) is itemgetter:
        return getter(tokens)
    return tuple([None if i < 0 else tokens[i] for i in getter])


def _getter(pick: Pick):
    if -1 in pick:
        return pick
    if not pick or pick == tuple(range(pick[0], pick[0] + len(pick))):
        start = pick[0] if pick else 0
        return slice(start, start + len(pick))
    return itemgetter(*pick)  # two positions at least: not a run


def _shape(k: int, kinds: tuple[str, ...]) -> tuple[bool, str, bool, bool, list[Pick]]:
    """align.fit's decision, over positions."""
    n = len(kinds)
    every = tuple(range(n))
    if kinds.count(NUM) == k:
        if n == k:  # the common row: one number per cell
            return True, "exact", True, False, [every]
        if kinds[:k].count(NUM) == k and kinds.count(BLANK) == n - k:
            # the numbers, then blanks, which may belong before some of the numbers
            return True, "exact", True, False, _windows(every, k) or [every[:k]]
    glued = GLUED in kinds
    nums = tuple(i for i in every if kinds[i] == NUM)
    start, end = 0, n
    while start < end and kinds[start] == BLANK:
        start += 1
    while end > start and kinds[end - 1] == BLANK:
        end -= 1
    core = every[start:end]
    inner_blank = any(kinds[i] == BLANK for i in core)
    # other placements of the blanks of a row that fits (tried when identities fail)
    alternatives = _windows(every, k) if BLANK in kinds else []
    if len(nums) == k and not inner_blank:
        return True, "exact", True, glued, [nums, *alternatives]
    for run in (every, core):
        if len(run) == k:
            return True, "exact", False, glued, [run, *alternatives]
    if not nums:
        return True, "exact", False, glued, [(-1,) * k]
    if len(nums) >= k:  # the extra number, or the blank, is the question
        windows = [nums[o : o + k] for o in range(min(len(nums) - k + 1, MAX_WINDOWS))]
        return False, "extra", False, glued, windows + _windows(core, k)
    if n > k:  # where do the blanks fall? (far more slots: the first k, never certain)
        return False, "extra", False, glued, _unique(_windows(every, k)) or [every[:k]]
    return False, "missing", False, glued, [nums + (-1,) * (k - len(nums))]


def _windows(positions: Pick, k: int) -> list[Pick]:
    if not k < len(positions) <= k + MAX_WINDOWS:
        return []
    return [positions[o : o + k] for o in range(len(positions) - k + 1)]


def _unique(picks: list[Pick]) -> list[Pick]:
    return list(dict.fromkeys(picks))
