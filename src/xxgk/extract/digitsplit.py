"""Splitting digits that ran together into a table's cells, by the table's identities.

Text scraped from a web table without separators gives "801000081" for the seven cells
80, 1, 0, 0, 0, 0, 81. Each such *run* (a row's digits; table 四's fifteen) has a set of
possible splits into its k cells: numbers without leading zeros ("0" itself excepted), a
decimal only where the cell is an amount, never across a space the source did write.

The table's identities choose among them, in two stages:

1. Within a run (runsplit.py): an identity over cells of the run alone, shaped "a + b + … = t"
   with t right after its addends (a row's 总计; table 四's five-cell rows), is enumerated
   total first: t's digits bound every addend, the partial sums prune, the last addend is
   forced. A 175-cell table 三 is thus solved row by row in milliseconds.
2. Across runs (`solve`): the identities that couple rows (一+二 = 三(七)+四 per column,
   the outcomes = 三(七)) are propagated: a split survives only while, for every identity it
   is in, some choice of the other runs' splits makes the identity hold (sum sets, not the
   product). A short search over what remains proves which splits occur in some complete
   reading of the table.

A run is resolved when every reading of the table that satisfies all identities gives it
the same split. Otherwise it is left unresolved (several splits, none, or too many to tell),
and its cells stay blank: a split is never guessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass

from ..formats.base import Identity
from .runsplit import CAP, Run, TooMany, part_value, splits

__all__ = ["Outcome", "Run", "solve", "splits"]

BUDGET = 5000  # search nodes per table
SET_CAP = 50000  # sums tracked per identity while propagating


@dataclass(frozen=True)
class Outcome:
    """What the table's identities make of one run."""

    parts: tuple[str, ...] | None  # the one split every consistent reading agrees on
    count: int  # splits that occur in some consistent reading (0: none; > 1: several)
    many: bool = False  # too many splits or readings to tell
    checked: bool = False  # an identity took part (else the digits alone decided)



@dataclass
class _Term:
    """One identity over the runs: sum over runs of a candidate's contribution + const == 0."""

    const: int
    runs: dict[int, list[int]]  # run -> contribution of each of its candidates


def solve(runs: Sequence[Run], identities: Sequence[Identity], fixed: dict[str, object]) -> list[Outcome]:
    """Resolve every run of a table. `fixed`: values of the table's other cells that were read
    as written (they take part in the identities)."""
    owner = {ref: r for r, run in enumerate(runs) for ref in run.refs}
    local: dict[int, list[Identity]] = {}
    cross: list[Identity] = []
    for ident in identities:
        owners = {owner.get(ref) for ref in ident.refs}
        if len(owners) == 1 and None not in owners:
            local.setdefault(owners.pop(), []).append(ident)
        elif owners - {None}:
            cross.append(ident)
    cands: list[list[tuple[str, ...]] | None] = []
    for r, run in enumerate(runs):
        try:
            cands.append(splits(run, local.get(r, ())))
        except TooMany:
            cands.append(None)
    terms = _terms(runs, cands, cross, owner, fixed)
    domains = {r: list(range(len(c))) for r, c in enumerate(cands) if c is not None}
    coupled = {r for t in terms for r in t.runs}
    unsure: set[int] = set()
    # When the identities cannot all hold (the source has an arithmetic error), each run
    # keeps what its own cells allow, and the checker reports the rest.
    if terms:
        with suppress(_Inconsistent):
            resolved, unsure = _resolve({r: domains[r] for r in coupled}, terms)
            domains.update(resolved)
    out = []
    for r, c in enumerate(cands):
        checked = r in local or r in coupled
        if c is None:
            out.append(Outcome(None, CAP, many=True, checked=checked))
            continue
        alive = domains[r]
        parts = c[alive[0]] if len(alive) == 1 and r not in unsure else None
        out.append(Outcome(parts, len(alive), many=r in unsure, checked=checked))
    return out


class _Inconsistent(Exception):
    pass


class _OutOfBudget(Exception):
    pass


