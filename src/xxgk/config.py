"""Per-project defaults for `xxgk check`: `xxgk.toml`, or `[tool.xxgk]` in `pyproject.toml`.

    # xxgk.toml
    select = ["XG1", "XG2"]      # rule codes or prefixes (default: all)
    ignore = ["XG503"]
    fail-on = "warning"          # error (default) | warning | info
    [options]
    similarity_threshold = 0.85

The nearest file found from the working directory upwards is used; `--config` names one.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import XxgkError

SEVERITY_LEVELS = ("error", "warning", "info")
_KEYS = {"select", "ignore", "fail-on", "fail_on", "options"}


@dataclass
class Config:
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    fail_on: str = "error"
    options: dict[str, Any] = field(default_factory=dict)
    path: str | None = None


def find_config(start: Path | None = None) -> Path | None:
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "xxgk.toml"
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "[tool.xxgk" in pyproject.read_text(encoding="utf-8", errors="replace"):
            return pyproject
    return None


def load_config(path: Path | None) -> Config:
    if path is None:
        return Config()
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise XxgkError(f"无法读取配置文件（{exc.strerror}）", str(path)) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise XxgkError(f"配置文件格式错误：{exc}", str(path)) from None
    if Path(path).name == "pyproject.toml":
        data = data.get("tool", {}).get("xxgk", {})
    return _config_from(data, str(path))


def _config_from(data: dict[str, Any], path: str) -> Config:
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise XxgkError(
            f"配置文件中有未知的设置项：{'、'.join(unknown)}（可用：select、ignore、fail-on、options）", path
        )
    config = Config(path=path)
    config.select = _codes(data.get("select", []), "select", path)
    config.ignore = _codes(data.get("ignore", []), "ignore", path)
    config.fail_on = str(data.get("fail-on", data.get("fail_on", "error")))
    if config.fail_on not in SEVERITY_LEVELS:
        raise XxgkError(f"fail-on 应为 error、warning 或 info，而不是“{config.fail_on}”", path)
    options = data.get("options", {})
    if not isinstance(options, dict):
        raise XxgkError("options 应为一个表（[options]）", path)
    config.options = dict(options)
    return config


def _codes(value: Any, key: str, path: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise XxgkError(f'{key} 应为规则代码列表，例如 ["XG1", "XG501"]', path)
    return [v.strip().upper() for v in value]
