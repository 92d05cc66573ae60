"""Document -> Report. Knows reports, not media."""

from __future__ import annotations

from dataclasses import dataclass

from ..formats import get_format
from ..model import Meta, Report, Source, TextLine
from ..read.document import Artifact, Document, Paragraph, TableBlock
from ..read.text import read_text_bytes
from ..text.artifacts import lines_with_artifacts
from ..text.normalize import (
    is_traditional,
    normalize_script,
    normalize_text,
    site_chrome_start,
    strip_word_artifacts,
)
from .deviations import unread_tables
from .formatdetect import detect_format
from .meta import MetaGuess, extract_meta
from .preamble import PreambleLine, find_preamble, page_edges
from .reflow import needs_reflow, reflow
from .sections import find_headings
from .tables import read_tables
from .tokens import tokenize


@dataclass
class Prepared:
    """Per-block text with Word artifacts removed, and its normalised form (same lines)."""

    texts: list[str]  # one per block; a table block is its rows joined by tabs
    norm: list[str]
    artifacts: list[Artifact]
    chrome_start: int | None  # first block of trailing website navigation
    norm_text: str = ""  # the lines of `norm` joined by "\n": scanned whole, not line by line
    simplified: bool = False  # no piece of `texts` reads as traditional (normalize_script)


def prepare(doc: Document) -> Prepared:
    artifacts = list(doc.artifacts)
    texts = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    joined = "\n".join(texts)
    if len(texts) != len(doc.blocks) or joined.count("\n") != len(texts) - 1:
        texts = _block_texts(doc.blocks, artifacts)  # tables, or paragraphs holding line breaks
        joined = "\n".join(texts)
    elif marked := lines_with_artifacts(texts, joined):  # one-line paragraphs (a text file): the common case
        for i in marked:
            texts[i], found = strip_word_artifacts(texts[i])
            artifacts += [Artifact(kind, text, dict(doc.blocks[i].where)) for kind, text in found]
        joined = "\n".join(texts)
    norm_text, simplified = normalize_script(joined)
    norm = norm_text.split("\n")
    if len(norm) != len(texts):  # normalisation must keep lines; fall back per block if not
        norm = [normalize_text(t) for t in texts]
        norm_text, simplified = "\n".join(norm), False
    return Prepared(texts, norm, artifacts, site_chrome_start(norm), norm_text, simplified)


def _block_texts(blocks, artifacts: list[Artifact]) -> list[str]:
    texts: list[str] = []
    marked = set(lines_with_artifacts([b.text if isinstance(b, Paragraph) else "" for b in blocks]))
    for i, block in enumerate(blocks):
        if isinstance(block, Paragraph):
            clean, found = strip_word_artifacts(block.text) if i in marked else (block.text, ())
            artifacts += [Artifact(kind, text, dict(block.where)) for kind, text in found]
            texts.append(clean.replace("\n", " "))
        else:
            texts.append(" ".join("\t".join(c.text for c in row).replace("\n", " ") for row in block.rows))
    return texts


def parse_document(doc: Document) -> Report:
    prep = prepare(doc)
    if needs_reflow(prep.norm, prep.norm_text):  # crawled text whose lines ran together (reflow.py)
        doc = reflow(doc, prep.texts, prep.norm, prep.artifacts)
        prep = prepare(doc)
    end = prep.chrome_start if prep.chrome_start is not None else len(doc.blocks)
    body, body_text = prep.norm, prep.norm_text  # the report without trailing website chrome
    if end < len(body):
        body = body[:end]
        body_text = "\n".join(body)
    headings = find_headings(body, body_text)
    guess = extract_meta(prep.norm, headings[0].line if headings else None, prep.norm_text)
    report = Report(format=detect_format(body_text, guess.year))
    report.meta = Meta(
        agency=guess.agency,
        year=guess.year,
        title=guess.title,
        publish_date=guess.publish_date,
        script=_script(prep),
        source=Source(doc.path, doc.sha256, doc.media_type),
    )
    report.artifacts = prep.artifacts
    # A section runs from its heading to the next heading (the last one to the end).
    spans = {
        h.number: (h.line, headings[i + 1].line if i + 1 < len(headings) else end)
        for i, h in enumerate(headings)
    }
    spec = get_format(report.format)
    table_blocks: set[int] = set()
    if spec is not None:
        tokens = tokenize(doc.blocks[:end], prep.texts[:end], _table_spans(spec, spans))
        for first, last in read_tables(report, spec, tokens, spans).values():
            table_blocks.update(range(first, last + 1))
        wheres = [b.where for b in doc.blocks[:end]]
        report.findings.extend(unread_tables(report, spec, prep.norm[:end], wheres))
    report.lines = _text_lines(doc, prep, spans, table_blocks, end)
    if headings:
        report.preamble = _preamble(doc, prep, guess, headings[0].line)
    # A section's text is its prose: its lines that are neither its heading nor table cells.
    prose: dict[str, list[str]] = {str(number): [] for number in spans}
    for line in report.lines:
        if line.section is not None and not line.heading and not line.in_table:
            prose[line.section].append(line.text.strip())
    for number, (first, _) in spans.items():
        key = str(number)
        report.sections[key] = "\n".join(prose[key])
        report.section_where[key] = dict(doc.blocks[first].where)
    return report


