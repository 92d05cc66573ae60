"""The dashboard's queries over a dataset, as plain functions returning rows of dicts: the
dashboard page (`xxgk dataset report`) renders them, and the web app can call the same ones."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .database import connect

Rows = list[dict[str, Any]]

QUERIES = {
    "summary": "SELECT count(*) AS reports, count(DISTINCT canonical_agency) AS agencies, "
    "min(year) AS first_year, max(year) AS last_year, sum(errors) AS errors, sum(warnings) AS warnings, "
    "(SELECT count(*) FROM failures) AS failures FROM reports",
    "by_region": "SELECT coalesce(province, '（地区不明）') AS province, year, sum(reports) AS reports, "
    "sum(received) AS received, sum(concluded) AS concluded, "
    "CASE WHEN sum(concluded) >= 10 THEN round(sum(disclosed) / sum(concluded), 4) END AS disclosure_rate "
    "FROM indicators_region GROUP BY ALL ORDER BY province, year",
    "by_year": "SELECT year, reports, received, concluded, disclosure_rate, withholding_rate, "
    "reconsideration_correction_rate, litigation_correction_rate FROM indicators_year ORDER BY year",
    "by_rule": "SELECT code, severity, sum(findings) AS findings, sum(reports) AS reports "
    "FROM findings_by_rule GROUP BY code, severity ORDER BY findings DESC, code",
    "late": "SELECT agency, year, publish_date, deadline, days_late, report FROM late_reports",
    "similar": "SELECT group_id, year, len(reports) AS size, max_similarity, reports AS members FROM similar_groups",
    "reports": "SELECT agency, canonical_agency, coalesce(province || coalesce('／' || city, '') || "
    "coalesce('／' || county, ''), region_status) AS region, year, errors, warnings, days_late, report "
    "FROM reports ORDER BY canonical_agency, year, report",
}


def run(root: str | Path, name: str) -> Rows:
    with connect(root) as con:
        cursor = con.execute(QUERIES[name])
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def dashboard_data(root: str | Path) -> dict[str, Rows]:
    return {name: run(root, name) for name in QUERIES}
