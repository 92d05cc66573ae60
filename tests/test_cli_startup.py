"""Start-up: a command imports only what it uses (issue 13). Nothing here times anything; the
tests look at which modules a fresh interpreter has loaded, and keep the constants the CLI
mirrors (to avoid importing the ledger for a help text) equal to the library's."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from xxgk.cli import app, compilecmds, lettercmds

EXAMPLE = str(Path(__file__).resolve().parents[1] / "examples" / "示例区司法局-2024-制表符行.txt")


def _loaded_after(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running `code`."""
    script = f"import sys, json\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_importing_the_cli_loads_no_library_code():
    loaded = _loaded_after("import xxgk.cli")
    heavy = {"xxgk.extract", "xxgk.check", "xxgk.api", "xxgk.ledger.calendar", "xxgk.ledger.domain", "yaml"}
    assert not heavy & loaded
    assert not {m for m in loaded if m.startswith(("xxgk.render", "xxgk.source", "sqlalchemy", "pydantic"))}


def test_check_jsonl_loads_neither_pydantic_nor_rich_nor_the_pdf_and_yaml_code():
    code = (
        "from xxgk.cli import main\n"
        f"sys.argv = ['xxgk', 'check', {EXAMPLE!r}, '--format', 'jsonl']\n"
        "import contextlib, io\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n        main()\n    except SystemExit:\n        pass"
    )
    loaded = _loaded_after(code)
    assert "xxgk.check" in loaded  # it did run
    unwanted = ("pydantic", "rich", "yaml", "xxgk.read.pdf", "xxgk.read.layout", "xxgk.extract.gluedfit", "email")
    assert not {m for m in loaded if m.startswith(unwanted)}


def test_mirrored_constants_equal_the_library():
    from xxgk.ledger.calendar import CALENDAR_ENV
    from xxgk.ledger.letters import LETTERS
    from xxgk.ledger.settings import ENV_DB
    from xxgk.source import SOURCE_SUFFIXES

    assert lettercmds.CALENDAR_ENV == CALENDAR_ENV
    assert lettercmds.LETTERS == LETTERS
    assert lettercmds.ENV_DB == ENV_DB
    assert compilecmds.SOURCE_SUFFIXES == SOURCE_SUFFIXES


def test_plain_values_and_typer_errors_for_bad_ones():
    """fastargs coerces valid plain values; a bad value still gets typer's own message."""
    runner = CliRunner()
    ok = runner.invoke(app, ["check", EXAMPLE, "-f", "jsonl", "--jobs", "1", "--select", "XG1"])
    assert ok.exit_code in (0, 1) and json.loads(ok.stdout)["schema"] == "xxgk.report/1"
    bad_choice = runner.invoke(app, ["check", EXAMPLE, "-f", "bogus"])
    assert bad_choice.exit_code == 2 and "bogus" in bad_choice.output
    bad_jobs = runner.invoke(app, ["check", EXAMPLE, "--jobs", "0"])
    assert bad_jobs.exit_code == 2 and "--jobs" in bad_jobs.output
