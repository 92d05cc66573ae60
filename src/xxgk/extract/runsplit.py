"""The splits of one run of glued digits into its cells (see digitsplit.py for the whole table).

A run is cut only where the source allows: between two digits, before a sign, and always at a
space it wrote. A part is a number without leading zeros ("0" itself excepted), with a decimal
point only in an amount cell. An identity over the run's own cells shaped "a + b + … = t", t
right after its addends (a row's 总计, table 四's five-cell groups), is enumerated total first:
t's digits bound every addend, a digit-sum test (a number is its digit sum modulo 9) discards
most totals at once, the partial sums prune, and the last addend is forced.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..formats.base import AMOUNT, AMOUNT_TEXT, COUNT, SIGNED, Identity

CAP = 5000  # splits of one run kept; a run with more is unresolved (and constrains nothing)

_PART = {
    COUNT: re.compile(r"0|[1-9]\d*"),
    SIGNED: re.compile(r"[+-]?(?:0|[1-9]\d*)"),
    AMOUNT: re.compile(r"(?:0|[1-9]\d*)(?:\.\d+)?(?:万元)?"),
    AMOUNT_TEXT: re.compile(r"(?:0|[1-9]\d*)(?:\.\d+)?(?:万元|元)?"),
}


@dataclass(frozen=True)
class Run:
    """The digits of one row (or of table 四) and the cells they fill, in order."""

    refs: tuple[str, ...]
    pieces: tuple[str, ...]  # the run as written, cut where the source put a space
    kinds: tuple[str, ...]  # the field kind of each cell


class TooMany(Exception):
    pass


def part_value(text: str, kind: str) -> int | Decimal:
    """The number a valid part stands for."""
    text = text.removesuffix("万元").removesuffix("元")
    if kind in (AMOUNT, AMOUNT_TEXT) and "." in text:
        return Decimal(text)
    return int(text)


# ---------------------------------------------------------------- one run


class _Digits:
    """Where a run may be cut: between two digits, before a sign, at a written space."""

    def __init__(self, pieces: Sequence[str]):
        self.s = s = "".join(pieces)
        n = len(s)
        hard: set[int] = set()
        pos = 0
        for piece in pieces[:-1]:
            pos += len(piece)
            hard.add(pos)
        self.cut = [p in (0, n) or p in hard or _cuttable(s, p) for p in range(n + 1)]
        self.sums = [0] * (n + 1)  # digit sum of s[:p]
        for p, ch in enumerate(s):
            self.sums[p + 1] = self.sums[p] + (int(ch) if ch.isdigit() else 0)
        self.run_end = [n] * (n + 1)  # where the digits starting at p end
        for p in range(n - 1, -1, -1):
            self.run_end[p] = self.run_end[p + 1] if s[p].isdigit() else p
        # A part starting at p ends at the next written space at the latest.
        self.limit = [n] * (n + 1)
        nxt = n
        for p in range(n, -1, -1):
            self.limit[p] = nxt
            if p in hard:
                nxt = p
        # Fewest and most parts the text from p can make.
        self.fewest = [0] * (n + 1)
        self.most = [0] * (n + 1)
        cuts_after = 0
        for p in range(n - 1, -1, -1):
            self.fewest[p] = self.fewest[self.limit[p]] + 1 if self.limit[p] < n else 1
            self.most[p] = 1 + cuts_after
            if p and self.cut[p]:
                cuts_after += 1

    def digit_sum(self, a: int, b: int) -> int:
        return self.sums[b] - self.sums[a]

    def feasible(self, p: int, parts: int) -> bool:
        return self.fewest[p] <= parts <= self.most[p]

    def part(self, a: int, b: int, kind: str) -> str | None:
        """The text of a valid part [a, b), or None."""
        if not (self.cut[a] and self.cut[b]) or b > self.limit[a]:
            return None
        text = self.s[a:b]
        return text if _PART[kind].fullmatch(text) else None


def _cuttable(s: str, p: int) -> bool:
    return (s[p - 1].isdigit() and s[p].isdigit()) or (s[p] in "+-" and s[p - 1] not in "+-")


def _blocks(run: Run, local: Sequence[Identity]) -> tuple[list[tuple[int, int, bool]], list[Identity]]:
    """The run's cells as consecutive blocks: a sum block "a+…=t" (t right after its addends,
    all counts) or a single free cell; and the local identities left to check afterwards."""
    index = {ref: n for n, ref in enumerate(run.refs)}
    sums: dict[int, int] = {}
    rest: list[Identity] = []
    for ident in local:
        if len(ident.right) == 1 and ident.left:
            j = index[ident.right[0]]
            left = [index[r] for r in ident.left]
            start = j - len(left)
            if (
                left == list(range(start, j))
                and all(run.kinds[n] == COUNT for n in range(start, j + 1))
                and start not in sums
                and not any(start <= s <= j or start <= e <= j for s, e in sums.items())
            ):
                sums[start] = j
                continue
        rest.append(ident)
    blocks: list[tuple[int, int, bool]] = []
    n = 0
    while n < len(run.refs):
        if n in sums:
            blocks.append((n, sums[n] + 1, True))
            n = sums[n] + 1
        else:
            blocks.append((n, n + 1, False))
            n += 1
    return blocks, rest


def splits(run: Run, local: Sequence[Identity] = ()) -> list[tuple[str, ...]]:
    """Every split of the run into its cells that satisfies the identities over its own cells.
    Raises TooMany beyond CAP splits."""
    digits = _Digits(run.pieces)
    k = len(run.refs)
    if not digits.feasible(0, k):
        return []
    blocks, rest = _blocks(run, local)
    memo: dict[tuple[int, int], list[tuple[str, ...]]] = {}

    def complete(bi: int, a: int) -> list[tuple[str, ...]]:
        if bi == len(blocks):
            return [()] if a == len(digits.s) else []
        key = (bi, a)
        if key not in memo:
            out: list[tuple[str, ...]] = []
            start, end, is_sum = blocks[bi]
            options = _sum_block(digits, run, a, start, end, k) if is_sum else _free(digits, run, a, start, k)
            for e, parts in options:
                for tail in complete(bi + 1, e):
                    out.append(parts + tail)
                    if len(out) > CAP:
                        raise TooMany
            memo[key] = out
        return memo[key]

    found = complete(0, 0)
    if rest:
        found = [p for p in found if _local_ok(run, p, rest)]
    return found


def _free(digits: _Digits, run: Run, a: int, cell: int, k: int) -> Iterator[tuple[int, tuple[str, ...]]]:
    kind = run.kinds[cell]
    for b in range(a + 1, digits.limit[a] + 1):
        text = digits.part(a, b, kind)
        if text is not None and digits.feasible(b, k - cell - 1):
            yield b, (text,)


def _sum_block(
    digits: _Digits, run: Run, a: int, start: int, end: int, k: int
) -> Iterator[tuple[int, tuple[str, ...]]]:
    """Cells start..end-1: addends, then their total. The total's digits come first."""
    m = end - 1 - start
    n = len(digits.s)
    for width in range(1, n - a - m + 1):
        for e in range(a + m + width, min(n, a + (m + 1) * width) + 1):
            t_text = digits.part(e - width, e, COUNT)
            if t_text is None or not digits.feasible(e, k - end):
                continue
            total = int(t_text)
            # A number is its digit sum modulo 9, however the addends' digits are cut.
            if total % 9 != digits.digit_sum(a, e - width) % 9:
                continue
            for parts in _addends(digits, a, e - width, m, total, width):
                yield e, (*parts, t_text)


