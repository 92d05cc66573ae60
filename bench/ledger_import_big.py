"""A real office's multi-year ledger imported whole: ≥ 100,000 rows (cases and their events)
from CSV, from XLSX as xxgk exports it (inline strings) and from XLSX as Excel or WPS saves it
(shared strings, dates as numbers with a date format). Each import runs in a fresh process and
prints its wall-clock time, CPU time and peak RSS, so the figures show whether memory stays
bounded as the file grows (compare --rows 50000 with --rows 200000).

The cases come from tests/ledger/simulate.py (realistic histories with corrections, voids,
amendments, reviews), received over eight years.
Run: .venv/bin/python bench/ledger_import_big.py [--rows 100000]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "ledger"))


def make_files(rows: int, tmp: Path) -> list[Path]:
    from simulate import simulate  # noqa: E402  (tests/ledger)

    from xxgk.ledger.importexport import export_ledger
    from xxgk.ledger.store import Ledger

    sims, total, seed = [], 0, 0
    while total < rows:
        batch = simulate(
            seed=seed, cases=2000, first=date(2018 + seed % 8, 1, 1), last=date(2018 + seed % 8, 12, 31)
        )
        for sim in batch:
            sim.case.number = f"{sim.case.number}-{seed}"  # unique across the years
        sims += batch
        total += sum(1 + len(s.events) for s in batch)
        seed += 1
    print(f"ledger: {len(sims)} cases, {total - len(sims)} events = {total} rows")
    with Ledger.open(tmp / "seed.sqlite3") as seed_ledger:
        seed_ledger.import_histories([(s.case, s.events) for s in sims], "bench")
        paths = [tmp / "ledger.csv", tmp / "ledger.xlsx"]
        for path in paths:
            export_ledger(seed_ledger, path)
    paths.append(excel_style(paths[1], tmp / "ledger-excel.xlsx"))
    for path in paths:
        print(f"  {path.name}: {path.stat().st_size / 1e6:.1f} MB")
    return paths


def excel_style(source: Path, target: Path) -> Path:
    """The export as Excel or WPS saves it: dates as numbers with a date format (openpyxl's
    normal mode writes them so) and every text in a shared-string table."""
    import openpyxl

    book = openpyxl.load_workbook(source)
    book.save(target)
    return shared_strings(target)


SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SST_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def shared_strings(path: Path) -> Path:
    from lxml import etree

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    strings: dict[str, int] = {}
    members = {}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            data = archive.read(name)
            if name.startswith("xl/worksheets/"):
                root = etree.fromstring(data)
                for cell in root.iter(f"{main}c"):
                    if cell.get("t") == "inlineStr":
                        text = "".join(cell.itertext())
                        for child in list(cell):
                            cell.remove(child)
                        cell.set("t", "s")
                        etree.SubElement(cell, f"{main}v").text = str(strings.setdefault(text, len(strings)))
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            elif name == "[Content_Types].xml":
                override = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SST_TYPE}"/>'
                data = data.replace(b"</Types>", f"{override}</Types>".encode())
            elif name == "xl/_rels/workbook.xml.rels":
                rel = f'<Relationship Id="rIdSst" Type="{SST_REL}" Target="sharedStrings.xml"/>'
                data = data.replace(b"</Relationships>", f"{rel}</Relationships>".encode())
            members[name] = data
    items = "".join(f'<si><t xml:space="preserve">{escape(text)}</t></si>' for text in strings)
    members["xl/sharedStrings.xml"] = (
        f'<sst xmlns="{main[1:-1]}" count="{len(strings)}">{items}</sst>'.encode()
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def child(path: str, db: str) -> None:
    from xxgk.ledger.importexport import import_file
    from xxgk.ledger.store import Ledger

    start = time.perf_counter()
    with Ledger.open(db) as ledger:
        cases, events = import_file(ledger, path, "bench", accept_warnings=True)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(
        json.dumps(
            {
                "cases": cases,
                "events": events,
                "wall": time.perf_counter() - start,
                "cpu": usage.ru_utime + usage.ru_stime,
                "rss_mb": peak_rss_mb(usage),
            }
        )
    )


def peak_rss_mb(usage: resource.struct_rusage) -> float:
    """This process's peak RSS. ru_maxrss survives exec on Linux, so a child forked from a big
    parent would report the parent's size; the kernel's VmHWM starts afresh with the program."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return usage.ru_maxrss / 1024


def measure(path: Path, tmp: Path) -> None:
    db = tmp / f"{path.name}.sqlite3"
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(path), str(db)], capture_output=True, text=True
    )
    if out.returncode != 0:
        print(f"  import {path.name}: failed\n{out.stderr}")
        return
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    print(
        f"  import {path.name:<18} {figures['cases']} cases, {figures['events']} events: "
        f"{figures['wall']:6.1f} s wall, {figures['cpu']:6.1f} s CPU, peak RSS {figures['rss_mb']:.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        for path in make_files(args.rows, tmp):
            measure(path, tmp)


if __name__ == "__main__":
    main()
