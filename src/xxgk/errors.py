"""The one error type readers raise: a Chinese message that names the file and the problem."""

from __future__ import annotations


class XxgkError(Exception):
    """An input xxgk cannot use. `str()` is one line for the user, in Chinese."""

    def __init__(self, message: str, path: str | None = None):
        super().__init__(message)
        self.message = message
        self.path = path

    def __str__(self) -> str:
        return f"{self.path}：{self.message}" if self.path else self.message


class InputError(XxgkError):
    """The input file is unreadable: empty, binary, too large, undecodable."""
