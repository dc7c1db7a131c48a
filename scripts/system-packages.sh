#!/usr/bin/env bash
# Install the Debian packages the portal and its tests need, when missing.
#   chromium            browser tests (Playwright drives Debian's build; never `playwright install`)
#   fonts-noto-cjk      a real CJK font for pages and PDFs
#   gettext             msgfmt, to compile the translations
#   libpango*, libharfbuzz-subset0   WeasyPrint
#   poppler-utils       pdftotext and pdffonts, with which tests read the PDFs back
#   postgresql-client-15  psql, with which the upgrade test restores its dump
# Runs apt only as root; otherwise it says what is missing and carries on
# (the browser tests then skip, except under CI=true where they fail).
set -euo pipefail

wanted=(chromium fonts-noto-cjk gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils postgresql-client-15)
missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Missing Debian packages (not root, not installing): ${missing[*]}" >&2
fi
