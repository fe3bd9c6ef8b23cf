#!/usr/bin/env bash
# The whole test suite (README: `make test`). CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/test-deps.sh

echo "== gofmt"
bad=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.venv/*'))
if [ -n "$bad" ]; then echo "gofmt would change: $bad"; exit 1; fi

echo "== generated code is current"
go generate ./...
if command -v git >/dev/null && git rev-parse --git-dir >/dev/null 2>&1; then
  if ! git diff --exit-code --stat -- '*_gen.*' 'symbols/' >/dev/null; then
    git diff --stat -- '*_gen.*' 'symbols/'
    echo "generated files are stale: run 'make generate' and commit"; exit 1
  fi
fi

echo "== go vet"
go vet ./...

echo "== go test"
go test -count=1 -timeout 30m ./...
