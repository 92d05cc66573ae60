"""The key numbers of a cycle's filings, computed by the batch layer's indicator SQL
(`batch/indicators.py`) so that 新收申请, 办结, 实质公开率 and the correction rates mean exactly
what they mean in a dataset and its data dictionary.

The filings' cells go into an in-memory DuckDB table; a view named `reports` repeats each
filing once per group it belongs to, with the group's key in the `report` column, so the
dataset's own `indicators_report` view (grouped by report and year) gives one row per group
and year: a node's own filing, or the sum over a subtree, this year and last year.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..batch.columns import report_columns
from ..batch.indicators import COUNTS, MIN_DENOMINATOR, RATES, view_sql
from ..batch.rows import table_values

# What the dashboard shows, in order: (indicator name, is a rate).
KEY_NUMBERS = (
    ("received", False),
    ("concluded", False),
    ("disclosure_rate", True),
    ("reconsideration_decided", False),
    ("reconsideration_correction_rate", True),
    ("litigation_decided", False),
    ("litigation_correction_rate", True),
)
LABELS = {c.name: c.label for c in COUNTS} | {r.name: r.label for r in RATES}
RATE_NOTE = f"比率只在分母不少于 {MIN_DENOMINATOR} 时计算"
# The cells the indicators read (every count's SQL names its cells in double quotes): only
# these go into the table, so an amount typed with many decimals cannot upset a sum it is
# not part of.
_USED = frozenset(ref for c in COUNTS for ref in re.findall(r'"([^"]+)"', c.sql))
_GROUP_KEYS = ("report", "agency", "canonical_agency", "province", "city", "county")


@dataclass(frozen=True)
class Filed:
    """One filing's content (`xxgk.report/1` JSON) in a year, and the groups it counts in."""

    key: str
    year: int
    data: Mapping[str, Any]
    groups: tuple[str, ...]


def indicators(filed: Iterable[Filed]) -> dict[tuple[str, int], dict[str, Any]]:
    """(group, year) -> every count and rate of `batch.indicators` over the group's filings."""
    import duckdb
    import pyarrow as pa

    rows, membership = [], []
    for f in filed:
        values = table_values(dict(f.data))
        cells = {ref: values.get(ref) for ref in _USED}
        rows.append({"filing": f.key, "year": f.year, "format": f.data.get("format"), **cells})
        membership += [{"grp": g, "filing": f.key, "year": f.year} for g in f.groups]
    if not membership:
        return {}
    con = duckdb.connect()
    try:
        con.register("filings", pa.Table.from_pylist(rows, schema=_schema()))
        con.register("membership", pa.Table.from_pylist(membership, schema=_membership_schema()))
        con.execute(_grouped_reports_view())
        con.execute(view_sql("indicators_report"))
        cursor = con.execute("SELECT * FROM indicators_report")
        names = [d[0] for d in cursor.description]
        out = {}
        for values in cursor.fetchall():
            row = dict(zip(names, values, strict=True))
            out[(row["report"], row["year"])] = {k: row[k] for k in names if k not in _GROUP_KEYS}
        return out
    finally:
        con.close()


def _schema():
    import pyarrow as pa

    from ..batch.writers import schema

    cells = schema([c for c in report_columns() if c.name in _USED])
    return pa.schema([("filing", pa.string()), ("year", pa.int64()), ("format", pa.string()), *cells])


def _membership_schema():
    import pyarrow as pa

    return pa.schema([("grp", pa.string()), ("filing", pa.string()), ("year", pa.int64())])


def _grouped_reports_view() -> str:
    nulls = ", ".join(f"CAST(NULL AS VARCHAR) AS {k}" for k in _GROUP_KEYS[1:])
    return (
        f"CREATE VIEW reports AS SELECT m.grp AS report, {nulls}, f.* EXCLUDE (filing) "
        "FROM filings f JOIN membership m ON m.filing = f.filing AND m.year = f.year"
    )


def key_numbers(values: Mapping[str, Any] | None) -> dict[str, Any]:
    """The dashboard's numbers out of a group's indicators (None where there is no filing)."""
    values = values or {}
    return {name: _plain(values.get(name)) for name, _rate in KEY_NUMBERS}


def change(now: Any, before: Any, rate: bool) -> Any:
    """This year minus last year (percentage points for a rate); None when either is unknown."""
    if now is None or before is None:
        return None
    return round((now - before) * 100, 1) if rate else now - before


def _plain(value: Any) -> Any:
    """DuckDB's sums come back as Decimal; whole numbers are shown without a fraction."""
    if value is None or isinstance(value, float):
        return value
    return int(value) if value == int(value) else float(value)
