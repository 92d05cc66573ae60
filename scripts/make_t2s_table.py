"""Write src/xxgk/text/t2s_table.py: the characters the installed OpenCC's t2s changes.

Run after upgrading OpenCC (xxgk warns at run time when the table does not match it):
    python scripts/make_t2s_table.py
"""

from __future__ import annotations

from pathlib import Path

import opencc

from xxgk.text.t2s_changes import changed_alone, opencc_fingerprint, table_source

TABLE = Path(__file__).resolve().parents[1] / "src" / "xxgk" / "text" / "t2s_table.py"


def main() -> None:
    changed = changed_alone(opencc.OpenCC("t2s").convert)
    if changed is None:
        raise SystemExit("this OpenCC's t2s maps a line break: no table can be made")
    version, sizes = opencc_fingerprint()
    TABLE.write_text(table_source(version, sizes, changed), encoding="utf-8")
    print(f"{TABLE}: {len(changed)} characters, OpenCC {version}")


if __name__ == "__main__":
    main()
