"""The Chinese names of a case's statuses and outcomes, shared by the command line
(`cli.ledgerview`) and the web app."""

from __future__ import annotations

import re

from ..formats import FORMAT_2021
from .records import OUTCOMES

STATUS_NAMES = {
    "open": "办理中",
    "awaiting_correction": "等待补正",
    "consulting": "征求意见中",
    "awaiting_fee": "等待缴费",
    "closed": "已办结",
}
_NUMBERING = re.compile(r"^(（[一二三四五六七]）|\d+\.)")


def _outcome_labels() -> dict[str, str]:
    """予以公开, 不予公开·属于国家秘密 …: the row label, after its group (（三）不予公开) when the row
    is one of a group's numbered items."""
    table = FORMAT_2021.table("applications")
    outer = table.group_labels[0] if table.group_labels else None
    labels = {}
    for row in table.rows:
        if row.key in OUTCOMES:
            short = _NUMBERING.sub("", re.sub(r"（区分处理的.*$|、行政机关不再处理.*$", "", row.label))
            group = _NUMBERING.sub("", row.group) if row.group and row.group != outer else None
            labels[row.key] = f"{group}·{short}" if group else short
    return labels


OUTCOME_LABELS = _outcome_labels()