def _terms(runs, cands, cross, owner, fixed) -> list[_Term]:
    """The cross-run identities over known cells: a run without splits, an unresolvable run,
    a cell neither read nor split, or a blank cell makes an identity unusable."""
    out = []
    for ident in cross:
        term = _Term(0, {})
        usable = True
        for ref, sign in [(x, 1) for x in ident.left] + [(x, -1) for x in ident.right]:
            r = owner.get(ref)
            if r is None:
                value = fixed.get(ref)
                if not isinstance(value, int):
                    usable = False
                    break
                term.const += sign * value
                continue
            if not cands[r]:  # None (too many) or [] (no split): nothing to go on
                usable = False
                break
            pos = runs[r].refs.index(ref)
            kind = runs[r].kinds[pos]
            contrib = term.runs.setdefault(r, [0] * len(cands[r]))
            for c, parts in enumerate(cands[r]):
                contrib[c] += sign * part_value(parts[pos], kind)
        if usable and all(isinstance(v, int) for vs in term.runs.values() for v in vs):
            out.append(term)
    return out


def _resolve(domains: dict[int, list[int]], terms: list[_Term]) -> tuple[dict[int, list[int]], set[int]]:
    """Keep, for each run, the splits that occur in some reading satisfying every term; and
    the runs the search could not settle within its budget."""
    domains = _propagate(domains, terms)
    if domains is None:
        raise _Inconsistent
    budget = [BUDGET]
    open_runs = {r for r, d in domains.items() if len(d) > 1}
    try:
        first = _search(domains, terms, budget)
    except _OutOfBudget:
        first = None  # no reading found in time: trust only what each run allows alone
    if first is None:
        raise _Inconsistent
    supported = {r: {c} for r, c in first.items()}
    for r in sorted(open_runs):
        for c in list(domains[r]):
            if c in supported[r]:
                continue
            trial = {q: list(d) for q, d in domains.items()}
            trial[r] = [c]
            try:
                found = _search(trial, terms, budget)
            except _OutOfBudget:
                return domains, {q for q in open_runs if q >= r and len(domains[q]) > 1}
            if found is None:
                domains[r].remove(c)
            else:
                for q, cq in found.items():
                    supported[q].add(cq)
    return domains, set()


def _search(domains, terms, budget) -> dict[int, int] | None:
    """One reading (a split per run) satisfying every term, or None."""
    budget[0] -= 1
    if budget[0] < 0:
        raise _OutOfBudget
    domains = _propagate(domains, terms)
    if domains is None:
        return None
    open_runs = [r for r, d in domains.items() if len(d) > 1]
    if not open_runs:
        return {r: d[0] for r, d in domains.items()}
    r = min(open_runs, key=lambda q: len(domains[q]))
    for c in domains[r]:
        trial = {q: list(d) for q, d in domains.items()}
        trial[r] = [c]
        found = _search(trial, terms, budget)
        if found is not None:
            return found
    return None


def _propagate(domains: dict[int, list[int]], terms: list[_Term]) -> dict[int, list[int]] | None:
    """Drop splits that no choice of the other runs' splits can complete, until nothing changes."""
    domains = {r: list(d) for r, d in domains.items()}
    changed = True
    while changed:
        changed = False
        for term in terms:
            result = _prune(domains, term)
            if result is None:
                return None
            changed |= result
    return domains


def _prune(domains: dict[int, list[int]], term: _Term) -> bool | None:
    """One term: keep the splits whose contribution some choice of the others completes to 0.
    Returns whether a domain shrank; None when one became empty."""
    const = term.const
    open_runs = []
    for r, contrib in term.runs.items():
        alive = domains[r]
        values = {contrib[c] for c in alive}
        if len(values) == 1:
            const += next(iter(values))
        else:
            open_runs.append((r, contrib))
    if not open_runs:
        return None if const != 0 else False
    sets = [{contrib[c] for c in domains[r]} for r, contrib in open_runs]
    prefix = [{const}]
    for values in sets:
        prefix.append({x + v for x in prefix[-1] for v in values})
        if len(prefix[-1]) > SET_CAP:
            return False
    suffix = [{0}]
    for values in reversed(sets):
        suffix.append({x + v for x in suffix[-1] for v in values})
        if len(suffix[-1]) > SET_CAP:
            return False
    suffix.reverse()
    shrank = False
    for n, (r, contrib) in enumerate(open_runs):
        before, after = prefix[n], suffix[n + 1]
        small, big = (before, after) if len(before) <= len(after) else (after, before)
        ok = {v for v in sets[n] if any(-(x + v) in big for x in small)}
        keep = [c for c in domains[r] if contrib[c] in ok]
        if not keep:
            return None
        if len(keep) < len(domains[r]):
            domains[r] = keep
            shrank = True
    return shrank