def _script(prep: Prepared) -> str:
    # A text none of whose characters t2s changes needs no second look at its opening.
    if prep.simplified or not is_traditional("\n".join(prep.texts[:200])[:1500]):
        return "simplified"
    return "traditional"


def _table_spans(spec, spans: dict[int, tuple[int, int]]) -> list[tuple[int, int]] | None:
    """The blocks of the table sections when every one was found: a table is read only inside
    its section, so the prose sections (and the preamble) need no tokens. None: all blocks."""
    found = [spans.get(table.section) for table in spec.tables]
    return None if None in found else sorted(set(found))  # type: ignore[arg-type]


def _preamble(doc: Document, prep: Prepared, guess: MetaGuess, first_heading: int) -> str:
    """The prose between the title (when found above section 一) and section 一."""
    title = guess.where.get("title")
    start = 0
    if title is not None:
        title_end = title.get("end_line", title["line"])  # 1-based: the first line after it, 0-based
        start = title_end if title_end <= first_heading else 0
    lines = [
        PreambleLine(prep.texts[i].strip(), prep.norm[i], dict(doc.blocks[i].where))
        for i in range(start, first_heading)
        if isinstance(doc.blocks[i], Paragraph) and prep.texts[i].strip()
    ]
    # Page edges join a PDF's wrapped lines; lines without a page are never joined.
    placed = any("page" in line.where for line in lines)
    edges = page_edges([b.where for b in doc.blocks if isinstance(b, Paragraph)]) if placed else {}
    return find_preamble(lines, guess.title, edges)


def _text_lines(doc: Document, prep: Prepared, spans, table_blocks: set[int], end: int) -> list[TextLine]:
    section_at: list[str | None] = [None] * end
    heading_at = [False] * end  # flags by block: the loop over the lines does no lookups
    for number, (first, last) in spans.items():
        section_at[first:last] = [str(number)] * (last - first)
        if 0 <= first < end:
            heading_at[first] = True
    # A line shares its block's `where`: nothing downstream changes one (findings copy it).
    # zip stops at `end` (heading_at), as the lines do.
    table_at = _table_at(doc.blocks, table_blocks, end)
    lines: list[TextLine] = []
    append, new = lines.append, object.__new__
    for text, norm, block, section, heading, in_table in zip(
        prep.texts, prep.norm, doc.blocks, section_at, heading_at, table_at, strict=False
    ):
        if text and not text.isspace():
            # TextLine(...) without a class call, which runs __init__ in a frame of its own
            line = new(TextLine)
            line.text = text
            line.norm = norm
            line.where = block.where
            line.section = section
            line.heading = heading
            line.in_table = in_table
            append(line)
    return lines


def _table_at(blocks, table_blocks: set[int], end: int) -> list[bool]:
    """Per block: read as table cells, or a table of the source (a text file has none)."""
    table_at = list(map(table_blocks.__contains__, range(end)))
    if list(map(type, blocks[:end])).count(Paragraph) != len(table_at):  # some other block
        table_at = [
            cells or isinstance(block, TableBlock) for cells, block in zip(table_at, blocks, strict=False)
        ]
    return table_at


def parse_bytes(data: bytes, path: str | None = None) -> Report:
    """Parse a plain-text report (any common encoding)."""
    return parse_document(read_text_bytes(data, path))
