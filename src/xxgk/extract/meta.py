"""Report metadata (agency, year, title, publish date) and report-format detection.

Pure functions over normalised lines: line i of ``norm`` is ``normalize_text`` of line i of the
source, so the 1-based line numbers in ``MetaGuess.where`` point into the source as well.

Design rules:

* Never invent an agency. A name is returned only when the text states it in one of a few
  recognised places (title, page metadata header, closing signature, a prose statement such as
  ``现将<机关>2024年政府信息公开工作年度报告公布如下``, or a sentence of section 一 whose subject is
  the agency), and only when it looks like an agency name (ends in 局/委员会/人民政府/街道/… and is
  not a generic reference such as 我局 or 区司法局).
* Only a bounded head and tail of the document is scanned for title, header and signature, and
  every line is truncated before regex matching, so a 20 MB garbage file costs linear time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from .agency import CJK, ORGAN_END, ORGAN_TAIL, is_agency_name, name_from_prose
from .signature import LINE_CAP, compact_line, compact_lines, find_signature, year_ok
from .title import find_header, find_title, match_title

__all__ = ["MetaGuess", "extract_meta", "detect_format", "is_agency_name"]


@dataclass
class MetaGuess:
    agency: str | None = None
    year: int | None = None
    title: str | None = None
    publish_date: str | None = None  # ISO yyyy-mm-dd
    # 1-based source lines, e.g. {"agency": {"line": 1, "via": "title"}}; "end_line" for titles
    # broken across lines.
    where: dict[str, dict] = field(default_factory=dict)


# --------------------------------------------------------------------------------------------
# Bounds (keep everything linear in the input size)

HEAD_MAX_LINES = 300  # lines scanned for title / page header
HEAD_MAX_CHARS = 30_000
PROSE_AFTER_SECTION = 40  # lines of section 一 scanned for prose statements and years
PROSE_MAX_CHARS = 60_000


# --------------------------------------------------------------------------------------------
# Section 一 heading

_SECTION_ONE = re.compile(r"^(?:一[、.,:]|第一部分)")


def _find_section_one(compacts: list[str]) -> int | None:
    for i, c in enumerate(compacts):
        if _SECTION_ONE.match(c) and len(c) <= 40:
            return i
    return None


# --------------------------------------------------------------------------------------------
# Prose statements and years

_STATEMENT = re.compile(
    r"(?:现将|现公布|现发布|现公开|现予以?公布|现予公开|现向社会公布|特向社会公布|现印发)[《<\"]?"
    rf"(?P<a>[{CJK}]{{0,30}}?)(?P<y>(?:19|20)\d{{2}})年?度?(?:政府)?信息公开"
)
_BASED_ON = re.compile(
    rf"(?:根据|结合)(?P<y>(?:19|20)\d{{2}})年度?(?P<a>[{CJK}]{{2,30}}?)(?P<gov>政府)?信息公开工作"
)
# "2024年,渝中区司法局深入贯彻…" at the start of a line (after an optional list marker).
_LINE_YEAR = re.compile(
    r"^(?:[(]?[一二三四五六七八九十\d]{1,2}[)、.]?)?(?P<y>(?:19|20)\d{2})年(?:度)?(?:以来)?[,:]?"
)
# The same after a line break, in lines joined by "\n" (its match starts with the break).
_NEXT_LINE_YEAR = re.compile("\n" + _LINE_YEAR.pattern.removeprefix("^"))
_ANY_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})年")
_BOOK_TITLE = re.compile(r"《([^》]{0,120})》")
# "本报告由示例市统计局编制", "由…办公室根据《条例》…汇总…编制而成": the compiler of the report.
_COMPILED_BY = re.compile(r"由(?=[\u3400-\u9fff])")
_COMPILE_VERB = re.compile(r"编制|编写|汇编|编印|起草")
# Where section 一 starts inside a long line (a crawled page with the body on one line).
_SECTION_ONE_INLINE = re.compile(r"一[、.](?:总体情况|概述)")
# Statistics period "2024年1月1日至…", also damaged "2022年11日至1231日", "202511日到1231日".
_PERIOD = re.compile(r"(?<!\d)((?:19|20)\d{2})年?0?1月?0?1日起?[,、]?(?:至|到|—|-|~)")


def _statement_agency(m: re.Match) -> str | None:
    a = m.group("a")
    if a and is_agency_name(a):
        return a
    return None


def _based_on_agency(m: re.Match) -> str | None:
    a = m.group("a")
    if is_agency_name(a):
        return a
    if m.group("gov") and is_agency_name(a + "政府"):
        return a + "政府"
    return None


# --------------------------------------------------------------------------------------------
# extract_meta


def extract_meta(
    norm: list[str], first_section_line: int | None = None, text: str | None = None
) -> MetaGuess:
    """Agency, year, title and publish date of a report.

    ``norm``: normalised lines (``normalize_text`` of each source line).
    ``first_section_line``: index into ``norm`` (0-based, as ``sections.Heading.line``) of the first
    section heading when the caller knows it; otherwise the first line starting with "一、" in the
    head of the document is used. Title and page header are looked for only above it.
    Line numbers in the result's ``where`` are 1-based source lines.
    ``text``: the lines joined by "\n", when the caller has it (its length bounds theirs).
    """
    total = None if text is None else len(text) - max(0, len(norm) - 1)
    scan = _Scan(norm, first_section_line, total)
    guess = MetaGuess()
    title = find_title(scan.head_compacts, scan.head_end)
    header_agency, header_date = find_header(norm, scan.head_end)
    sig = find_signature(norm)
    facts = scan.prose_facts()
    _choose_agency(guess, title, header_agency, sig, facts)
    if title:
        guess.title = title.text
        guess.where["title"] = {"line": title.line + 1}
        if title.end_line != title.line:
            guess.where["title"]["end_line"] = title.end_line + 1
    year = _choose_year(scan, title, facts)
    if year:
        guess.year = year[0]
        guess.where["year"] = {"line": year[1] + 1, "via": year[2]}
    _choose_publish_date(guess, header_date, sig)
    return guess


@dataclass
class _ProseFacts:
    statement: tuple[str | None, int, int] | None = None  # (agency or None, year, line)
    quoted: tuple[str | None, int, int] | None = None  # 《<agency><year>年…年度报告》 in the head
    compiled_by: tuple[str, int] | None = None  # 本报告由<agency>编制
    based_on: tuple[str, int] | None = None
    subject: tuple[str, int] | None = None
    line_year: tuple[int, int] | None = None


def _lines_within(norm: list[str], stop: int, max_chars: int, total: int | None = None) -> int:
    """How many of the first `stop` lines are read before `max_chars` characters (each line
    counted up to LINE_CAP), the line that reaches the limit included. `total`: the length
    of all the lines, when known."""
    if total is not None and total < max_chars:  # a report of ordinary size: no sum to take
        return stop
    if sum(map(len, norm[:stop])) < max_chars:  # the common case, without a loop per line
        return stop
    chars = 0
    for i in range(stop):
        if chars >= max_chars:
            return i
        chars += min(len(norm[i]), LINE_CAP)
    return stop


class _Scan:
    """The bounded regions of a document that metadata is looked for in, with compacted lines
    computed once."""

    def __init__(self, norm: list[str], first_section_line: int | None, total: int | None = None):
        self.norm = norm
        n = len(norm)
        # Bounded head: the first lines, at most HEAD_MAX_CHARS characters.
        head_limit = _lines_within(norm, min(n, HEAD_MAX_LINES), HEAD_MAX_CHARS, total)
        self._compacts: dict[int, str] = {}
        if first_section_line is not None and 0 <= first_section_line < n:
            self.s1: int | None = first_section_line
            # Only the lines above section 一 are read as the head (title, page header).
            self._first = compact_lines(norm[: min(first_section_line, head_limit)])
            self.head_compacts = self._first
        else:
            self._first = compact_lines(norm[:head_limit])
            self.head_compacts = self._first
            self.s1 = _find_section_one(self.head_compacts)
        self.head_end = min(self.s1, head_limit) if self.s1 is not None else head_limit
        # Prose region: the head and the start of section 一.
        prose_end = min(n, (self.s1 if self.s1 is not None else head_limit) + PROSE_AFTER_SECTION)
        prose_end = max(prose_end, self.head_end)
        self.prose_lines = list(range(_lines_within(norm, prose_end, PROSE_MAX_CHARS, total)))
        if len(self.prose_lines) > len(self._first):
            self._first = self._first + compact_lines(norm[len(self._first) : len(self.prose_lines)])
        # The compacted prose lines joined: each pattern scans it once, not line by line.
        self.prose_text = "\n".join(self._first[: len(self.prose_lines)])

    def compact(self, i: int) -> str:
        if i < len(self._first):
            return self._first[i]
        if i not in self._compacts:
            self._compacts[i] = compact_line(self.norm[i])
        return self._compacts[i]

    def prose_facts(self) -> _ProseFacts:
        """Statements (现将<机关>…), "根据2023年<机关>…", sentence subjects and years. Each kind
        of fact is settled by the first lines that give it, so each is read in one pass."""
        facts = _ProseFacts()
        text = self.prose_text
        _find_statement(facts, text)
        _find_based_on(facts, text)
        _find_line_year(facts, text)
        for i in self.prose_lines[: self.head_end]:
            c = self.compact(i)
            if c:
                _scan_head_line(facts, c, i)
        if facts.subject is None and self.s1 is not None:
            facts.subject = self._opening_subject()
        return facts

    def _opening_subject(self) -> tuple[str, int] | None:
        """The first prose line of section 一 may name the agency without a year (绍兴市卫生健康委是…)."""
        for i in range(self.s1 + 1, min(len(self.norm), self.s1 + 4)):
            c = self.compact(i)
            if not c or (len(c) <= 40 and re.match(r"^[(]?[一二三四五六七八九十\d]{1,2}[)、.]", c)):
                continue
            a = name_from_prose(c)
            return (a, i) if a else None
        return None


def _line_matches(pattern: re.Pattern[str], text: str, hints: tuple[str, ...]) -> Iterator[tuple[int, re.Match]]:
    """(line, match) of `pattern` in lines joined by "\\n" (no match spans a break), in order;
    nothing when none of `hints` (words every match holds) occurs."""
    if hints and not any(hint in text for hint in hints):
        return
    line = at = 0
    for m in pattern.finditer(text):
        line += text.count("\n", at, m.start())
        at = m.start()
        yield line, m


def _matches_at(pattern: re.Pattern[str], text: str, starts: tuple[str, ...]) -> Iterator[tuple[int, re.Match]]:
    """As _line_matches, for a pattern whose matches begin with one of the words `starts`:
    tried only where one occurs (a few places), as finditer would find them."""
    places = sorted(at for word in starts for at in _find_all(text, word))
    line = at = end = 0
    for place in places:
        m = pattern.match(text, place) if place >= end else None
        if m is not None:
            end = m.end()
            line += text.count("\n", at, place)
            at = place
            yield line, m


def _find_all(text: str, word: str) -> Iterator[int]:
    at = text.find(word)
    while at >= 0:
        yield at
        at = text.find(word, at + 1)


def _find_statement(facts: _ProseFacts, text: str) -> None:
    for i, m in _matches_at(_STATEMENT, text, ("现", "特向")):
        if facts.statement is not None and facts.statement[0] is not None:
            return
        y = int(m.group("y"))
        if year_ok(y):
            a = _statement_agency(m)
            if facts.statement is None or a:
                facts.statement = (a, y, i)


def _find_based_on(facts: _ProseFacts, text: str) -> None:
    for i, m in _matches_at(_BASED_ON, text, ("根据", "结合")):
        a = _based_on_agency(m)
        if a:
            facts.based_on = (a, i)
            return


def _find_line_year(facts: _ProseFacts, text: str) -> None:
    """The first line opening with a year, and the first whose sentence after it has the
    agency as subject."""
    first = _LINE_YEAR.match(text)
    found = [(0, first)] if first else []
    found += ((i + 1, m) for i, m in _line_matches(_NEXT_LINE_YEAR, text, ("年",)))
    for i, m in found:
        y = int(m.group("y"))
        if facts.line_year is None and year_ok(y):
            facts.line_year = (y, i)
        if facts.subject is None:
            end = text.find("\n", m.end())
            a = name_from_prose(text[m.end() : end if end >= 0 else len(text)])
            if a:
                facts.subject = (a, i)
        if facts.line_year is not None and facts.subject is not None:
            return


def _scan_head_line(facts: _ProseFacts, c: str, i: int) -> None:
    """Prose above section 一 quoting the report's own title or naming its compiler."""
    m = _SECTION_ONE_INLINE.search(c)
    if m:
        c = c[: m.start()]
    if facts.quoted is None or facts.quoted[0] is None:
        for m in _BOOK_TITLE.finditer(c):
            hit = match_title(m.group(1))
            if hit and (facts.quoted is None or hit.agency):
                facts.quoted = (hit.agency, hit.year, i)
            if hit and hit.agency:
                break
    if facts.compiled_by is None:
        for m in _COMPILED_BY.finditer(c):
            rest = c[m.end() :]
            end = rest.find("。")
            if not _COMPILE_VERB.search(rest[: end if end >= 0 else 120]):
                continue
            a = name_from_prose(rest)
            if a:
                facts.compiled_by = (a, i)
                break


