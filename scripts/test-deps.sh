#!/usr/bin/env bash
# Installs the Python peers the tests compare against (pinned in
# requirements-test.txt) into .venv; a no-op when nothing changed.
set -euo pipefail
# The JupyterLab test renders the notebook in headless Chromium (Debian's).
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "test-deps: installing chromium (JupyterLab screenshot test)"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "test-deps: chromium is missing: install it (e.g. apt-get install chromium); the JupyterLab test needs it" >&2
  fi
fi
root=$(cd "$(dirname "$0")/.." && pwd)
req="$root/scripts/requirements-test.txt"
stamp="$root/.venv/.test-deps-stamp"
want=$(sha256sum "$req" | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then exit 0; fi
echo "test-deps: installing Python test peers into .venv"
"$root/.venv/bin/python" -m pip install -q --disable-pip-version-check -r "$req"
echo "$want" >"$stamp"
