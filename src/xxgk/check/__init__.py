"""Check a report against the rule catalogue."""

from __future__ import annotations

from collections.abc import Iterable

from ..extract.deviations import READ_RULES as DEVIATION_RULES
from ..extract.notes import READ_RULES
from ..extract.reviewprose import READ_RULES as PROSE_REVIEW_RULES
from ..extract.rowmatch import READ_RULES as ROW_RULES
from ..model import Finding, Report

# Importing a family module registers its rules; the order is the catalogue's order.
from . import (  # noqa: F401
    arithmetic,
    cohort,  # XG9xx, run by xxgk batch
    completeness,
    crossyear,
    dates,
    frontmatter,
    hygiene,
    members,
    plausibility,
    prose,
)
from .registry import RULES, Context, Rule, register_reader_rules, selected
from .view import shared_view

register_reader_rules(READ_RULES)
register_reader_rules(ROW_RULES)
register_reader_rules(DEVIATION_RULES)
register_reader_rules(PROSE_REVIEW_RULES)

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def check_report(
    report: Report,
    context: Context | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
) -> list[Finding]:
    """Run every selected rule; keep the reader's own findings. Sets and returns report.findings."""
    context = context or Context()
    select, ignore = list(select or []), list(ignore or [])
    reading = [f for f in report.findings if RULES.get(f.code) and RULES[f.code].func is None]
    found: list[Finding] = [f for f in reading if selected(f.code, select, ignore)]
    every = not (select or ignore)
    with shared_view():  # the derived text the rules share, computed once (view.py)
        for code, rule in RULES.items():
            if rule.func is None or not (every or selected(code, select, ignore)):
                continue
            found.extend(rule.func(report, context))
    report.findings = found
    return found


__all__ = ["RULES", "Context", "Rule", "check_report", "SEVERITY_ORDER"]
