package lm

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/mlx-go/mlx-go/tensor"
)

// A batch runs several prompts through the model at once, left-padded to
// the longest (mlx-lm's BatchKVCache layout): each row's cache and
// attention mask exclude its padding, so a row computes what it would
// alone. Positions are shifted by the padding, which rotary embeddings do
// not see (they depend on relative positions) beyond rounding.

// batch is a left-padded batch of prompts and its cache.
type batch struct {
	ids     [][]int
	width   int
	leftPad []int
	cache   *Cache
}

func newBatch(m Model, prompts [][]int) (*batch, error) {
	if len(prompts) == 0 {
		return nil, errors.New("lm: no prompts")
	}
	b := &batch{ids: prompts}
	for i, p := range prompts {
		if len(p) == 0 {
			return nil, fmt.Errorf("lm: prompt %d is empty", i)
		}
		if err := checkIDs(p, m.Config().VocabSize); err != nil {
			return nil, fmt.Errorf("prompt %d: %w", i, err)
		}
		b.width = max(b.width, len(p))
	}
	pads := make([]int32, len(prompts))
	for i, p := range prompts {
		b.leftPad = append(b.leftPad, b.width-len(p))
		pads[i] = int32(b.width - len(p))
	}
	// Every layer keeps all its keys; a sliding layer's window is masked.
	b.cache = m.NewCache()
	for i := range b.cache.layers {
		b.cache.layers[i] = &kvCache{leftPad: tensor.FromInt32s(pads, len(pads))}
	}
	return b, nil
}

// columns are positions [from, to) of the padded prompts, [B, to-from];
// padding repeats a row's first token (harmless in a repetition penalty's
// window, which counts each token once).
func (b *batch) columns(from, to int) *tensor.Array {
	flat := make([]int, 0, len(b.ids)*(to-from))
	for i, p := range b.ids {
		for j := from; j < to; j++ {
			k := max(j-b.leftPad[i], 0)
			flat = append(flat, p[k])
		}
	}
	return tensor.FromInts(flat, len(b.ids), to-from)
}

// prefill runs all padded positions but the last in chunks and returns
// the logits of the last, [B, vocab].
func (b *batch) prefill(m Model, step int, interrupted func() error) (*tensor.Array, error) {
	for done := 0; ; {
		if err := interrupted(); err != nil {
			return nil, err
		}
		n := min(step, b.width-done)
		logits := m.Forward(b.columns(done, done+n), b.cache)
		done += n
		if done == b.width {
			return tensor.Squeeze(logits.Slice(1, n-1, n, 1), tensor.Axis(1)), nil
		}
		releaseGarbage(m.Config(), n*len(b.ids))
		tensor.Eval(b.cache.state()...)
		tensor.ClearCache()
	}
}

// Classify runs each prompt once (no generation) and returns every
// prompt's next-token logits, [len(prompts), vocab] float32, computed as
// one left-padded batch.
func (l *LLM) Classify(ctx context.Context, prompts [][]int, opts ...Option) (logits *tensor.Array, err error) {
	b, err := newBatch(l.Model, prompts)
	if err != nil {
		return nil, err
	}
	defer b.cache.Free()
	o := resolve(opts)
	g := &Generation{ctx: orBackground(ctx)}
	terr := tensor.Try(func() {
		var out *tensor.Array
		if out, err = b.prefill(l.Model, o.PrefillStepSize, g.interrupted); err == nil {
			logits = tensor.AsType(out, tensor.Float32).Eval()
		}
	})
	if terr != nil {
		return nil, fmt.Errorf("lm: classify failed: %w", terr)
	}
	return logits, err
}

// ClassifyText is Classify of texts, encoded as Generate encodes them.
func (l *LLM) ClassifyText(ctx context.Context, prompts []string, opts ...Option) (*tensor.Array, error) {
	return l.Classify(ctx, l.encodeAll(prompts), opts...)
}

func (l *LLM) encodeAll(prompts []string) [][]int {
	ids := make([][]int, len(prompts))
	for i, p := range prompts {
		ids[i] = l.Encode(p)
	}
	return ids
}

func orBackground(ctx context.Context) context.Context {
	if ctx == nil {
		return context.Background()
	}
	return ctx
}

// BatchResult is one prompt's generation in a batch.
type BatchResult struct {
	IDs          []int
	Text         string
	FinishReason string // "stop" or "length"
}

