#!/usr/bin/env bash
# Writes the README's pictures of the web app, docs/images/web-report.png (a checked report with
# its wrong cells marked) and docs/images/web-list.png (the report list), from the screenshots the
# browser test takes (tests/web/test_e2e.py, SQLite half). Needs Chromium (scripts/setup-system.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p docs/images
XXGK_WEB_IMAGES="$PWD/docs/images" .venv/bin/python -m pytest -q -p no:cacheprovider tests/web/test_e2e.py -k sqlite
ls -l docs/images/web-report.png docs/images/web-list.png
