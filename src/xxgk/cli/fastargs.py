"""Start-up: plain command-line values coerced without pydantic.

Typer (0.2x) coerces every parameter through a pydantic `TypeAdapter`: importing pydantic
and building the adapters of one command costs ~45 ms of CPU on every run, a fifth of
`xxgk check one.txt`. The values our commands take are plain — text, lists of text,
flags, whole numbers, a choice from a `StrEnum` — and a valid one is returned here as
typer would return it. Anything else (another annotation, a parser, a value these do not
accept) goes to typer's own coercion, built when first needed, so every error message is
typer's. On a typer without this machinery `install()` does nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any, get_args, get_origin

_ORIGINAL: list[Any] = []


def install() -> None:
    try:
        from typer import _coercion, core
    except ImportError:  # an older typer: parameters are plain click types already
        return
    build = getattr(core, "build_runtime_param", None)
    runtime = getattr(_coercion, "RuntimeParam", None)
    if build is None or runtime is None or _ORIGINAL:
        return
    _ORIGINAL.append(build)
    core.build_runtime_param = _build(runtime)


def _build(runtime: type):
    @dataclass(frozen=True)
    class PlainParam(runtime):  # type: ignore[misc, valid-type]
        descriptor: Any = None
        fallback: list = None  # type: ignore[assignment]  # typer's own coercion, built once

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            plain = _plain(self.annotation, self.parameter_info, value)
            if plain is not _NO:
                return plain
            if not self.fallback:
                self.fallback.append(_ORIGINAL[0](self.descriptor))
            return self.fallback[0]._coerce_value(value, param=param, ctx=ctx)

    def build(descriptor: Any):
        info = descriptor.parameter_info
        if descriptor.file_annotation is not None or getattr(info, "parser", None) is not None:
            return _ORIGINAL[0](descriptor)
        if not _supported(descriptor.annotation):
            return _ORIGINAL[0](descriptor)
        return PlainParam(info, descriptor.annotation, descriptor=descriptor, fallback=[])

    return build


_NO = object()


def _supported(annotation: Any) -> bool:
    if get_origin(annotation) is list:
        return get_args(annotation) == (str,)
    return annotation in (str, bool, int) or (isinstance(annotation, type) and issubclass(annotation, Enum))


def _plain(annotation: Any, info: Any, value: Any) -> Any:
    """The coerced value, or _NO when typer's own coercion must decide."""
    if annotation is str:
        return value if isinstance(value, str) else _NO
    if annotation is bool:
        return value if isinstance(value, bool) else _NO
    if annotation is int:
        return _integer(info, value)
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return _choice(annotation, info, value)
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return list(value)
    return _NO


def _integer(info: Any, value: Any) -> Any:
    if isinstance(value, str) and value.isascii() and value.isdigit():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or getattr(info, "clamp", False):
        return _NO
    low, high = getattr(info, "min", None), getattr(info, "max", None)
    if (low is not None and value < low) or (high is not None and value > high):
        return _NO
    return value


def _choice(annotation: type[Enum], info: Any, value: Any) -> Any:
    if isinstance(value, annotation):
        return value
    if not getattr(info, "case_sensitive", True) or not isinstance(value, str):
        return _NO
    for member in annotation:
        if member.value == value:
            return member
    return _NO
