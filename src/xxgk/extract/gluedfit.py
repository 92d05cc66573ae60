"""Rows read from glued table text: their digits split into cells by the table's identities.

A row whose value tokens include GLUED runs (glued.py) gets its fit replaced here, before the
table is settled: when the runs hold at least as many numbers as the row has cells they are
ordinary cells after all; otherwise the table's identities split them (digitsplit.py). A
split row is a `GluedFit` with one reading — low confidence, explained by XG006 — or, when
the identities leave several splits (or none), blank cells explained by XG003.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..formats.base import Format, Table
from .align import Fit, fit
from .digitsplit import Outcome, Run, solve
from .tokens import GLUED, NUM, Token, make_token

KIND = "glued"
_PIECE = re.compile(r"\S+")


@dataclass
class GluedFit(Fit):
    """A row split from glued digits: one reading (the split), or blank cells."""

    raw: str = ""  # the digits as written
    splits: int = 1  # splits the identities allow (0: none; > 1: several)
    many: bool = False  # too many splits to tell
    checked: bool = False  # identities took part (else the digits alone allowed one split)

    @property
    def parts(self) -> list[str] | None:
        slots = self.candidates[0]
        return None if slots[0] is None else [t.text for t in slots]


def settle_glued(fits: list[Fit], spec: Format, table: Table) -> None:
    """Replace, in place, each fit holding glued digits by its split."""
    runs: dict[int, tuple[Run, list[tuple[str, Token, int]]]] = {}
    for i, f in enumerate(fits):
        if not any(t.kind == GLUED for t in f.tokens):
            continue
        pieces = [
            (m.group(), t, m.start())
            for t in f.tokens
            if t.kind in (GLUED, NUM)
            for m in _PIECE.finditer(t.text)
        ]
        if len(pieces) >= len(f.refs):  # as many numbers as cells: nothing ran together
            fits[i] = fit(f.refs, [_token(text, t, at) for text, t, at in pieces])
            continue
        kinds = tuple(spec.fields_by_ref[ref][2].kind for ref in f.refs)
        runs[i] = (Run(tuple(f.refs), tuple(p for p, _, _ in pieces), kinds), pieces)
    if not runs:
        return
    identities = spec.table_identities(table.key)
    outcomes = solve([run for run, _ in runs.values()], identities, _fixed(fits, runs))
    for (i, (run, pieces)), outcome in zip(runs.items(), outcomes, strict=True):
        fits[i] = _glued_fit(fits[i], run, pieces, outcome)


def _fixed(fits: list[Fit], runs: dict) -> dict[str, object]:
    """Cells of the table read as written, for the identities."""
    out: dict[str, object] = {}
    for i, f in enumerate(fits):
        if i in runs or not f.certain:
            continue
        for ref, token in zip(f.refs, f.chosen, strict=True):
            if token is not None and token.kind == NUM:
                out[ref] = token.num.value
    return out


def _glued_fit(old: Fit, run: Run, pieces: list[tuple[str, Token, int]], outcome: Outcome) -> GluedFit:
    raw = " ".join(run.pieces)
    if outcome.parts is None:
        slots: tuple[Token | None, ...] = (None,) * len(run.refs)
    else:
        slots = tuple(_parts_tokens(outcome.parts, pieces))
    return GluedFit(
        list(run.refs),
        old.tokens,
        [slots],
        exact=False,
        kind=KIND,
        raw=raw,
        splits=outcome.count,
        many=outcome.many,
        checked=outcome.checked,
    )


def _parts_tokens(parts: tuple[str, ...], pieces: list[tuple[str, Token, int]]) -> list[Token]:
    """One number token per part, placed where the part stands in the source."""
    out: list[Token] = []
    n, offset = 0, 0
    for part in parts:
        text, token, at = pieces[n]
        out.append(_token(part, token, at + offset))
        offset += len(part)
        if offset == len(text):
            n, offset = n + 1, 0
    return out


def _token(text: str, source: Token, at: int) -> Token:
    where = source.where
    if "column" in where:
        where = {**where, "column": where["column"] + at}
    return make_token(text, where, source.block, source.row)