def _official_form(agency: str, line: int, via: str, header_agency) -> tuple[str, int, str]:
    """利辛县望疃镇 in the title, 利辛县望疃镇人民政府 as publisher: the official form."""
    if (
        header_agency
        and not ORGAN_END.search(agency)
        and header_agency[0] != agency
        and header_agency[0].startswith(agency)
        and ORGAN_TAIL.match(header_agency[0][len(agency) :])
    ):
        return header_agency[0], header_agency[1], "header"
    return agency, line, via


def _choose_agency(guess: MetaGuess, title, header_agency, sig, facts: _ProseFacts) -> None:
    """The report's own words first (title, its title quoted in the preamble, its compiler, the
    statement 现将<机关>…报告公布如下, the signature), the page around it (发布机构, 来源) after."""
    quoted, statement = facts.quoted, facts.statement
    if title and title.named and header_agency and title.named not in header_agency[0]:
        header_agency = None  # the title names someone the page's publisher is not
    for cand, via in (
        ((title.agency, title.line) if title and title.agency else None, "title"),
        ((quoted[0], quoted[2]) if quoted and quoted[0] else None, "quoted_title"),
        (facts.compiled_by, "compiler"),
        ((statement[0], statement[2]) if statement and statement[0] else None, "statement"),
        ((sig[0], sig[1]) if sig else None, "signature"),
        (header_agency, "header"),
        (facts.based_on, "prose"),
        (facts.subject, "prose"),
    ):
        if cand:
            agency, line, via = _official_form(cand[0], cand[1], via, header_agency)
            guess.agency = agency
            guess.where["agency"] = {"line": line + 1, "via": via}
            return


