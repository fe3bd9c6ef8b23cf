package engine

import (
	"context"
	"strings"
)

func isCommand(line string) bool {
	return strings.HasPrefix(line, ":") || strings.HasPrefix(line, "%")
}

func (e *Engine) command(ctx context.Context, line string) Result {
	return Result{Err: &EvalError{Kind: "command", Msg: "unknown command " + line}}
}
