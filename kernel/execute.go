package kernel

import (
	"context"
	"encoding/json"

	"github.com/mlx-go/mlx-go/interrupt"
)

type executeRequest struct {
	Code            string            `json:"code"`
	Silent          bool              `json:"silent"`
	StoreHistory    *bool             `json:"store_history"`
	UserExpressions map[string]string `json:"user_expressions"`
	AllowStdin      *bool             `json:"allow_stdin"`
	StopOnError     *bool             `json:"stop_on_error"`
}

// orTrue reads an optional protocol flag whose default is true.
func orTrue(b *bool) bool { return b == nil || *b }

// execute runs one cell: execute_input, the cell's live output, then its
// result or error, and the reply last, after every output was flushed.
func (k *Kernel) execute(m *Message) {
	sock := k.sockets.shell
	var r executeRequest
	if err := json.Unmarshal(m.Content, &r); err != nil {
		k.reply(sock, m, "execute_reply", withCount(errorContent("BadRequest", "execute_request content: "+err.Error(), nil), k.count))
		return
	}
	store := orTrue(r.StoreHistory) && !r.Silent
	if store {
		k.count++
	}
	parent := m.rawHeader()
	k.parent.Store(&parent)
	if !r.Silent {
		k.publish("execute_input", parent, map[string]any{"code": r.Code, "execution_count": k.count})
	}

	if topic, ok := pagerTopic(r.Code); ok {
		k.page(m, topic, store, r.Code)
		return
	}

	res := k.run(m, r.Code, orTrue(r.AllowStdin))
	if res.Err != nil {
		content := errorContent(errorName(res.Err.Kind), res.Err.Error(), traceback(res.Err, r.Code))
		k.publish("error", parent, content)
		k.reply(sock, m, "execute_reply", withCount(content, k.count))
		if store { // after the reply: the file write is not the user's wait
			k.history.add(k.count, r.Code, nil)
		}
		if orTrue(r.StopOnError) {
			k.abortQueued = len(k.queue)
		}
		return
	}
	var output *string
	if res.Value != nil {
		output = &res.Value.Text
		if !r.Silent {
			k.publish("execute_result", parent, map[string]any{
				"execution_count": k.count, "data": bundle(res.Value), "metadata": map[string]any{}})
		}
	}
	k.reply(sock, m, "execute_reply", map[string]any{
		"status": "ok", "execution_count": k.count, "payload": []any{},
		"user_expressions": k.userExpressions(m, r.UserExpressions),
	})
	if store { // after the reply: the file write is not the user's wait
		k.history.add(k.count, r.Code, output)
	}
}

// run evaluates src as the running cell: interruptible, with its output
// flushed before it returns.
func (k *Kernel) run(m *Message, src string, allowStdin bool) Result {
	ev, err := k.evaluator()
	if err != nil {
		return Result{Err: &EvalError{Kind: "engine", Msg: "the Go engine did not start: " + err.Error()}}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	k.runMu.Lock()
	k.cancelRun = cancel
	k.input.begin(m, allowStdin)
	k.runMu.Unlock()
	interrupt.Clear()
	k.out.Repair()

	res := ev.Eval(ctx, src)

	k.runMu.Lock()
	k.cancelRun = nil
	k.input.end()
	k.runMu.Unlock()
	flushC()
	k.out.Flush()
	return res
}

// bundle is the mime bundle of a value: its text plus any rich forms.
func bundle(v *Value) map[string]any {
	data := map[string]any{"text/plain": v.Text}
	for mime, content := range v.Rich {
		data[mime] = content
	}
	return data
}

// userExpressions evaluates the expressions a front end asked for with the
// cell, each to a mime bundle or an error.
func (k *Kernel) userExpressions(m *Message, exprs map[string]string) map[string]any {
	out := map[string]any{}
	for name, expr := range exprs {
		res := k.run(m, expr, false)
		switch {
		case res.Err != nil:
			out[name] = errorContent(errorName(res.Err.Kind), res.Err.Error(), traceback(res.Err, expr))
		case res.Value == nil:
			out[name] = map[string]any{"status": "ok", "data": map[string]any{"text/plain": ""}, "metadata": map[string]any{}}
		default:
			out[name] = map[string]any{"status": "ok", "data": bundle(res.Value), "metadata": map[string]any{}}
		}
	}
	return out
}

func withCount(content map[string]any, count int) map[string]any {
	content["execution_count"] = count
	return content
}

// abort answers an execute_request that was queued behind a failed cell
// run with stop_on_error: it is not run, as the protocol asks.
func (k *Kernel) abort(m *Message) {
	k.reply(k.sockets.shell, m, "execute_reply", map[string]any{"status": "aborted", "execution_count": k.count})
}
