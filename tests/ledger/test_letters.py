"""Letters: every kind and every reply outcome renders to DOCX with the right article and the
case's data; the DOCX opens in LibreOffice; the WeasyPrint PDF embeds its fonts; office
templates override the built-in ones and their mistakes are clear errors."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import docx
import pytest
import typer
from docx.oxml.ns import qn
from typer.testing import CliRunner

from xxgk.cli import lettercmds
from xxgk.errors import InputError
from xxgk.ledger.letters import BLANK, build_letter, letter_kind, render_letter
from xxgk.ledger.records import OUTCOMES, CaseRecord, EventRecord
from xxgk.render.docx import BODY_FONT, TITLE_FONT

OFFICE = "示例县自然资源局"
NAME = "欧阳明远"
D = date

CASE = CaseRecord(
    "2025-0042",
    D(2025, 9, 26),
    "mail",
    "natural_person",
    NAME,
    "2024年城市更新项目批复文件",
    "13900000000",
    id=1,
)


def ev(what: str, day: date, id: int, **data) -> EventRecord:
    return EventRecord(what, day, data, case_id=1, id=id)


FULL = [
    ev("correction_requested", D(2025, 9, 29), 1, items="请写明文件名称或文号"),
    ev("correction_received", D(2025, 10, 15), 2),
    ev("consultation_started", D(2025, 10, 20), 3, party="某某置业有限公司", kind="third_party"),
    ev("consultation_ended", D(2025, 10, 31), 4, party="某某置业有限公司"),
    ev("extension", D(2025, 11, 20), 5, approved_by="办公室主任"),
    ev("fee_notice", D(2025, 11, 21), 6, method="pages", amount="4700.00", pages=250),
    ev("fee_paid", D(2025, 11, 25), 7, amount="4700.00"),
    ev("reply", D(2025, 12, 10), 8, outcome="partially_granted", note="涉及第三方商业秘密"),
]

# kind -> (title, date of the letter, texts that must appear)
KINDS = {
    "receipt": ("政府信息公开申请登记回执", "2025年9月26日", ["第三十三条", "信函", "2025年10月30日前"]),
    "correction": ("政府信息公开申请补正告知书", "2025年9月29日", ["第三十条", "请写明文件名称或文号"]),
    "extension": (
        "政府信息公开申请延期答复告知书",
        "2025年11月20日",
        ["第三十三条第二款", "原答复期限为2025年11月26日", "延长后的答复期限为2025年12月24日"],
    ),
    "consultation": ("政府信息公开征求意见函", "2025年10月20日", ["第三十二条", "某某置业有限公司："]),
    "fee": (
        "政府信息公开信息处理费收费通知书",
        "2025年11月21日",
        ["第四十二条", "国办函〔2020〕109号", "按量计收，共250页", "4,700.00元", f"缴费方式：{BLANK}。"],
    ),
    "reply": ("政府信息公开申请答复书", "2025年12月10日", ["第三十七条", "理由如下：涉及第三方商业秘密。"]),
}

ARTICLES = {
    "granted": ["第三十六条第（二）项"],
    "partially_granted": ["第三十七条"],
    "withheld_state_secret": ["第十四条", "国家秘密"],
    "withheld_prohibited": ["第十四条", "法律、行政法规禁止公开"],
    "withheld_security": ["第十四条", "国家安全、公共安全、经济安全、社会稳定"],
    "withheld_third_party": ["第十五条"],
    "withheld_internal": ["第十六条第一款"],
    "withheld_process": ["第十六条第二款", "过程性信息"],
    "withheld_enforcement_file": ["第十六条第二款", "行政执法案卷"],
    "withheld_inquiry": ["第三十六条第（七）项"],
    "unavailable_not_held": ["第三十六条第（四）项"],
    "unavailable_needs_creation": ["第三十八条"],
    "unavailable_unclear": ["第三十条", "本机关于2025年9月29日告知您对申请作出补正"],
    "declined_petition": ["第三十九条第一款"],
    "declined_repeat": ["第三十六条第（六）项"],
    "declined_publication": ["第三十九条第二款"],
    "declined_excessive": ["第三十五条"],
    "declined_confirmation": ["确认或者重新出具"],
    "other_no_correction": ["第三十条", "视为您放弃申请"],
    "other_unpaid_fee": ["第四十二条", "国办函〔2020〕109号", "本机关于2025年10月9日向您发出收费通知"],
    "other_misc": ["撤回"],
}


def closing_events(outcome: str) -> list[EventRecord]:
    """A history that legally ends with `outcome`."""
    if outcome == "other_no_correction":
        return [
            ev("correction_requested", D(2025, 9, 29), 1),
            ev("reply", D(2025, 11, 3), 2, outcome=outcome),
        ]
    if outcome == "unavailable_unclear":
        return FULL[:2] + [ev("reply", D(2025, 11, 3), 9, outcome=outcome)]
    if outcome == "other_unpaid_fee":
        notice = ev("fee_notice", D(2025, 10, 9), 1, method="count", amount="100.00")
        return [notice, ev("fee_lapsed", D(2025, 11, 10), 2)]
    if outcome == "other_misc":
        return [ev("withdrawn", D(2025, 10, 9), 1)]
    return [ev("reply", D(2025, 10, 20), 1, outcome=outcome)]


def docx_lines(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs if p.text]


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_renders_to_docx(tmp_path, kind):
    title, day, texts = KINDS[kind]
    out = render_letter(kind, CASE, FULL, OFFICE, tmp_path / f"{kind}.docx")
    document = docx.Document(str(out))
    lines = [p.text for p in document.paragraphs if p.text]
    body = "".join(lines)
    assert lines[0] == title
    assert lines[-2:] == [OFFICE, day]
    assert "2025-0042" in body
    for text in texts:
        assert text in body, text
    if kind != "consultation":  # the third party is not told who asked
        assert lines[1] == f"{NAME}："
    else:
        assert NAME not in body
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4
    paragraphs = [p for p in document.paragraphs if p.text]
    assert [p.alignment for p in paragraphs[-2:]] == [docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT] * 2
    assert paragraphs[0].alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER
    fonts = [p.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) for p in paragraphs]
    assert fonts == [TITLE_FONT] + [BODY_FONT] * (len(paragraphs) - 1)


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_reply_letter_cites_the_article_of_each_outcome(tmp_path, outcome):
    out = render_letter("reply", CASE, closing_events(outcome), OFFICE, tmp_path / "reply.docx")
    lines = docx_lines(out)
    body = "".join(lines)
    for text in ARTICLES[outcome]:
        assert text in body, (outcome, text)
    assert lines[0] == "政府信息公开申请答复书" and lines[1] == f"{NAME}："
    assert "六十日内依法申请行政复议" in body and "{" not in body


def test_every_outcome_has_its_own_text():
    texts = {o: "".join(build_letter("reply", CASE, closing_events(o), OFFICE).paragraphs) for o in OUTCOMES}
    assert len(set(texts.values())) == len(OUTCOMES)


def test_docx_opens_in_libreoffice(tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice 或 pdftotext 未安装")
    files = [render_letter(k, CASE, FULL, OFFICE, tmp_path / f"{k}.docx") for k in ("reply", "correction")]
    profile = (tmp_path / "lo-profile").as_uri()
    cmd = [soffice, "--headless", f"-env:UserInstallation={profile}", "--convert-to", "pdf", "--outdir"]
    subprocess.run([*cmd, str(tmp_path), *map(str, files)], check=True, capture_output=True, timeout=120)
    for path, article in zip(files, ("第三十七条", "第三十条"), strict=True):
        text = subprocess.run(
            ["pdftotext", str(path.with_suffix(".pdf")), "-"], check=True, capture_output=True, text=True
        ).stdout
        flat = "".join(text.split())
        assert NAME in flat and article in flat and OFFICE in flat


def test_pdf_embeds_its_fonts(tmp_path):
    if shutil.which("pdffonts") is None:
        pytest.skip("poppler 未安装")
    out = render_letter("fee", CASE, FULL, OFFICE, tmp_path / "fee.pdf")
    assert out.read_bytes().startswith(b"%PDF")
    rows = subprocess.run(
        ["pdffonts", str(out)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    assert rows and all("Noto-Serif-CJK-SC" in row for row in rows)
    assert all(row.split()[-5] == "yes" for row in rows)  # the "emb" column
    text = "".join(
        subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout.split()
    )
    assert NAME in text and "第四十二条" in text and "4,700.00元" in text


# ---------------------------------------------------------------- office templates


def test_office_template_overrides_one_letter(tmp_path):
    own = tmp_path / "tpl"
    own.mkdir()
    (own / "receipt.txt").write_text(
        "# 本局格式\n{机关}受理回执\n{申请人}：\n您的申请（{登记号}）已收到，{{原件}}请妥善保存。\n"
    )
    receipt = build_letter("receipt", CASE, FULL, OFFICE, own)
    assert (receipt.title, receipt.paragraphs) == (
        f"{OFFICE}受理回执",
        [f"{NAME}：", "您的申请（2025-0042）已收到，{原件}请妥善保存。"],
    )
    # Letters the directory lacks come from the built-in templates.
    assert build_letter("correction", CASE, FULL, OFFICE, own).title == "政府信息公开申请补正告知书"


def test_office_reply_body_override(tmp_path):
    own = tmp_path / "tpl"
    own.mkdir()
    (own / "reply-partially_granted.txt").write_text("依据第三十七条，部分公开。\n第二段：{答复说明}\n")
    letter = build_letter("reply", CASE, FULL, OFFICE, own)
    assert letter.paragraphs[2:4] == ["依据第三十七条，部分公开。", "第二段：涉及第三方商业秘密"]


def test_unknown_placeholder_names_template_and_placeholder(tmp_path):
    own = tmp_path / "tpl"
    own.mkdir()
    (own / "fee.txt").write_text("收费通知\n{申请人}：请缴纳{费用}元。\n")
    with pytest.raises(InputError) as err:
        build_letter("fee", CASE, FULL, OFFICE, own)
    assert err.value.path == str(own / "fee.txt")
    assert err.value.message.startswith("模板中的占位符 {费用} 无法识别（可用：{申请人}、{联系方式}、")
    assert str(err.value).startswith(f"{own / 'fee.txt'}：模板中的占位符 {{费用}} 无法识别")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("回执\n{申请人：\n", "模板中有不成对的大括号：“{申请人：”（要写大括号本身，请写 {{ 或 }}）"),
        ("# 只有注释\n", "模板是空的（至少要有一行标题）"),
    ],
)
def test_broken_templates(tmp_path, text, message):
    (tmp_path / "receipt.txt").write_text(text)
    with pytest.raises(InputError) as err:
        build_letter("receipt", CASE, FULL, OFFICE, tmp_path)
    assert err.value.message == message


def test_template_not_utf8(tmp_path):
    (tmp_path / "receipt.txt").write_bytes("回执\n{申请人}：\n".encode("gbk"))
    with pytest.raises(InputError) as err:
        build_letter("receipt", CASE, FULL, OFFICE, tmp_path)
    assert (err.value.message, err.value.path) == (
        "无法读取模板（不是 UTF-8 文本）",
        str(tmp_path / "receipt.txt"),
    )


def test_missing_template_directory(tmp_path):
    with pytest.raises(InputError, match="模板目录不存在"):
        build_letter("receipt", CASE, FULL, OFFICE, tmp_path / "nowhere")


# ---------------------------------------------------------------- what cannot be written


def test_kinds_by_key_or_chinese_name():
    assert [
        letter_kind(n) for n in ("reply", "答复书", "补正", "补正告知书", " 收费通知书 ", "征求意见函")
    ] == [
        "reply",
        "reply",
        "correction",
        "correction",
        "fee",
        "consultation",
    ]
    with pytest.raises(InputError) as err:
        letter_kind("感谢信")
    assert err.value.message.startswith(
        "未知的文书类型“感谢信”（可用：receipt（登记回执）、correction（补正告知书）"
    )


def test_letters_need_their_event():
    with pytest.raises(InputError) as err:
        build_letter("reply", CASE, FULL[:3], OFFICE)
    assert err.value.message == "登记号 2025-0042 尚未办结，不能生成答复书"
    with pytest.raises(InputError) as err:
        build_letter("extension", CASE, FULL[:2], OFFICE)
    assert err.value.message == "登记号 2025-0042 没有延期答复记录，不能生成延期答复告知书"
    with pytest.raises(InputError, match="没有机关名称"):
        build_letter("receipt", CASE, [], "  ")


def test_never_overwrites_without_force(tmp_path):
    out = tmp_path / "mine.docx"
    out.write_bytes(b"the user's own file")
    with pytest.raises(InputError) as err:
        render_letter("receipt", CASE, [], OFFICE, out)
    assert (err.value.message, out.read_bytes()) == (
        "文件已存在；如要覆盖，请加 --force",
        b"the user's own file",
    )
    render_letter("receipt", CASE, [], OFFICE, out, force=True)
    assert docx_lines(out)[0] == "政府信息公开申请登记回执"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.docx"]  # no temporary file left


def test_unsupported_format(tmp_path):
    with pytest.raises(InputError) as err:
        render_letter("receipt", CASE, [], OFFICE, tmp_path / "letter.odt")
    assert err.value.message == "不支持的文书格式“.odt”：请用 .docx 或 .pdf"


def test_amended_registration_is_used():
    events = [ev("case_amended", D(2025, 9, 28), 1, fields={"applicant_name": "欧阳明"})]
    assert build_letter("receipt", CASE, events, OFFICE).paragraphs[0] == "欧阳明："


# ---------------------------------------------------------------- the command


@pytest.fixture
def cli(tmp_path, monkeypatch):
    from xxgk.ledger.store import Ledger

    db = tmp_path / "ledger.sqlite3"
    with Ledger.open(db) as ledger:
        ledger.set_info("agency", OFFICE)
        number = ledger.add_case(
            CaseRecord("", D(2025, 9, 26), "online", "natural_person", NAME, "某文件"), "测试"
        ).number
        ledger.add_event(
            number, EventRecord("correction_requested", D(2025, 9, 29), {"items": "写明文号"}), "测试"
        )
    app = typer.Typer()
    lettercmds.register(app)

    @app.callback()
    def main() -> None:  # a group, as the ledger sub-app is
        pass

    monkeypatch.setenv("XXGK_LEDGER_DB", str(db))
    return app, number


def test_ledger_letter_command(cli, tmp_path):
    app, number = cli
    out = tmp_path / "补正.docx"
    result = CliRunner().invoke(app, ["letter", number, "补正", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"已生成：{out}"
    lines = docx_lines(out)
    assert lines[-2] == OFFICE and "写明文号" in "".join(lines)
    again = CliRunner().invoke(app, ["letter", number, "补正", "-o", str(out)])
    assert again.exit_code == 2
    assert again.output.strip() == f"错误：{out}：文件已存在；如要覆盖，请加 --force"
    other = CliRunner().invoke(app, ["letter", number, "补正", "-o", str(out), "--office", "某局", "--force"])
    assert other.exit_code == 0 and docx_lines(out)[-2] == "某局"


def test_ledger_letter_command_errors(cli, tmp_path):
    app, number = cli
    result = CliRunner().invoke(app, ["letter", number, "答复书", "-o", str(tmp_path / "a.pdf")])
    assert (result.exit_code, result.output.strip()) == (2, f"错误：登记号 {number} 尚未办结，不能生成答复书")
    result = CliRunner().invoke(app, ["letter", "1999-9999", "回执", "-o", str(tmp_path / "a.pdf")])
    assert (result.exit_code, result.output.strip()) == (2, "错误：登记号 1999-9999 不存在")
    assert not (tmp_path / "a.pdf").exists()
