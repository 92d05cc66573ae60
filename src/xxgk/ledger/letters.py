"""Letters of a case: 登记回执, 补正告知书, 延期答复告知书, 征求意见函, 收费通知书 and the
政府信息公开申请答复书 of each outcome, from editable text templates, as DOCX or PDF.

Templates are plain UTF-8 text in ``templates/`` (see its README.txt): ``#`` lines are comments,
the first line is the title, every further line a paragraph, ``{占位符}`` are filled from the
case. An office overrides any of them with a directory of its own (``--templates DIR``); the
files it lacks fall back to the built-in ones. An unknown placeholder is an error naming the
template and the placeholder, never a silently empty gap. What the ledger does not record
(a payment method, the reasons in a partial disclosure) is left as a blank line to fill by hand.

A letter is dated by the event it is about (the reply by the closing event, the 补正告知书 by
the correction request …) and its deadlines are those as of that date.
"""

from __future__ import annotations

import html
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

from ..errors import InputError
from .calendar import WorkCalendar
from .deadline import compute_deadline
from .domain import CLOSED, CaseState, case_state, replay
from .fees import METHODS, parse_amount
from .records import CHANNELS, EVENT_KINDS, CaseRecord, EventRecord

LETTERS = {
    "receipt": "登记回执",
    "correction": "补正告知书",
    "extension": "延期答复告知书",
    "consultation": "征求意见函",
    "fee": "收费通知书",
    "reply": "答复书",
}
ALIASES = {
    "回执": "receipt",
    "补正": "correction",
    "延期": "extension",
    "征求意见": "consultation",
    "收费": "fee",
    "答复": "reply",
    "政府信息公开申请答复书": "reply",
}
# The events a letter is about; the latest effective one dates it.
LETTER_EVENTS = {
    "correction": ("correction_requested",),
    "extension": ("extension",),
    "consultation": ("consultation_started",),
    "fee": ("fee_notice",),
    "reply": ("reply", "withdrawn", "fee_lapsed"),
}
BLANK = "＿＿＿＿＿＿"
BODY_PLACEHOLDER = "答复正文"
FORMATS = (".docx", ".pdf")
PDF_FONT = "Noto Serif CJK SC"

_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")


@dataclass
class Letter:
    title: str
    paragraphs: list[str]
    office: str
    date: date
    salutation: bool  # the first paragraph is the salutation (not indented)


def letter_kind(name: str) -> str:
    """The letter kind for a key (``reply``) or a Chinese name (``答复书``, ``补正``)."""
    name = name.strip()
    by_label = {label: key for key, label in LETTERS.items()}
    kind = name if name in LETTERS else by_label.get(name) or ALIASES.get(name)
    if kind is None:
        known = "、".join(f"{key}（{label}）" for key, label in LETTERS.items())
        raise InputError(f"未知的文书类型“{name}”（可用：{known}）")
    return kind


