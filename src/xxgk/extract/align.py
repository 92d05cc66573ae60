"""Fitting a run of value tokens into k cells, and choosing between readings by identities.

When a row carries as many numbers as it has cells, the reading is certain. When it does
not (an extra value from PDF extraction, a blank block, a lost cell), every plausible
alignment is a candidate; the table's identities pick the one that holds. Cells read
from a non-exact row are `low` confidence and the choice is reported as a finding.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..formats.base import Identity
from .tokens import BLANK, NUM, Token

Slots = tuple[Token | None, ...]  # one entry per cell; None = blank
_MAX_WINDOWS = 12


@dataclass
class Fit:
    """The candidate readings of one row (or run) of k cells."""

    refs: list[str]  # the k cell references, in order
    tokens: list[Token]  # the value tokens found
    candidates: list[Slots]
    exact: bool  # the count fitted: one certain reading
    kind: str = "exact"  # exact | extra | missing
    choice: int = 0
    tied: list[int] = field(default_factory=list)

    @property
    def chosen(self) -> Slots:
        return self.candidates[self.choice]

    @property
    def ambiguous(self) -> bool:
        """Several best readings that disagree on a value."""
        values = {tuple(_value(t) for t in self.candidates[i]) for i in self.tied}
        return len(values) > 1


def _value(token: Token | None):
    return None if token is None or token.kind != NUM else token.num.value


def _positional(tokens: Sequence[Token]) -> Slots:
    return tuple(t if t.kind == NUM else None for t in tokens)


def _trim_blanks(tokens: list[Token]) -> list[Token]:
    start, end = 0, len(tokens)
    while start < end and tokens[start].kind == BLANK:
        start += 1
    while end > start and tokens[end - 1].kind == BLANK:
        end -= 1
    return tokens[start:end]


def fit(refs: list[str], tokens: list[Token]) -> Fit:
    k = len(refs)
    nums = [t for t in tokens if t.kind == NUM]
    if len(nums) == k:
        return Fit(refs, tokens, [tuple(nums)], True)
    if not nums:
        return Fit(refs, tokens, [(None,) * k], True)
    for run in (tokens, _trim_blanks(tokens)):
        if len(run) == k:
            return Fit(refs, tokens, [_positional(run)], True)
    if len(nums) > k:
        # More numbers than cells: blanks are fillers, the extra number is the question.
        windows = [tuple(nums[o : o + k]) for o in range(min(len(nums) - k + 1, _MAX_WINDOWS))]
        return Fit(refs, tokens, windows, False, "extra")
    if k < len(tokens) <= k + _MAX_WINDOWS:
        # Fewer numbers than cells but more slots: where do the blanks fall?
        windows = [_positional(tokens[o : o + k]) for o in range(len(tokens) - k + 1)]
        return Fit(refs, tokens, _unique(windows), False, "extra")
    padded = tuple(nums) + (None,) * (k - len(nums))
    return Fit(refs, tokens, [padded], False, "missing")


def _unique(candidates: list[Slots]) -> list[Slots]:
    seen: set[tuple[int, ...]] = set()
    out = []
    for cand in candidates:
        key = tuple(id(t) for t in cand)
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
        cells = [values.get(ref, _ABSENT) for ref in ident.refs]
        if any(v is _ABSENT for v in cells) or all(v is None for v in cells):
            continue
        left = sum(values[r] or 0 for r in ident.left)
        right = sum(values[r] or 0 for r in ident.right)
        score += 1 if left == right else -1
    return score


_ABSENT = object()


def choose(fits: list[Fit], identities: Sequence[Identity]) -> None:
    """Pick each ambiguous fit's candidate to maximise the identities that hold
    (coordinate ascent; fits are few and small). Sets `choice` and `tied`."""
    values: dict[str, object] = {}
    for f in fits:
        _apply(values, f, f.choice)
    open_fits = [f for f in fits if len(f.candidates) > 1]
    for f in fits:
        f.tied = [f.choice]
    for _ in range(3):
        changed = False
        for f in open_fits:
            scores = []
            for i in range(len(f.candidates)):
                _apply(values, f, i)
                scores.append(identity_score(identities, values))
            best = max(scores)
            f.tied = [i for i, s in enumerate(scores) if s == best]
            if f.choice not in f.tied:
                changed = True
                f.choice = f.tied[0]
            _apply(values, f, f.choice)
        if not changed:
            break


def _apply(values: dict[str, object], f: Fit, index: int) -> None:
    for ref, token in zip(f.refs, f.candidates[index], strict=True):
        values[ref] = _value(token)
