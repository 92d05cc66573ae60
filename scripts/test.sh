#!/usr/bin/env bash
# Sets up everything the test suite needs on a fresh machine, then runs it.
# This is the README's test command, and exactly what .ci/run calls.
set -euo pipefail
cd "$(dirname "$0")/.."
# System programs for real documents (LibreOffice, Tesseract, fonts, poppler).
bash scripts/setup-system.sh
PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
.venv/bin/ruff check src tests bench fuzz
.venv/bin/python -m pytest "$@"
