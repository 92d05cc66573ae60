#!/usr/bin/env bash
# Pictures for the README: renders the bundled example report to PDF (xxgk render, WeasyPrint)
# and prints its first page to docs/images/report-page1.png at 100 dpi with pdftoppm.
# Usage: bash scripts/make-doc-images.sh [--all]   (--all: every page, report-page<N>.png)
set -euo pipefail
cd "$(dirname "$0")/.."
XXGK=${XXGK:-.venv/bin/xxgk}
EXAMPLE="examples/示例区司法局-2024-制表符行.txt"
OUT=docs/images

command -v pdftoppm >/dev/null || { echo "需要 pdftoppm：请运行 scripts/setup-system.sh" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$XXGK" render "$EXAMPLE" -o "$tmp/report.pdf" >/dev/null
mkdir -p "$OUT"
if [ "${1:-}" = "--all" ]; then
  pdftoppm -r 100 -gray -png "$tmp/report.pdf" "$tmp/page"
  for f in "$tmp"/page-*.png; do
    n=$(basename "$f" .png); n=$((10#${n#page-}))
    mv "$f" "$OUT/report-page$n.png"
  done
else
  pdftoppm -r 100 -gray -png -f 1 -l 1 -singlefile "$tmp/report.pdf" "$OUT/report-page1"
fi
ls -l "$OUT"
