# The two commands of the README. Both set up everything they need first.
.PHONY: run test setup generate bench

setup:
	@./scripts/setup.sh

run: setup
	@go run ./cmd/mlxrepl

test: setup
	@./scripts/test.sh

generate: setup
	@go generate ./...

bench: setup
	@go test -run '^$$' -bench . ./tensor/...
