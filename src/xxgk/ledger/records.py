"""Plain records of the ledger: a case (one 政府信息公开申请) and its events.

Records are what the store saves and loads and what the domain reasons about; they carry no
database or calendar logic. Nothing is ever overwritten: a correction is a new event that
names the event it replaces (`supersedes`), and every record says who wrote it and when.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ..formats import FORMAT_2021

# The ledger counts in the 2021 format's 表三: applicant types are its columns (without 总计),
# outcomes are its rows under 三、本年度办理结果 (without （七）总计), in the table's order.
_APPLICATIONS = FORMAT_2021.table("applications")
APPLICANT_TYPES = {f.key: f.label for f in _APPLICATIONS.rows[0].fields if f.key != "total"}

# How an application arrived (条例 Art. 29, 国办公开办函〔2015〕207号 for the receipt date).
CHANNELS = {
    "in_person": "当面提交",
    "mail": "信函",
    "online": "网上申请",
    "email": "电子邮件",
    "fax": "传真",
}

# Event kinds and the data each carries (keys of `EventRecord.data`).
EVENT_KINDS: dict[str, str] = {
    "correction_requested": "补正通知",  # data: {"items": str}  (due within 7 working days of receipt)
    "correction_received": "补正收到",  # reply clock restarts on this date
    "consultation_started": "征求意见开始",  # data: {"party": str, "kind": "third_party"|"agency"}
    "consultation_ended": "征求意见结束",  # data: {"party": str}; days in between do not count
    "extension": "延期答复",  # data: {"approved_by": str}; +20 working days, applicant notified
    "fee_notice": "收费通知",  # data: {"method": "count"|"pages", "amount": "123.00", "pages"?: int}
    "fee_paid": "缴费",  # data: {"amount": "123.00"}
    "fee_lapsed": "逾期未缴费",  # 20 working days passed -> 表三 其他处理 2
    "withdrawn": "撤回申请",
    "reply": "答复",  # data: {"outcome": <表三 row key>, "note"?: str}
    "review_filed": "行政复议申请",  # data: {"case_no"?: str}   (表四 行政复议)
    "review_decided": "行政复议决定",  # data: {"result": "upheld"|"corrected"|"other"}
    "lawsuit_filed": "行政诉讼起诉",  # data: {"after_review": bool}
    "lawsuit_decided": "行政诉讼判决",  # data: {"result": "upheld"|"corrected"|"other"}
    "case_amended": "更正登记信息",  # data: {"fields": {CaseRecord field: new value}}
    "note": "备注",  # data: {"text": str}
    "void": "作废",  # supersedes: the event voided; data: {"reason": str}
}

OUTCOMES = tuple(row.key for row in _APPLICATIONS.rows if row.outcome)

REVIEW_RESULTS = ("upheld", "corrected", "other")


@dataclass
class CaseRecord:
    """One application as registered. `id` is assigned by the store; `number` is the
    office's own registration number (e.g. ``2025-0001``), unique in a ledger."""

    number: str
    received: date
    channel: str
    applicant_type: str
    applicant_name: str
    request: str
    applicant_contact: str = ""
    id: int | None = None
    recorded_by: str = ""
    recorded_at: datetime | None = None


@dataclass
class EventRecord:
    """One dated fact about a case. `date` is when it happened (the legal date);
    `recorded_at`/`recorded_by` are when and by whom it was entered."""

    kind: str
    date: date
    data: dict[str, Any] = field(default_factory=dict)
    case_id: int | None = None
    id: int | None = None
    supersedes: int | None = None
    recorded_by: str = ""
    recorded_at: datetime | None = None


def choice_key(value: str, choices: dict[str, str]) -> str | None:
    """The key for a value given as key (in_person) or as its Chinese label (当面提交)."""
    value = value.strip()
    if value in choices:
        return value
    return next((key for key, label in choices.items() if label == value), None)