def _addends(digits: _Digits, a: int, end: int, m: int, total: int, width: int) -> list[tuple[str, ...]]:
    """Splits of [a, end) into m counts of at most `width` digits summing to `total`."""
    out: list[tuple[str, ...]] = []
    _addend(digits, a, end, m, total, width, [], out)
    return out


def _addend(digits: _Digits, a: int, end: int, m: int, rem: int, width: int, path: list, out: list) -> None:
    s = digits.s
    if m == 1:
        if s[a:end] == str(rem) and end <= digits.limit[a]:
            out.append((*path, s[a:end]))
        return
    width = min(width, len(str(rem)))  # every addend is at most what is left to sum
    length = end - a
    if not m <= length <= m * width:
        return
    # Some addends must have `width` digits, each at least 10**(width-1); and m addends of
    # at most `longest` digits stay below m * 10**longest.
    if width > 1 and (length - m * (width - 1)) * 10 ** (width - 1) > rem:
        return
    longest = min(width, length - m + 1)
    if m * 10**longest <= rem:
        return
    stop = a + 1 if s[a] == "0" else min(a + width, end - (m - 1), digits.limit[a], digits.run_end[a])
    for b in range(max(a + 1, end - (m - 1) * width), stop + 1):
        if not digits.cut[b]:
            continue
        value = int(s[a:b])
        if value > rem:
            break  # longer parts from a are larger still
        path.append(s[a:b])
        _addend(digits, b, end, m - 1, rem - value, width, path, out)
        path.pop()


def _local_ok(run: Run, parts: tuple[str, ...], identities: Sequence[Identity]) -> bool:
    values = {ref: part_value(p, kind) for ref, p, kind in zip(run.refs, parts, run.kinds, strict=True)}
    return all(sum(values[r] for r in i.left) == sum(values[r] for r in i.right) for i in identities)
