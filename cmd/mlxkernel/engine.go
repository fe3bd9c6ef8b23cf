package main

import (
	"context"

	"github.com/mlx-go/mlx-go/engine"
	"github.com/mlx-go/mlx-go/kernel"
)

// engineEvaluator adapts mlx-go's engine to the kernel's Evaluator.
type engineEvaluator struct{ *engine.Engine }

func newEngine(io kernel.IO) (kernel.Evaluator, error) {
	e, err := engine.New(engine.Options{
		Stdout: io.Stdout,
		Stderr: io.Stderr,
		Stdin:  io.Stdin,
		Display: func(d engine.Display) {
			io.Display(kernel.Display{Data: d.Data, Metadata: d.Metadata, ID: d.ID, Update: d.Update, Clear: d.Clear, Wait: d.Wait})
		},
	})
	if err != nil {
		return nil, err
	}
	return engineEvaluator{e}, nil
}

func (e engineEvaluator) Eval(ctx context.Context, src string) kernel.Result {
	r := e.Engine.Eval(ctx, src)
	var out kernel.Result
	if r.Value != nil {
		out.Value = &kernel.Value{Text: r.Value.Text, Rich: r.Value.Rich}
	}
	if r.Err != nil {
		out.Err = &kernel.EvalError{Kind: r.Err.Kind, Msg: r.Err.Msg, Line: r.Err.Line, Col: r.Err.Col, Trace: r.Err.Trace}
	}
	return out
}
