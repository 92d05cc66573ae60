"""Tables as real renderings damage them (issue 10, points 2, 3, 4 and 6).

Each test writes a consistent report as pipe-table text, damages it the way real files are
damaged (typos, labels moved away from their numbers, template deviations, table 四 in other
shapes, cells run together) and reads it back: every value exact, or blank with a finding —
never a wrong number, never silence.
"""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from layouts import consistent_tables, value_mismatches
from xxgk.check import check_report
from xxgk.extract import parse_bytes
from xxgk.formats import get_format
from xxgk.model import ERROR, LOW

FMT = get_format("2021")
ACTIVE, APPLICATIONS, REVIEWS = FMT.tables
SEEDS = st.integers(min_value=0, max_value=2**32 - 1)
HEADINGS = [f"{n}、{s.title}" for n, s in zip("一二三四五六", FMT.sections, strict=True)]


def cells(values, table, row) -> list[str]:
    return [str(values[f"{table.key}/{row.key}/{f.key}"]) for f in row.fields]


def pipe(*parts) -> str:
    return "| " + " | ".join(str(p) for p in parts) + " |"


def active_lines(values) -> list[str]:
    out, block = [], None
    for row in ACTIVE.rows:
        if row.block != block:
            block = row.block
            out += [pipe(block), pipe("信息内容", *(f.label for f in row.fields))]
        out.append(pipe(row.label, *cells(values, ACTIVE, row)))
    return out


def application_lines(values, rows=None) -> list[str]:
    out = [pipe("申请人情况", *(f.label for f in APPLICATIONS.rows[0].fields))]
    return out + [pipe(row.label, *cells(values, APPLICATIONS, row)) for row in rows or APPLICATIONS.rows]


REVIEW_HEADER = [
    pipe("行政复议", "行政诉讼"),
    pipe("结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"),
]


def review_values(values) -> list[str]:
    return [str(values[ref]) for ref in REVIEWS.refs()]


def document(values, active=None, applications=None, reviews=None) -> str:
    bodies = {
        2: active_lines(values) if active is None else active,
        3: application_lines(values) if applications is None else applications,
        4: REVIEW_HEADER + [pipe(*review_values(values))] if reviews is None else reviews,
    }
    lines = [
        "示例区司法局2024年政府信息公开工作年度报告",
        "本报告所列数据的统计期限自2024年1月1日起至2024年12月31日止。",
        "",
    ]
    for n, heading in enumerate(HEADINGS, start=1):
        lines += [heading, "本机关认真贯彻落实《中华人民共和国政府信息公开条例》。", *bodies.get(n, []), ""]
    return "\n".join(lines)


def read(text: str):
    report = parse_bytes(text.encode("utf-8"), "damaged.txt")
    check_report(report)
    return report


def codes(report) -> list[str]:
    return [f.code for f in report.findings]


def expected(values, tables=("active", "applications", "reviews")):
    return {ref: v for ref, v in values.items() if ref.split("/")[0] in tables}


def test_clean_document_reads_exactly():
    values = consistent_tables(random.Random(7))
    report = read(document(values))
    assert value_mismatches(report, values) == []
    assert not [f for f in report.findings if f.code.startswith(("XG0", "XG1", "XG2"))]


# ------------------------------------------------------------------ labels as really written


def _typo(label: str, rng: random.Random) -> str:
    """One character dropped or replaced by a look-alike, away from the list number."""
    body = label.split(".", 1)[-1] if "." in label[:3] else label
    prefix = label[: len(label) - len(body)]
    i = rng.randrange(1, len(body) - 1)
    if rng.random() < 0.5:
        return prefix + body[:i] + body[i + 1 :]
    look_alike = "止" if body[i] != "止" else "上"
    return prefix + body[:i] + look_alike + body[i + 1 :]


FUZZABLE = [r for r in APPLICATIONS.rows[4:22] if len(r.label) >= 8]


