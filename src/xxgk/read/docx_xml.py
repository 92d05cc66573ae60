"""The XML vocabulary of WordprocessingML that the DOCX reader uses, and the walker that
turns one w:p into text lines plus the artifacts found in it.

Text is what Word shows with all tracked changes accepted: w:t inside w:ins/w:moveTo is
kept, w:del/w:moveFrom dropped. Field codes (w:instrText) are dropped and field results
kept; ruby text (w:rt, a phonetic guide such as pinyin) is dropped and its base kept; of an
mc:AlternateContent only the first choice is read, so a text box is not read twice (once
as DrawingML, once as its VML fallback). Given a Visibility (docx_hidden.py), hidden runs
are left out of the text and found as "hidden_text".
"""

from __future__ import annotations

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def w(name: str) -> str:
    return f"{{{W}}}{name}"


BODY = w("body")
P, R, TBL, TR, TC, SDT, SDT_CONTENT, CUSTOM_XML = map(
    w, ("p", "r", "tbl", "tr", "tc", "sdt", "sdtContent", "customXml")
)
T, TAB, PTAB, BR, CR, NB_HYPHEN = map(w, ("t", "tab", "ptab", "br", "cr", "noBreakHyphen"))
INS, DEL, MOVE_TO, MOVE_FROM = map(w, ("ins", "del", "moveTo", "moveFrom"))
BOOKMARK, COMMENT_START, COMMENT_REF = map(w, ("bookmarkStart", "commentRangeStart", "commentReference"))
TXBX, PPR, RPR, PPR_CHANGE, RPR_CHANGE = map(w, ("txbxContent", "pPr", "rPr", "pPrChange", "rPrChange"))
TR_PR, TC_PR, GRID_BEFORE, GRID_SPAN, V_MERGE, H_MERGE = map(
    w, ("trPr", "tcPr", "gridBefore", "gridSpan", "vMerge", "hMerge")
)
VAL, AUTHOR, ID, NAME = map(w, ("val", "author", "id", "name"))
ALTERNATE, CHOICE, FALLBACK = (f"{{{_MC}}}{n}" for n in ("AlternateContent", "Choice", "Fallback"))
SKIP = frozenset(
    map(w, ("sdtPr", "sdtEndPr", "instrText", "delText", "delInstrText", "rt", "fldData", "tcPr", "trPr"))
)
WRAPPERS = frozenset((SDT, CUSTOM_XML))
XPATH = etree.XPath(".//w:t/text() | .//w:delText/text()", namespaces={"w": W})

INSERT, DELETE = "插入", "删除"
REVISION_ACTIONS = {INS: INSERT, DEL: DELETE, MOVE_TO: "移入", MOVE_FROM: "移出"}
HEADER_ORDER = {"first": 0, "default": 1, "even": 2}


def plain_text(element) -> str:
    return "".join(XPATH(element))


class InlineText:
    """The text of one paragraph, split at line breaks, plus what was found in it:
    artifacts as (line index, kind, text), comment anchors as (line index, id), text boxes."""

    def __init__(self, visibility=None) -> None:
        self.visibility = visibility  # docx_hidden.Visibility, or None: every run is shown
        self._paragraph_hidden: bool | None = None
        self._hidden: list[str] = []  # hidden runs since the last shown text
        self.lines: list[list[str]] = [[]]
        self.found: list[tuple[int, str, str]] = []  # (line index, kind, text)
        self.anchors: list[tuple[int, str]] = []
        self.boxes: list = []
        self._format_change: str | None = None
        self._mark_change: str | None = None

    def read(self, p) -> InlineText:
        if self.visibility is not None:
            self._paragraph_hidden = self.visibility.paragraph(p)
        self._walk(p)
        self._flush_hidden()
        if self._mark_change and not any(kind == "revision" for _, kind, _ in self.found):
            self.found.append((0, "revision", self._mark_change))
        if self._format_change:
            self.found.append((0, "revision", self._format_change))
        return self

    def texts(self) -> list[str]:
        return ["".join(parts) for parts in self.lines]

    def _add(self, text: str) -> None:
        self._flush_hidden()
        self.lines[-1].append(text)

    def _flush_hidden(self) -> None:
        text = "".join(self._hidden)
        self._hidden.clear()
        if text.strip():
            self.found.append((len(self.lines) - 1, "hidden_text", text))

    def _walk(self, element) -> None:
        for child in element:
            tag = child.tag
            if not isinstance(tag, str) or tag in SKIP:
                continue
            if tag == R and self._hides(child):
                self._hidden.append(plain_text(child))
            elif tag == T:
                self._add(child.text or "")
            elif tag in (TAB, PTAB):
                self._add("\t")
            elif tag in (BR, CR):
                self._flush_hidden()
                self.lines.append([])
            elif tag == NB_HYPHEN:
                self._add("-")
            elif tag in REVISION_ACTIONS:
                self._revision(child)
            elif tag == BOOKMARK:
                self.found.append((len(self.lines) - 1, "bookmark", child.get(NAME, "")))
            elif tag in (COMMENT_START, COMMENT_REF):
                self.anchors.append((len(self.lines) - 1, child.get(ID, "")))
            elif tag == TXBX:
                self.boxes.append(child)
            elif tag == ALTERNATE:
                self._walk_alternate(child)
            elif tag in (PPR, RPR):
                self._properties(child, tag)
            else:
                self._walk(child)

    def _hides(self, run) -> bool:
        return self.visibility is not None and self.visibility.run(run, self._paragraph_hidden)

    def _walk_alternate(self, element) -> None:
        branch = element.find(CHOICE)
        if branch is None:
            branch = element.find(FALLBACK)
        if branch is not None:
            self._walk(branch)

    def _revision(self, element) -> None:
        action = REVISION_ACTIONS[element.tag]
        text = plain_text(element)
        self.found.append((len(self.lines) - 1, "revision", revision_text(action, element, text)))
        if action in (INSERT, "移入"):
            self._walk(element)

    def _properties(self, element, tag: str) -> None:
        """Note formatting and paragraph-mark revisions kept in w:pPr / w:rPr (no text there)."""
        change = element.find(PPR_CHANGE if tag == PPR else RPR_CHANGE)
        mark = element.find(RPR) if tag == PPR else None
        if change is None and mark is not None:
            change = mark.find(RPR_CHANGE)
        if change is not None and self._format_change is None:
            self._format_change = revision_text("格式修改", change, "")
        if mark is not None:
            for node, action in ((mark.find(INS), "插入段落"), (mark.find(DEL), "删除段落")):
                if node is not None:
                    self._mark_change = revision_text(action, node, "")


def revision_text(action: str, element, text: str) -> str:
    author = element.get(AUTHOR)
    head = f"{action}（{author}）" if author else action
    return f"{head}：{text}" if text else head
