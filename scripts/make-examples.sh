#!/usr/bin/env bash
# Renders every report source in examples/编制/ to DOCX, HTML, Markdown and PDF beside it with
# `xxgk render`, the files the README shows. tests/test_examples_current.py fails when they are
# stale: run this after changing a source or the renderers.
set -euo pipefail
cd "$(dirname "$0")/.."
XXGK=${XXGK:-.venv/bin/xxgk}
for source in examples/编制/*.yaml; do
  stem=${source%源文件.yaml}
  stem=${stem%.yaml}
  for ext in docx html md pdf; do
    "$XXGK" render "$source" -o "$stem.$ext"
  done
done