@settings(max_examples=25, deadline=None)
@given(seed=SEEDS, row_index=st.integers(min_value=0, max_value=len(FUZZABLE) - 1))
def test_misspelt_label_between_found_rows_reads_its_row(seed, row_index):
    """Property (c): a typo at a random row is read as that row (exact values), with XG007."""
    rng = random.Random(seed)
    values = consistent_tables(rng)
    row = FUZZABLE[row_index]
    lines = application_lines(values)
    n = [i for i, line in enumerate(lines) if line.startswith(pipe(row.label)[:-2])][0]
    written = _typo(row.label, rng)
    lines[n] = pipe(written, *cells(values, APPLICATIONS, row))
    report = read(document(values, applications=lines))
    assert value_mismatches(report, expected(values)) == []
    found = [f for f in report.findings if f.code == "XG007"]
    assert len(found) == 1 and written in found[0].message
    # the identities confirm the row, so its cells keep high confidence
    assert all(report.cells[f"applications/{row.key}/{f.key}"].confidence == "high" for f in row.fields)


def test_misspelt_label_that_breaks_an_identity_is_low():
    values = consistent_tables(random.Random(3))
    row = APPLICATIONS.row("withheld_prohibited")
    lines = application_lines(values)
    wrong = cells(values, APPLICATIONS, row)
    wrong[0] = str(int(wrong[0]) + 1)  # the source itself is wrong in this row
    lines = [pipe("2.其他法律行政止公开", *wrong) if row.label in line else line for line in lines]
    report = read(document(values, applications=lines))
    assert report.cells["applications/withheld_prohibited/natural_person"].value == int(wrong[0])
    assert report.cells["applications/withheld_prohibited/natural_person"].confidence == LOW
    assert "XG007" in codes(report) and "XG102" in codes(report)


def test_far_away_text_is_never_taken_for_a_row():
    """A text cell close to a label but outside the gap where the row belongs is not used."""
    values = consistent_tables(random.Random(4))
    lines = application_lines(values, [r for r in APPLICATIONS.rows if r.key != "declined_repeat"])
    lines.insert(1, pipe("2.重复申清"))  # before 一、: not between 三(五)1 and 三(五)3
    report = read(document(values, applications=lines))
    assert not report.has("applications/declined_repeat/total")
    assert "XG005" in codes(report) and "XG007" not in codes(report)


def test_label_wrapped_over_two_lines_and_heading_repeating_a_row():
    values = consistent_tables(random.Random(5))
    row = APPLICATIONS.row("withheld_prohibited")
    lines = application_lines(values)
    n = next(i for i, line in enumerate(lines) if row.label in line)
    lines[n : n + 1] = ["2.其他法律行政法规禁", "止公开 " + " ".join(cells(values, APPLICATIONS, row))]
    received = APPLICATIONS.row("received")
    lines.insert(1, f"### {received.label}")
    report = read(document(values, applications=lines))
    assert value_mismatches(report, expected(values)) == []


def test_explanatory_parenthesis_cut_by_a_line_break():
    values = consistent_tables(random.Random(6))
    row = APPLICATIONS.row("partially_granted")
    lines = [
        pipe("（二）部分公开（区分处理的，只", *cells(values, APPLICATIONS, row))
        if row.label in line
        else line
        for line in application_lines(values)
    ]
    report = read(document(values, applications=lines))
    assert value_mismatches(report, expected(values)) == []


def test_labels_pulled_away_from_their_numbers_are_placed_by_order():
    """A PDF-to-Markdown conversion: wrapped labels in the lines above, bare rows of numbers."""
    values = consistent_tables(random.Random(8))
    moved = [
        APPLICATIONS.row(k)
        for k in ("unavailable_not_held", "unavailable_needs_creation", "unavailable_unclear")
    ]
    lines = []
    for line in application_lines(values):
        if any(row.label in line for row in moved):
            continue
        lines.append(line)
        if APPLICATIONS.row("withheld_inquiry").label in line:
            lines += ["（四）无法提供1.本机关不掌握相关政", "府信息", "3.补正后申请内容仍不", "明确"]
            lines += [pipe(*cells(values, APPLICATIONS, row)) for row in moved]
    report = read(document(values, applications=lines))
    assert value_mismatches(report, expected(values)) == []
    placed = [f for f in report.findings if f.code == "XG008"]
    assert len(placed) == 1 and "3 行" in placed[0].message
    assert all(report.cells[f"applications/{r.key}/total"].confidence == LOW for r in moved)


