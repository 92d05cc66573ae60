"""A table's fitted rows -> the report's cells (tables.py finds the rows, align.py fits them).

A cell shares its token's `where` (the block's): nothing downstream changes a cell's
`where`, and a copy per cell was most of the cost of making the ~200 cells of a report.
"""

from __future__ import annotations

from decimal import Decimal

from ..formats.base import AMOUNT, AMOUNT_TEXT, SIGNED, Format
from ..model import HIGH, LOW, Cell
from . import notes
from .align import Fit, choose
from .tokens import NUM, UNREADABLE, Token

_new = object.__new__

# An OCR reader records a cell's recognition confidence (0-100) in its `where`; below this
# the cell is not trusted.
OCR_CONFIDENCE_FLOOR = 80


def settle(report, spec, table, fits: list[Fit], labels: list[Token], names: list[str]) -> None:
    if any(f.glued for f in fits):
        from .gluedfit import settle_glued  # digits of several cells run together (crawled text)

        settle_glued(fits, spec, table)
    kinds, counts = _kinds(spec)
    cells = report.cells
    values, cell_count = _first_readings(cells, fits, kinds, counts)
    choose(fits, spec.table_identities(table.key), values)
    # a cell in two rows: the rows are read again in order, so that the last one holds it
    made = len(values) == cell_count
    if cell_count:
        report.tables_present.add(table.key)
    for f, label, name in zip(fits, labels, names, strict=True):
        if made and f.numeric and f.exact and f.choice == 0 and len(f.tied) < 2:
            continue  # its cells are made (_first_readings)
        ambiguous = f.ambiguous
        confidence = HIGH if f.certain else LOW
        for ref, token in zip(f.refs, f.chosen, strict=True):
            if token is None or ambiguous:
                cells[ref] = Cell(ref, None, "", label.where, confidence)
            elif token.kind is NUM and "confidence" not in token.where:  # the common cell
                value = token.num.value
                if type(value) is int and kinds[ref] not in _DECIMAL:
                    cells[ref] = Cell(ref, value, token.text, token.where, confidence)
                else:
                    cells[ref] = _number_cell(ref, token, confidence, kinds[ref])
            else:
                cells[ref] = _cell(ref, token, confidence, kinds[ref])
                if token.kind == UNREADABLE:
                    report.findings.append(notes.unreadable_finding(table, name, ref, token))
        if not f.certain:
            report.findings.append(notes.alignment_finding(table, name, f, label, ambiguous))


def _first_readings(
    cells: dict, fits: list[Fit], kinds: dict[str, str], counts: frozenset[str]
) -> tuple[dict[str, object], int]:
    """Each cell's value in its row's first reading, for the alignment search; the cells of
    the rows read with certainty, every token a number (the common row), are made on the way
    (the search keeps them unless the identities move a blank). The other rows' cells are
    held in place (None) so that the cells keep the rows' order. Also returns the rows' cell count."""
    values: dict[str, object] = {}
    cell_count = 0
    for f in fits:
        refs = f.refs
        cell_count += len(refs)
        if f.numeric and f.exact:
            for ref, token in zip(refs, f.candidates[0], strict=True):
                where = token.where
                values[ref] = value = token.num.value
                if type(value) is int and ref in counts and "confidence" not in where:
                    cells[ref] = cell = _new(Cell)  # Cell(ref, value, token.text, where), inlined
                    cell.ref = ref
                    cell.value = value
                    cell.raw = token.text
                    cell.where = where
                    cell.confidence = HIGH
                    cell.text = None
                else:
                    cells[ref] = _cell(ref, token, HIGH, kinds[ref])
        else:
            values.update(zip(refs, f.values(0), strict=True))
            cells.update(dict.fromkeys(refs))
    return values, cell_count


def _cell(ref: str, token: Token, confidence: str, kind: str) -> Cell:
    """The cell read from `token`."""
    where = token.where
    if "confidence" in where and where["confidence"] < OCR_CONFIDENCE_FLOOR:
        confidence = LOW  # a doubtful OCR reading, or an unreadable cell (confidence 0)
    if token.kind != NUM:
        return Cell(ref, None, token.text, where, confidence)
    return _number_cell(ref, token, confidence, kind)


def _number_cell(ref: str, token: Token, confidence: str, kind: str) -> Cell:
    value = token.num.value
    if kind in _DECIMAL:
        cell = Cell(ref, Decimal(value), token.text, token.where, confidence)
        if kind == AMOUNT_TEXT:
            cell.text = token.text
        return cell
    if kind != SIGNED and type(value) is not int and value == value.to_integral_value():
        value = int(value)
    return Cell(ref, value, token.text, token.where, confidence)


_DECIMAL = (AMOUNT, AMOUNT_TEXT)
_KINDS: dict[int, tuple[Format, dict[str, str], frozenset[str]]] = {}
_KINDS_SIZE = 16  # formats are two; a caller building its own specs must not grow this


def _kinds(spec: Format) -> tuple[dict[str, str], frozenset[str]]:
    """Each cell reference's kind of number, and the references of whole counts (not amounts),
    per format."""
    found = _KINDS.get(id(spec))
    if found is None or found[0] is not spec:
        if len(_KINDS) >= _KINDS_SIZE:
            _KINDS.clear()
        kinds = {ref: f.kind for ref, (_, _, f) in spec.fields_by_ref.items()}
        counts = frozenset(ref for ref, kind in kinds.items() if kind not in _DECIMAL)
        found = _KINDS[id(spec)] = (spec, kinds, counts)
    return found[1], found[2]
