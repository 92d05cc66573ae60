"""What a generator of standard paragraphs is (the catalogue is in narrative.py): the figures it
reads from a report and the source's facts, the paragraph it composes from them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..formats import Format
from ..model import Number, Report, number_text
from .preamble import Contact, no_contact

Figures = dict[str, Any]  # numbers; the preamble's are texts of meta and contact


@dataclass(frozen=True)
class FeeFigures:
    """信息处理费 of the year (国办函〔2020〕109号): notices sent and money collected, in 元.
    Not a table cell; the source keeps them in its meta."""

    notices: int = 0
    yuan: Decimal | int = 0


@dataclass
class Facts:
    """What a source's meta gives the generators besides the cells."""

    fee: FeeFigures = field(default_factory=FeeFigures)
    contact: Contact = field(default_factory=no_contact)


@dataclass(frozen=True)
class Generator:
    name: str  # the mark in the source
    table: str | None  # the table it reads (None: the source's meta)
    read: Callable[[Report, Facts], Figures | None]  # None: a cell or a fact it needs is blank
    compose: Callable[[Figures], str]
    shapes: Callable[[], Iterable[Figures]]  # one figure set per wording (zero or not)
    applies: Callable[[Format | None], bool] = lambda spec: spec is not None
    # For wording that depends on more than which figures are zero (names, addresses): the
    # facts a text was composed from, or None; `could_be_generated` asks it instead of `shapes`.
    parse: Callable[[str], Any] | None = None
    needs: str | None = None  # what to fill in when `read` finds nothing (default: the table)

    def text(self, report: Report, fee: FeeFigures, contact: Contact | None = None) -> str:
        figures = self.read(report, Facts(fee, no_contact() | (contact or {})))
        return self.compose(figures) if figures is not None else self.incomplete

    @property
    def incomplete(self) -> str:
        if self.needs:
            return f"【请填写：{self.needs}；填好后本段自动生成】"
        where = {"active": "表二", "applications": "表三", "reviews": "表四"}.get(self.table or "", "")
        return f"【请填写：{where}中的空白单元格；填好后本段按表中数字自动生成】"


def n(value: Number) -> str:
    return number_text(value)
