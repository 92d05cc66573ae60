"""Helpers of the filing-cycle tests: open a cycle, find a filing, read the clerk's form as a
browser would post it, fill cells."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from sqlalchemy import select

from xxgk.store.cycle_tables import Filing
from xxgk.store.tables import Org

YEAR = 2025


class _FormFields(HTMLParser):
    """The fields of #filing-form as a browser posts them (no buttons, checked boxes only)."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}
        self.inside = False
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == "filing-form":
            self.inside = True
        if not self.inside or "name" not in a:
            return
        if tag == "input" and a.get("type") in (None, "text", "hidden", "date"):
            self.fields[a["name"]] = a.get("value") or ""
        elif tag == "input" and a.get("type") in ("checkbox", "radio") and "checked" in a:
            self.fields[a["name"]] = a.get("value") or "on"
        elif tag == "textarea":
            self.textarea = a["name"]
            self.fields[self.textarea] = ""
        elif tag == "select":
            self.fields.setdefault(a["name"], "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        if tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.fields[self.textarea] += data


def form_fields(html: str) -> dict[str, str]:
    parser = _FormFields()
    parser.feed(html)
    fields = parser.fields
    fields.pop("csrf_token", None)
    for key in [k for k in fields if k.startswith("text:")]:
        fields[key] = fields[key].removeprefix("\n")  # the parser keeps the newline after <textarea>
    return fields


def open_cycle(browser, year: int = YEAR) -> int:
    response = browser.post("/cycles", {"year": str(year)})
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("/", 1)[1])


def filing_id(db, cycle_id: int, org_name: str) -> int:
    with db.read() as session:
        return session.scalar(
            select(Filing.id)
            .join(Org, Org.id == Filing.org_id)
            .where(Filing.cycle_id == cycle_id, Org.name == org_name)
        )


def status_of(db, fid: int) -> str:
    with db.read() as session:
        return session.get(Filing, fid).status


def started(browser, fid: int, how: str = "empty") -> dict[str, str]:
    """Start the filing and return its form's fields."""
    response = browser.post(f"/filings/{fid}/start", {"how": how, "revision": "0"})
    assert response.status_code == 303, response.text
    return form_fields(browser.get(f"/filings/{fid}").text)


def filled(fields: dict[str, str]) -> dict[str, str]:
    """The form with every 【请填写】 placeholder replaced by a sentence."""
    out = dict(fields)
    for key, value in fields.items():
        if key.startswith("text:") and "【请填写" in value:
            out[key] = re.sub(r"【请填写[^】]*】", "本年度按计划开展了相关工作。", value)
    return out


def answered(html: str, fields: dict[str, str]) -> dict[str, str]:
    """The form with every open warning confirmed."""
    out = dict(fields)
    for key in re.findall(r'name="note:([0-9a-f]+)"', html):
        out[f"note:{key}"] = "confirmed"
    return out
