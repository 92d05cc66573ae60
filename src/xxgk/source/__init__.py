"""The report source: a YAML file a clerk edits by hand, from which the report is rendered.

`load_source(path) -> Report`, `dump_source(report) -> str`, `write_source(report, path)`;
`starter_report(agency, year, previous)` is what `xxgk new` writes. Paragraphs marked
“自动生成” are written from the numbers each time a source is loaded (narrative.py); the
standard preamble from meta and the contact details (preamble.py).
"""

from __future__ import annotations

from .narrative import GENERATORS, FeeFigures
from .starter import PLACEHOLDER, open_placeholders, starter_report
from .yamlread import load_source, loads_source
from .yamlwrite import dump_source, front_matter, write_source

SOURCE_SUFFIXES = (".yaml", ".yml")

__all__ = [
    "GENERATORS",
    "PLACEHOLDER",
    "SOURCE_SUFFIXES",
    "FeeFigures",
    "dump_source",
    "front_matter",
    "load_source",
    "loads_source",
    "open_placeholders",
    "starter_report",
    "write_source",
]