// BatchGenerateText generates from several text prompts at once.
func (l *LLM) BatchGenerateText(ctx context.Context, prompts []string, opts ...Option) ([]BatchResult, error) {
	return l.BatchGenerate(ctx, l.encodeAll(prompts), opts...)
}

// BatchGenerate generates from several tokenized prompts at once, until
// every one has stopped. Greedy results equal single-prompt runs; with
// sampling each row draws from the same generator, so a seed reproduces
// the batch, not the single runs. Options as Generate's, except the cache
// options (MaxKVSize, KVBits, WithCache).
func (l *LLM) BatchGenerate(ctx context.Context, prompts [][]int, opts ...Option) ([]BatchResult, error) {
	o := resolve(opts)
	if o.MaxKVSize > 0 || o.KVBits > 0 || o.Cache != nil {
		return nil, errors.New("lm: BatchGenerate does not take MaxKVSize, KVBits or a prompt cache")
	}
	b, err := newBatch(l.Model, prompts)
	if err != nil {
		return nil, err
	}
	defer b.cache.Free()
	st, err := newStepper(l.Model, &o)
	if err != nil {
		return nil, fmt.Errorf("lm: %w", err)
	}
	defer st.free()
	st.cache = b.cache
	g := &Generation{llm: l, ctx: orBackground(ctx)}
	var results []BatchResult
	// On the compile thread, as Generation's loop (see loop): the batch's
	// loop runs no caller code, so all of it goes there.
	terr := tensor.Try(func() {
		tensor.RunOnCompileThread(func() { results, err = l.batchLoop(b, st, &o, g.interrupted) })
	})
	if terr != nil {
		return nil, fmt.Errorf("lm: batch generation failed: %w", terr)
	}
	return results, err
}

func (l *LLM) batchLoop(b *batch, st *stepper, o *Options, interrupted func() error) ([]BatchResult, error) {
	rows := len(b.ids)
	logits, err := b.prefill(l.Model, o.PrefillStepSize, interrupted)
	if err != nil {
		return nil, err
	}
	if st.p.active() {
		st.tokens = b.columns(0, b.width)
	}
	y := st.sampleRows(logits)
	tensor.AsyncEval(y)
	stops := o.StopTokens
	if stops == nil {
		stops = l.EOS
	}
	results := make([]BatchResult, rows)
	outs := make([]*textOut, rows)
	for i := range outs {
		outs[i] = newTextOut(l, o.StopStrings)
	}
	running := rows
	var pending *tensor.Array
	defer func() {
		if pending != nil {
			tensor.Eval(pending)
		}
	}()
	for n := 0; running > 0; n++ {
		if err := interrupted(); err != nil {
			return nil, err
		}
		last := n+1 == o.MaxTokens
		pending = nil
		if !last {
			in := tensor.Reshape(y, []int{rows, 1})
			pending = st.sampleRows(tensor.Squeeze(l.Model.Forward(in, st.cache), tensor.Axis(1)), in)
			tensor.AsyncEval(pending)
		}
		ids := y.Ints()
		for i, id := range ids {
			r := &results[i]
			if r.FinishReason != "" {
				continue
			}
			if slices.Contains(stops, id) {
				r.Text += outs[i].flush()
				r.FinishReason, running = "stop", running-1
				continue
			}
			text, stopped := outs[i].add(id, last)
			r.Text += text
			r.IDs = append(r.IDs, id)
			switch {
			case stopped:
				r.FinishReason, running = "stop", running-1
			case last:
				r.FinishReason, running = "length", running-1
			}
		}
		y = pending
	}
	return results, nil
}

// sampleRows processes and samples next-token logits [B, vocab]; fed
// [B, 1] are the tokens just given to the model, for the history.
func (st *stepper) sampleRows(logits *tensor.Array, fed ...*tensor.Array) *tensor.Array {
	if st.p.active() {
		if len(fed) > 0 {
			st.tokens = replace(st.tokens, tensor.Concatenate([]*tensor.Array{st.tokens, fed[0]}, tensor.Axis(1)))
		}
		logits = st.p.apply(st.tokens, logits)
	}
	logprobs := tensor.Subtract(logits, tensor.Logsumexp(logits, tensor.Axis(-1), tensor.KeepDims(true)))
	return st.s.sample(logprobs)
}
