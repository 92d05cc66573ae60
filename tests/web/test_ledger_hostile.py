"""Bad input to the ledger's pages: every refusal is a Chinese message with a 4xx status and
nothing is written, never a traceback or a 500."""

from __future__ import annotations

from datetime import date

from test_ledger import act, error_of, register


def test_bad_parameters_and_forms_are_refused_in_chinese(as_user):
    clerk = as_user("jiaotong")
    number = register(clerk)
    gets = {
        "/ledger/stats?year=abc": "年度“abc”应为四位数字",
        "/ledger/stats?year=99999": f"年度 99999 不在可统计的范围（2008—{date.today().year + 1}）",
        "/ledger/stats/cell?ref=../../etc/passwd&year=2025": "表中没有单元格“../../etc/passwd”",
        "/ledger/case?n=不存在": "申请不存在或无权查看",
        "/ledger/case/file?n=2025-0001&id=999": "文件不存在或无权查看",
        "/ledger/case/file?n=2025-0001&id=abc": "请求缺少必填项或格式不正确",
        "/ledger/export?format=pdf": "不支持的导出格式“pdf”：请选 XLSX 或 CSV",
        "/ledger/cases?status=flying": "未知的状态“flying”",
    }
    for url, message in gets.items():
        response = clerk.get(url)
        assert 400 <= response.status_code < 500, url
        assert error_of(response.text) == message, url
    events = [
        ({"kind": "teleport", "date": "2025-10-01"}, "未知的办理事项“teleport”"),
        ({"kind": "note", "date": "昨天", "text": "x"}, "日期“昨天”无效（应为 YYYY-MM-DD）"),
        ({"kind": "note", "date": "2025-10-01", "text": "x" * 30000}, "事件数据过长或含有不可见的控制字符"),
        ({"kind": "fee_notice", "date": "2025-10-01", "method": "count", "amount": "1", "pages": "-1"},
         "页数“-1”应为非负整数"),
        ({"kind": "void", "date": "2025-10-01", "supersedes": "x", "reason": "r"}, "要作废的事件“x”应为非负整数"),
        ({"kind": "void", "date": "2025-10-01", "supersedes": "7", "reason": "r"}, "申请 2025-0001 没有序号为 7 的事件"),
        ({"kind": "reply", "date": "2025-10-01"}, "请选择答复结果（表三的哪一行）"),
        ({"kind": "reply", "date": "2025-10-01", "outcome": "exploded"}, "申请 2025-0001：2025-10-01 答复：未知的答复结果“exploded”"),
        ({"kind": "note", "date": "2025-09-01", "text": "早"}, "申请 2025-0001：2025-09-01 备注：日期早于收到申请日期 2025-09-26"),
    ]  # fmt: skip
    for data, message in events:
        response = act(clerk, number, data.pop("kind"), data.pop("date"), **data)
        assert response.status_code == 400, data
        assert error_of(response.text) == message, data
    assert clerk.get(f"/ledger/case?n={number}").text.count('<tr data-kind="') == 0  # nothing was recorded
    imports = [
        (("台账.txt", b"hello"), "请上传 .xlsx 或 .csv 文件（台账导出的格式）"),
        (("台账.xlsx", b"PK\x03\x04 not really"), None),
    ]
    for upload, message in imports:
        response = clerk.post("/ledger/import", files=[("file", upload)])
        assert response.status_code == 400
        if message:
            assert error_of(response.text) == message
        else:
            assert "未导入任何记录" in response.text and "台账.xlsx" in response.text
    template = clerk.post("/ledger/templates", {"name": "../../etc/passwd", "text": "x"})
    assert template.status_code == 400 and error_of(template.text) == "没有名为“../../etc/passwd”的文书模板"
    letter = clerk.post(f"/ledger/case/letter?n={number}", {"letter": "receipt", "letter_format": "exe"})
    assert (
        letter.status_code == 400
        and error_of(letter.text) == "文书未生成：不支持的文书格式“exe”：请选 DOCX 或 PDF"
    )
