#!/usr/bin/env bash
# Pictures for the README: renders the compiled example (its YAML source) to PDF (xxgk render, WeasyPrint)
# and prints pages to docs/images/report-page<N>.png at 100 dpi with pdftoppm: page 1 (title,
# preamble, text) and page 3 (表三), the two the README shows.
# Usage: bash scripts/make-doc-images.sh [--all]   (--all: every page)
set -euo pipefail
cd "$(dirname "$0")/.."
XXGK=${XXGK:-.venv/bin/xxgk}
EXAMPLE="examples/编制/示例区司法局-2025-年度报告源文件.yaml"
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
  for n in 1 3; do
    pdftoppm -r 100 -gray -png -f "$n" -l "$n" -singlefile "$tmp/report.pdf" "$OUT/report-page$n"
  done
fi
ls -l "$OUT"