def _choose_year(scan: _Scan, title, facts: _ProseFacts) -> tuple[int, int, str] | None:
    """Title, statistics period, the report's own statement, first year of section 一."""
    if title:
        return (title.year, title.line, "title")
    last = -1
    for i, m in _line_matches(_PERIOD, scan.prose_text, ("1日",)):  # the period starts on the 1st
        if i != last and year_ok(int(m.group(1))):  # a line's first period only
            return (int(m.group(1)), i, "period")
        last = i
    if facts.statement:
        return (facts.statement[1], facts.statement[2], "statement")
    if facts.quoted:
        return (facts.quoted[1], facts.quoted[2], "quoted_title")
    if facts.line_year:
        return (facts.line_year[0], facts.line_year[1], "prose")
    if scan.s1 is not None:
        for i in range(scan.s1, min(len(scan.norm), scan.s1 + PROSE_AFTER_SECTION)):
            c = _BOOK_TITLE.sub("", scan.compact(i))  # not a year in a cited document's name
            m = _ANY_YEAR.search(c)
            if m and year_ok(int(m.group(1))):
                return (int(m.group(1)), i, "prose")
    return None


def _choose_publish_date(guess: MetaGuess, header_date, sig) -> None:
    """The page header's date, else the signature's (not one before the report year)."""
    if header_date:
        guess.publish_date = header_date[1]
        guess.where["publish_date"] = {"line": header_date[2] + 1, "via": "header"}
    elif sig and (guess.year is None or int(sig[2][:4]) >= guess.year):
        guess.publish_date = sig[2]
        guess.where["publish_date"] = {"line": sig[3] + 1, "via": "signature"}


from .formatdetect import detect_format  # noqa: E402,F401  (re-exported: callers import it from here)