def test_more_bare_rows_than_rows_without_numbers_are_not_placed():
    values = consistent_tables(random.Random(9))
    row = APPLICATIONS.row("declined_repeat")
    lines = []
    for line in application_lines(values):
        if row.label in line:
            lines += [pipe(*cells(values, APPLICATIONS, row)), pipe(*cells(values, APPLICATIONS, row))]
        else:
            lines.append(line)
    report = read(document(values, applications=lines))
    assert not report.has("applications/declined_repeat/total")
    assert "XG005" in codes(report) and "XG008" not in codes(report)


def test_single_value_rows_as_loose_lines():
    values = consistent_tables(random.Random(10))
    lines = active_lines(values)[:6] + [
        f"行政许可 {values['active/licensing/decisions']}",
        f"行政处罚：{values['active/penalty/decisions']}件",
        f"行政强制 {values['active/coercion/decisions']}",
        f"行政事业性收费 {values['active/fees/amount']}",
    ]
    report = read(document(values, active=lines))
    assert value_mismatches(report, expected(values, ("active",))) == []


# ------------------------------------------------------------------ template deviations


def test_2021_report_with_the_2019_row_for_other_outcomes():
    values = consistent_tables(random.Random(11))
    others = [r for r in APPLICATIONS.rows if r.group == "（六）其他处理"]
    merged = [
        str(sum(int(values[f"applications/{r.key}/{f.key}"]) for r in others))
        for f in APPLICATIONS.rows[0].fields
    ]
    lines = [line for line in application_lines(values) if not any(r.label in line for r in others)]
    n = next(i for i, line in enumerate(lines) if "（七）总计" in line)
    lines.insert(n, pipe("（六）其他处理", *merged))
    report = read(document(values, applications=lines))
    rest = {k: v for k, v in expected(values).items() if not any(f"/{r.key}/" in k for r in others)}
    assert value_mismatches(report, rest) == []
    assert not any(report.has(f"applications/{r.key}/total") for r in others)
    deviation = [f for f in report.findings if f.code == "XG209"]
    assert len(deviation) == 1
    assert "（六）其他处理" in deviation[0].message and " ".join(merged) in deviation[0].message
    assert "XG005" not in codes(report)  # the deviation explains the missing rows


def test_table_two_without_one_column():
    values = consistent_tables(random.Random(12))
    lines = []
    for line in active_lines(values):
        if "本年废止件数" in line:
            line = pipe("信息内容", "本年制发件数", "现行有效件数")
        for key in ("regulations", "normative_documents"):
            row = ACTIVE.row(key)
            if line.startswith(pipe(row.label)[:-2]):
                line = pipe(row.label, values[f"active/{key}/issued"], values[f"active/{key}/in_force"])
        lines.append(line)
    report = read(document(values, active=lines))
    kept = {k: v for k, v in expected(values, ("active",)).items() if not k.endswith("/repealed")}
    assert value_mismatches(report, kept) == []
    assert not report.has("active/regulations/repealed")
    found = [f for f in report.findings if f.code == "XG209"]
    assert len(found) == 1 and "本年废止件数" in found[0].message


# ------------------------------------------------------------------ table 四 in every shape


def _by_rows(values):
    out = []
    for row in REVIEWS.rows:
        out += [f"（{row.label}）", pipe(*(f.label for f in row.fields))]
        out.append(pipe(row.label, *cells(values, REVIEWS, row)))
    return out


def _transposed(values):
    out = [pipe("", *(r.label for r in REVIEWS.rows))]
    for f in REVIEWS.rows[0].fields:
        out.append(pipe(f.label, *(values[f"reviews/{r.key}/{f.key}"] for r in REVIEWS.rows)))
    return out


def _no_header(values):
    return [pipe(*review_values(values))]


def _split_page(values):
    vals = review_values(values)
    return [*REVIEW_HEADER, pipe(*vals[:10]), *REVIEW_HEADER, pipe(*vals[10:])]


