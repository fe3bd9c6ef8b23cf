#!/usr/bin/env bash
# Installs the Python peers the tests compare against (pinned in
# requirements-test.txt) into .venv; a no-op when nothing changed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
req="$root/scripts/requirements-test.txt"
stamp="$root/.venv/.test-deps-stamp"
want=$(sha256sum "$req" | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then exit 0; fi
echo "test-deps: installing Python test peers into .venv"
"$root/.venv/bin/python" -m pip install -q --disable-pip-version-check -r "$req"
echo "$want" >"$stamp"
