"""Telling a damaged file from a bug: where an exception was raised.

A library that parses a damaged file fails in its own code, with whatever exception its
authors wrote or Python raised there (KeyError, TypeError, struct.error, a LookupError for
an unknown encoding, a TypeError from os.path.join called with None…). Readers turn those
into one InputError about the file. An exception raised in our own code is a bug and must
reach the CLI's "内部错误" line instead. So the test is the traceback: below the deepest
frame of our own code, did the exception pass through one of the libraries?
"""

from __future__ import annotations

_OWN = __name__.split(".", 1)[0]  # "xxgk"


def raised_in(exc: BaseException, packages: tuple[str, ...]) -> bool:
    """Whether `exc` was raised inside one of the top-level `packages` (e.g. "pdfminer"),
    called from our code: a frame of theirs lies deeper than our deepest frame."""
    tops = []
    tb = exc.__traceback__
    while tb is not None:
        tops.append(tb.tb_frame.f_globals.get("__name__", "").split(".", 1)[0])
        tb = tb.tb_next
    ours = max((i for i, top in enumerate(tops) if top == _OWN), default=-1)
    return any(top in packages for top in tops[ours + 1 :])


__all__ = ["raised_in"]