def _titled(values):
    return ["表四：政府信息公开行政复议、行政诉讼情况", "复议诉讼维持纠正", pipe(*review_values(values))]


SHAPES = {
    "rows": _by_rows,
    "transposed": _transposed,
    "no_header": _no_header,
    "split": _split_page,
    "titled": _titled,
}


@settings(max_examples=10, deadline=None)
@given(seed=SEEDS, shape=st.sampled_from(sorted(SHAPES)))
def test_table_four_in_every_shape(seed, shape):
    """Property (d): table 四 written in each shape reads back exactly."""
    values = consistent_tables(random.Random(seed))
    report = read(document(values, reviews=SHAPES[shape](values)))
    assert value_mismatches(report, expected(values, ("reviews",))) == []
    assert value_mismatches(report, expected(values)) == []


# ------------------------------------------------------------------ never silent


def test_a_table_that_is_there_but_unreadable_is_an_error():
    """Row labels with not one readable number (cells lost to a broken font): the reader says
    so (XG009, an error); it does not report “no problems”, nor only blank cells."""
    values = consistent_tables(random.Random(13))
    lines = [pipe(row.label, *["■"] * 7) for row in APPLICATIONS.rows]
    report = read(document(values, applications=lines))
    unread = [f for f in report.findings if f.code == "XG009"]
    assert len(unread) == 1 and unread[0].severity == ERROR
    assert "收到和处理政府信息公开申请情况表" in unread[0].message
    assert "XG203" not in codes(report)


def test_prose_that_names_rows_is_not_a_table():
    values = consistent_tables(random.Random(14))
    prose = [
        "本年度新收申请 12 件，本年新收政府信息公开申请数量较上年增加，上年结转政府信息公开申请数量 3 件。"
    ]
    report = read(document(values, applications=prose))
    assert "XG009" not in codes(report)


# ------------------------------------------------------------------ table 四 as prose


def test_table_four_none_stated_in_prose_gives_fifteen_low_zeros():
    values = consistent_tables(random.Random(15))
    report = read(document(values, reviews=["本年度未发生政府信息公开行政复议、行政诉讼案件。"]))
    assert all(report.cells[ref].value == 0 and report.cells[ref].confidence == LOW for ref in REVIEWS.refs())
    assert [f.code for f in report.findings].count("XG010") == 1


def test_table_four_counts_stated_in_prose():
    values = consistent_tables(random.Random(16))
    text = "本年度发生行政复议3件，其中维持2件、纠正1件；行政诉讼0件。"
    report = read(document(values, reviews=[text]))
    got = {ref: report.cells[ref].value for ref in REVIEWS.refs()}
    assert got["reviews/reconsideration/total"] == 3
    assert got["reviews/reconsideration/upheld"] == 2
    assert got["reviews/reconsideration/corrected"] == 1
    assert got["reviews/reconsideration/other"] == 0 and got["reviews/reconsideration/pending"] == 0
    assert all(v == 0 for ref, v in got.items() if "/litigation" in ref)


def test_table_four_prose_that_does_not_add_up_is_not_read():
    values = consistent_tables(random.Random(17))
    report = read(document(values, reviews=["本年度发生行政复议3件，其中维持1件。行政诉讼2件。"]))
    assert not any(report.has(ref) for ref in REVIEWS.refs())
    assert "XG010" not in codes(report)


# ------------------------------------------------------------------ found by the fuzz suite


def test_a_4301_digit_number_is_not_an_internal_error():
    values = consistent_tables(random.Random(18))
    report = read(document(values, applications=application_lines(values) + ["1" * 4301]))
    assert value_mismatches(report, expected(values)) == []


def test_a_row_with_far_more_slots_than_cells_is_read_low_with_a_finding():
    from xxgk.extract.align import fit
    from xxgk.extract.tokens import make_token

    tokens = [make_token("", {}, 0, 1) for _ in range(20)] + [make_token("1", {}, 0, 1)]
    f = fit([f"applications/declined_repeat/{c.key}" for c in APPLICATIONS.rows[0].fields], tokens)
    assert f.candidates and not f.certain
