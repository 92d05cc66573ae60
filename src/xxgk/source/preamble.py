"""The standard preamble of a report written from a source, and the contact details in it.

The preamble states the legal basis (the 条例 and the format document), the statistics period
and whom to ask (the source's `meta.contact`). It is composed from meta, so it cannot disagree
with the title's year; `parse_preamble` finds the facts a composed preamble was written from,
so that one left behind by an older year or agency is told apart from a clerk's own wording.
"""

from __future__ import annotations

import re
from itertools import combinations

Contact = dict[str, str | None]

CONTACT_KEYS = ("address", "phone", "email")
# Labels inside the preamble's parenthesis: （地址：…；电话：…；电子邮箱：…）
PREAMBLE_LABELS = {"address": "地址", "phone": "电话", "email": "电子邮箱"}
# Labels of the contact line that older sources put at the end of section 六.
CONTACT_FIELDS = (("address", "联系地址"), ("phone", "联系电话"), ("email", "电子邮箱"))

LAW = "本报告依据《中华人民共和国政府信息公开条例》（以下简称《条例》）"
FORMAT_DOCUMENTS = {"2021": "国办公开办函〔2021〕30号", "2019": "国办公开办函〔2019〕60号"}
_LINE_BREAK = re.compile(r"[\r\n\x85\u2028\u2029]+")


def no_contact() -> Contact:
    return dict.fromkeys(CONTACT_KEYS)


def _value(text: str | None) -> str | None:
    # A paragraph is one line: a line break typed into a contact field would split it.
    return _LINE_BREAK.sub(" ", text) if text else None


def _contact_parts(contact: Contact) -> str:
    return "；".join(
        f"{PREAMBLE_LABELS[key]}：{_value(contact.get(key))}" for key in CONTACT_KEYS if contact.get(key)
    )


def compose_preamble(agency: str, year: int, fmt: str | None, contact: Contact) -> str:
    """本报告依据《条例》和<格式文件>要求编制。本报告所列数据的统计期限自…止。如对本报告有疑问，
    请与<机关>联系（地址：…；电话：…；电子邮箱：…）。 The last sentence names only the contact
    details given and is left out when none is."""
    document = FORMAT_DOCUMENTS.get(fmt or "")
    text = LAW + (f"和{document}要求编制。" if document else "编制。")
    text += f"本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
    parts = _contact_parts(contact)
    if parts:
        text += f"如对本报告有疑问，请与{_value(agency)}联系（{parts}）。"
    return text


_PREAMBLE = re.compile(
    re.escape(LAW)
    + r"(?:和(?P<document>国办公开办函〔\d{4}〕\d+号)要求)?编制。"
    + r"本报告所列数据的统计期限自(?P<year>\d{4})年1月1日起至(?P=year)年12月31日止。"
    + r"(?:如对本报告有疑问，请与(?P<agency>.+?)联系（(?P<contact>.+)）。)?",
    re.DOTALL,
)


def _contact_forms() -> list[tuple[tuple[str, ...], re.Pattern]]:
    # Most parts first: an address written with "；电话：" in it is taken as two parts.
    forms = []
    for n in range(len(CONTACT_KEYS), 0, -1):
        for keys in combinations(CONTACT_KEYS, n):
            body = "；".join(f"{PREAMBLE_LABELS[k]}：(?P<{k}>.+)" for k in keys)
            forms.append((keys, re.compile(body, re.DOTALL)))
    return forms


_CONTACT_FORMS = _contact_forms()
_FORMAT_OF = {doc: fmt for fmt, doc in FORMAT_DOCUMENTS.items()}


def parse_preamble(text: str) -> dict | None:
    """{"agency", "year", "format", "contact"} a composed preamble was written from, or None
    when `text` is not one (a clerk's own preamble)."""
    m = _PREAMBLE.fullmatch(text)
    if m is None or (m["document"] and m["document"] not in _FORMAT_OF):
        return None
    fmt = _FORMAT_OF.get(m["document"] or "")
    year = int(m["year"])
    if m["contact"] is None:
        found = {"agency": None, "year": year, "format": fmt, "contact": no_contact()}
        return found if compose_preamble("", year, fmt, no_contact()) == text else None
    for keys, form in _CONTACT_FORMS:
        parts = form.fullmatch(m["contact"])
        if parts is None:
            continue
        contact = no_contact() | {k: parts[k] for k in keys}
        if compose_preamble(m["agency"], year, fmt, contact) == text:
            return {"agency": m["agency"], "year": year, "format": fmt, "contact": contact}
    return None


# ---------------------------------------------------------------- contact details in prose

_LABELS_IN_PROSE = {
    "address": r"(?:单位地址|联系地址|通讯地址|办公地址|地址)",
    "phone": r"(?:联系电话|咨询电话|电话)",
    "email": r"(?:电子邮箱|电子信箱|邮箱|E-?mail)",
}
_PROSE_VALUE = r"\s*[:：]\s*(?P<value>[^，,；;）)。\s][^，,；;）)。]*)"


def contact_in(text: str) -> Contact:
    """The contact details a report's own preamble states (地址：…，电话：…), each the first
    one labelled so; the parts not stated are None."""
    found = no_contact()
    for key, label in _LABELS_IN_PROSE.items():
        m = re.search(label + _PROSE_VALUE, text, re.IGNORECASE)
        if m:
            found[key] = m["value"].strip()
    return found


# ---------------------------------------------------------------- the old contact line


def contact_text(contact: Contact) -> str | None:
    """联系地址：…；联系电话：…；电子邮箱：…。 (the parts given), or None when none is: the
    line that ends section 六 when no generated preamble carries the contact details."""
    parts = [f"{label}：{contact[key]}" for key, label in CONTACT_FIELDS if contact.get(key)]
    return "；".join(parts) + "。" if parts else None


def parse_contact(text: str) -> Contact | None:
    """The contact fields a paragraph was written from, or None if it is not a contact line."""
    if not text.endswith("。"):
        return None
    found = no_contact()
    order = [label for _, label in CONTACT_FIELDS]
    last = -1
    for part in text[:-1].split("；"):
        label, sep, value = part.partition("：")
        if not sep or label not in order or order.index(label) <= last or not value:
            return None
        last = order.index(label)
        found[CONTACT_FIELDS[last][0]] = value
    return found if contact_text(found) == text else None
