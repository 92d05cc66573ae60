#!/usr/bin/env bash
# Installs the system programs xxgk uses for real documents (Debian/Ubuntu):
#   LibreOffice (old .doc/.wps -> .docx, DOCX -> PDF), Tesseract with Simplified Chinese
#   (scanned PDFs and images), Noto CJK fonts (PDF rendering), poppler-utils (pdftoppm),
#   Pango and HarfBuzz subsetting (WeasyPrint: text layout and fast font subsets for PDF output), PostgreSQL (the ledger's server option;
#   the tests start their own throw-away cluster with it), Chromium (the web app's end-to-end tests drive
#   it headless through Playwright; never `playwright install`).
# Needs root (or sudo). Safe to run again: installed packages are skipped.
set -euo pipefail
PACKAGES=(libreoffice-writer-nogui tesseract-ocr tesseract-ocr-chi-sim fonts-noto-cjk poppler-utils
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 postgresql chromium)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
