"""Process-wide settings for xxgk's own processes (the CLI and the workers it forks).

Never applied on import: a program that imports the library keeps its own settings.
"""

from __future__ import annotations

import gc

# Parsing and checking a report makes and drops thousands of short-lived container objects
# (tokens, cells, lines, findings). At Python's default first-generation threshold (700) the
# collector runs several times per report, each time walking what survived: about 12 % of
# the CPU of parse + check (bench/parse_check.py prints both figures). At 10,000 it runs about
# once per few reports; the cyclic garbage waiting for it stays under a few MiB.
GC_THRESHOLD = (10_000, 10, 10)


def tune_gc() -> None:
    gc.set_threshold(*GC_THRESHOLD)
