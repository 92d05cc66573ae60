"""Command line: thin verbs over the library (xxgk.api), one module per family of commands."""

from __future__ import annotations

from ..runtime import tune_gc
from . import batchcmds, compilecmds, deadlinecmds, ledgercmds, reportcmds, webcmds  # noqa: F401  (register commands on `app`)
from .common import app


def main() -> None:
    tune_gc()  # before any command: forked workers inherit it
    app()


__all__ = ["app", "main"]