def render_letter(
    kind: str,
    case: CaseRecord,
    events: list[EventRecord],
    office: str,
    out: str | os.PathLike,
    templates: str | os.PathLike | None = None,
    *,
    calendar: WorkCalendar | None = None,
    force: bool = False,
) -> Path:
    """Write the letter as DOCX or PDF (by the extension of `out`); an existing file is
    replaced only with `force`."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise InputError(f"不支持的文书格式“{out.suffix or '（无扩展名）'}”：请用 .docx 或 .pdf", str(out))
    if out.exists() and not force:
        raise InputError("文件已存在；如要覆盖，请加 --force", str(out))
    if not out.parent.is_dir():
        raise InputError("输出目录不存在", str(out.parent))
    letter = build_letter(kind, case, events, office, templates, calendar=calendar)
    from .letterdocx import write_docx  # here, not at the top: letterdocx imports Letter from us

    writer = write_docx if suffix == ".docx" else _write_pdf
    fd, tmp = tempfile.mkstemp(prefix=".xxgk-", suffix=suffix, dir=out.parent)
    os.close(fd)
    try:
        writer(letter, Path(tmp))
        os.replace(tmp, out)  # never a half-written letter under the user's name
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return out


def build_letter(
    kind: str,
    case: CaseRecord,
    events: list[EventRecord],
    office: str,
    templates: str | os.PathLike | None = None,
    *,
    calendar: WorkCalendar | None = None,
) -> Letter:
    kind = letter_kind(kind)
    if not office or not office.strip():
        raise InputError("没有机关名称：请用 --office 指明落款机关")
    source = _Templates(templates)
    final = replay(case, events, date.max)
    event = _letter_event(kind, final)
    day = final.case.received if event is None else event.date
    values = _values(kind, final, event, case_state(case, events, day, calendar), office.strip(), calendar)
    name = f"{kind}.txt"
    where = source.label(name)
    title, paragraphs = _split(source.read(name))
    body: list[str] = []
    if kind == "reply":
        fragment = f"reply-{final.outcome}.txt"
        body = [_fill(p, values, source.label(fragment)) for p in source.lines(fragment)]
        values[BODY_PLACEHOLDER] = "".join(body)
    filled: list[str] = []
    for paragraph in paragraphs:
        # The body stands in for a line of its own, as paragraphs; elsewhere it is inline text.
        filled += body if body and paragraph == "{答复正文}" else [_fill(paragraph, values, where)]
    salutation = bool(filled) and filled[0].endswith("：") and len(filled[0]) <= 60
    return Letter(_fill(title, values, where), filled, office.strip(), day, salutation)


# ---------------------------------------------------------------- values


def _letter_event(kind: str, final: CaseState) -> EventRecord | None:
    if kind == "receipt":
        return None
    kinds = LETTER_EVENTS[kind]
    found = [e for e in final.events if e.kind in kinds]
    number = final.case.number
    if kind == "reply" and final.status != CLOSED:
        raise InputError(f"登记号 {number} 尚未办结，不能生成{LETTERS[kind]}")
    if not found:
        raise InputError(f"登记号 {number} 没有{EVENT_KINDS[kinds[0]]}记录，不能生成{LETTERS[kind]}")
    if kind == "reply":
        return next(e for e in found if e.date == final.closed_on)
    return found[-1]


def _values(
    kind: str,
    final: CaseState,
    event: EventRecord | None,
    then: CaseState,
    office: str,
    calendar: WorkCalendar | None,
) -> dict[str, str]:
    c = final.case
    data = event.data if event is not None else {}
    values = {
        "申请人": c.applicant_name,
        "联系方式": c.applicant_contact or BLANK,
        "登记号": c.number,
        "收到日期": cn_date(c.received),
        "申请方式": CHANNELS.get(c.channel, c.channel),
        "申请内容": c.request,
        "机关": office,
        "日期": cn_date(then.case.received if event is None else event.date),
        "期限": cn_date(then.deadline.due) if then.deadline else BLANK,
        "原期限": BLANK,
        "补正事项": _text(data.get("items")) if kind == "correction" else BLANK,
        "补正告知日期": _last_date(final, "correction_requested"),
        "征求对象": _text(data.get("party")) if kind == "consultation" else BLANK,
        "计费说明": _fee_basis(data) if kind == "fee" else BLANK,
        "收费金额": _amount_text(data.get("amount")) if kind == "fee" else BLANK,
        "收费通知日期": _last_date(final, "fee_notice"),
        "缴费方式": _text(data.get("payment")),
        "答复说明": _text(data.get("note")) if kind == "reply" else BLANK,
    }
    if kind == "extension" and then.deadline is not None:
        before = compute_deadline(
            then.case.received, restarted=then.restarted, pauses=then.pauses, calendar=calendar
        )
        values["原期限"] = cn_date(before.due)
    return values


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _text(value) -> str:
    return str(value).strip() if value is not None and str(value).strip() else BLANK


def _last_date(final: CaseState, kind: str) -> str:
    days = [e.date for e in final.events if e.kind == kind]
    return cn_date(days[-1]) if days else BLANK


def _fee_basis(data: dict) -> str:
    method = METHODS.get(data.get("method"), BLANK)
    pages = data.get("pages")
    return f"{method}，共{pages}页" if data.get("method") == "pages" and pages else method


def _amount_text(value) -> str:
    amount = parse_amount(value)
    return BLANK if amount is None else f"{amount:,.2f}"


# ---------------------------------------------------------------- templates


class _Templates:
    """The office's template directory first, then the built-in templates."""

    def __init__(self, directory: str | os.PathLike | None):
        self.directory = None if directory is None else Path(directory)
        if self.directory is not None and not self.directory.is_dir():
            raise InputError("模板目录不存在", str(self.directory))

    def _own(self, name: str) -> Path | None:
        if self.directory is None:
            return None
        path = self.directory / name
        return path if path.is_file() else None

    def label(self, name: str) -> str:
        own = self._own(name)
        return str(own) if own else f"内置模板 {name}"

    def read(self, name: str) -> str:
        own = self._own(name)
        if own is None:
            return resources.files(__package__).joinpath("templates", name).read_text("utf-8")
        try:
            return own.read_text("utf-8-sig")
        except (UnicodeDecodeError, OSError) as err:
            reason = "不是 UTF-8 文本" if isinstance(err, UnicodeDecodeError) else err.strerror
            raise InputError(f"无法读取模板（{reason}）", str(own)) from None

    def lines(self, name: str) -> list[str]:
        return [line.strip() for line in self.read(name).splitlines() if _content(line)]


