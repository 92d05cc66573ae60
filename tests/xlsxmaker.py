"""XLSX workbooks written part by part, so that a test can damage any part: a sheet listed
without its part, a DTD in the shared strings, Excel's shared strings and date styles, noise
around rows and cells. Values: text becomes an inline string, a number a numeric cell, and
(attributes, raw value) a cell written as given (e.g. ('t="s"', 0) or ('s="1"', 45719))."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
R_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"'


def cell(ref: str, value) -> str:
    if isinstance(value, tuple):  # (raw attributes, raw <v>)
        return f'<c r="{ref}" {value[0]}><v>{value[1]}</v></c>'
    if isinstance(value, str):
        return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(value)}</t></is></c>'
    return f'<c r="{ref}"><v>{value}</v></c>'


def row_xml(n: int, row: list) -> str:
    return (
        f'<row r="{n}">'
        + "".join(cell(f"{chr(65 + i)}{n}", v) for i, v in enumerate(row) if v is not None)
        + "</row>"
    )


def sheet_xml(rows: list[list]) -> str:
    body = "".join(row_xml(n, row) for n, row in enumerate(rows, start=1))
    return f"<worksheet {NS}><sheetData>{body}</sheetData></worksheet>"


def xlsx(
    path: Path, sheets: dict[str, str | None], parts: dict[str, str] | None = None, pr: str = ""
) -> Path:
    """A workbook listing `sheets` (name -> sheet XML; None: listed, but its part is missing),
    with extra parts ("sharedStrings", "styles") related from the workbook."""
    parts = parts or {}
    rels = [(f"rId{i}", "worksheet", f"worksheets/sheet{i}.xml") for i in range(1, len(sheets) + 1)]
    rels += [(f"rId{kind}", kind, f"{kind}.xml") for kind in parts]
    names = "".join(f'<sheet name="{n}" sheetId="{i}" r:id="rId{i}"/>' for i, n in enumerate(sheets, start=1))
    members = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        "_rels/.rels": f'<Relationships {PKG}><Relationship Id="rId1" Type="{REL}/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f"<workbook {NS} {R_NS}>{pr}<sheets>{names}</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": f"<Relationships {PKG}>"
        + "".join(f'<Relationship Id="{i}" Type="{REL}/{k}" Target="{t}"/>' for i, k, t in rels)
        + "</Relationships>",
    }
    for i, xml in enumerate(sheets.values(), start=1):
        if xml is not None:
            members[f"xl/worksheets/sheet{i}.xml"] = xml
    members.update({f"xl/{kind}.xml": xml for kind, xml in parts.items()})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path
