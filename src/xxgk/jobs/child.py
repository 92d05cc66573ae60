"""What runs in a job's child process: read the uploaded bytes into a Report. Kept apart so
the child imports only the readers; the parent enforces the time limit and kills it."""

from __future__ import annotations

from typing import Any

from ..errors import XxgkError

CRASH = "读取时程序出错"


def read_upload(conn: Any, content: bytes, filename: str) -> None:
    """Send ("ok", Report) or ("error", Chinese message) through `conn`."""
    from ..api import load_report_bytes

    try:
        conn.send(("stage", "reading"))
        result: tuple[str, Any] = ("ok", load_report_bytes(content, filename))
    except XxgkError as err:
        result = ("error", err.message)
    except RecursionError:
        result = ("error", "文件结构嵌套过深，无法读取")
    except MemoryError:
        result = ("error", "文件过于复杂，读取时内存不足")
    except Exception as err:  # a reader bug must fail the job, not the worker
        result = ("error", f"{CRASH}（{type(err).__name__}）")
    conn.send(result)
    conn.close()