def _content(line: str) -> bool:
    return bool(line.strip()) and not line.lstrip().startswith("#")


def _split(text: str) -> tuple[str, list[str]]:
    lines = [line.strip() for line in text.splitlines() if _content(line)]
    if not lines:
        raise InputError("模板是空的（至少要有一行标题）")
    return lines[0], lines[1:]


def _fill(text: str, values: dict[str, str], where: str) -> str:
    """Replace {名称} by its value; {{ and }} are literal braces."""

    def value(match: re.Match) -> str:
        token = match.group(0)
        if token in ("{{", "}}"):
            return token[0]
        name = match.group(1).strip()
        if name not in values:
            known = "、".join(f"{{{k}}}" for k in values)
            raise InputError(f"模板中的占位符 {{{name}}} 无法识别（可用：{known}）", where)
        return values[name]

    rest = _PLACEHOLDER.sub("", text)
    if "{" in rest or "}" in rest:
        raise InputError(f"模板中有不成对的大括号：“{text}”（要写大括号本身，请写 {{{{ 或 }}}}）", where)
    return _PLACEHOLDER.sub(value, text)


# ---------------------------------------------------------------- writers


_CSS = """
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
body { font-family: FAMILY; font-size: 16pt; line-height: 28pt; }
h1 { font-size: 22pt; font-weight: normal; text-align: center; margin: 0 0 28pt; line-height: 1.4; }
p { margin: 0; text-indent: 2em; text-align: justify; }
p.salutation { text-indent: 0; }
p.sign { text-indent: 0; text-align: right; }
p.sign.first { margin-top: 28pt; }
"""


def letter_html(letter: Letter, family: str = f'"{PDF_FONT}"') -> str:
    """The letter as a small HTML page (the source of the PDF)."""
    paras = []
    for i, text in enumerate(letter.paragraphs):
        cls = ' class="salutation"' if i == 0 and letter.salutation else ""
        paras.append(f"<p{cls}>{html.escape(text)}</p>")
    sign = [
        f'<p class="sign first">{html.escape(letter.office)}</p>',
        f'<p class="sign">{cn_date(letter.date)}</p>',
    ]
    return (
        f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(letter.title)}'
        f"</title><style>{_CSS.replace('FAMILY', family)}</style></head><body><h1>{html.escape(letter.title)}</h1>"
        + "".join(paras + sign)
        + "</body></html>"
    )


def _write_pdf(letter: Letter, path: Path) -> None:
    # The report renderer's printer: fonts embedded, and cut down first where HarfBuzz cannot.
    from ..render.pdf import html_to_pdf

    def text() -> str:
        return "".join([letter.title, *letter.paragraphs, letter.office, cn_date(letter.date)])

    html_to_pdf(lambda serif, _sans: letter_html(letter, serif), text, path)


# ---------------------------------------------------------------- editing templates


def template_names() -> list[str]:
    """The template files an office may replace (``correction.txt``, ``reply-granted.txt`` …)."""
    folder = resources.files(__package__).joinpath("templates")
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".txt") and p.name != "README.txt")


def builtin_template(name: str) -> str:
    return _Templates(None).read(_known_template(name))


def check_template(name: str, text: str) -> None:
    """Refuse an edited template that could not produce a letter (no title, an unknown
    placeholder, an unpaired brace), with the Chinese message a letter would give."""
    where = f"模板 {_known_template(name)}"
    sample = CaseRecord("2000-0001", date(2000, 1, 3), "in_person", "natural_person", "某", "某")
    state = replay(sample, [], sample.received)
    values = _values("receipt", state, None, state, "某机关", None) | {BODY_PLACEHOLDER: ""}
    lines = [line.strip() for line in text.splitlines() if _content(line)]
    if not name.startswith("reply-") and not lines:
        raise InputError("模板是空的（至少要有一行标题）", where)
    for line in lines:
        _fill(line, values, where)


def _known_template(name: str) -> str:
    if name not in template_names():
        raise InputError(f"没有名为“{name}”的文书模板")
    return name
