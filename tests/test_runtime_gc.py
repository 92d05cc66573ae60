"""The CLI's process-wide garbage-collector threshold (xxgk.runtime)."""

from __future__ import annotations

import gc
import subprocess
import sys

from xxgk import cli, runtime


def test_importing_the_library_leaves_the_threshold_alone():
    code = "import gc, xxgk.api, xxgk.cli; print(gc.get_threshold())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "(700, 10, 10)"


def test_the_cli_sets_it_before_any_command(monkeypatch):
    seen = []
    monkeypatch.setattr(cli, "app", lambda: seen.append(gc.get_threshold()))
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        cli.main()
    finally:
        gc.set_threshold(*before)
    assert seen == [runtime.GC_THRESHOLD] == [(10_000, 10, 10)]


def test_a_command_run_as_a_module_runs_with_it():
    code = "import gc, runpy, sys; sys.argv = ['xxgk', '--help']\n"
    code += "try:\n    runpy.run_module('xxgk.cli', run_name='__main__')\nexcept SystemExit:\n    pass\n"
    code += "print(gc.get_threshold())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "(10000, 10, 10)"
