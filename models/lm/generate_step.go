package lm

import (
	"fmt"
	"runtime"

	"github.com/mlx-go/mlx-go/models"
	"github.com/mlx-go/mlx-go/tensor"
)

// stepper is mlx-lm's generate_step: it prefills a prompt in chunks, then
// produces one token per step. Steps are pipelined as mlx-lm pipelines
// them: step n+1's graph is built and scheduled (AsyncEval) from step n's
// still-unread token before step n's token is read, so the host's work
// (detokenizing, stop checks, the caller's code) overlaps the device's.
type stepper struct {
	m      Model
	cache  *Cache
	s      *sampler
	p      *processors
	o      *Options
	tokens *tensor.Array // the sequence so far, kept when a processor needs it
}

func newStepper(m Model, o *Options) (*stepper, error) {
	vocab := m.Config().VocabSize
	s, err := newSampler(o, vocab)
	if err != nil {
		return nil, err
	}
	p, err := newProcessors(o, vocab)
	if err != nil {
		return nil, err
	}
	if o.KVBits != 0 && o.KVBits != 2 && o.KVBits != 3 && o.KVBits != 4 && o.KVBits != 6 && o.KVBits != 8 {
		return nil, fmt.Errorf("kv bits %d: want 2, 3, 4, 6 or 8", o.KVBits)
	}
	cache := o.Cache
	if cache != nil && len(cache.layers) != m.Config().NumLayers {
		return nil, fmt.Errorf("the cache has %d layers, the model %d", len(cache.layers), m.Config().NumLayers)
	}
	if cache == nil {
		cache = m.NewCache()
		if o.MaxKVSize > 0 {
			cache.bound(o.MaxKVSize)
		}
	}
	return &stepper{m: m, cache: cache, s: s, p: p, o: o}, nil
}

// remember appends ids to the token history processors look at.
func (st *stepper) remember(ids *tensor.Array) {
	if !st.p.active() || ids.Dim(0) == 0 {
		return
	}
	if st.tokens == nil {
		st.tokens = ids.Clone() // the caller may free ids
		return
	}
	st.tokens = replace(st.tokens, tensor.Concatenate([]*tensor.Array{st.tokens, ids}))
}

// prefill runs all but the last prompt token through the model, chunk by
// chunk, evaluating only the cache, and returns the rest of the prompt.
// progress (may be nil) is told the positions processed so far.
func (st *stepper) prefill(prompt []int, interrupted func() error, progress func(done int)) ([]int, error) {
	for len(prompt) > 1 {
		if err := interrupted(); err != nil {
			return nil, err
		}
		n := min(st.o.PrefillStepSize, len(prompt)-1)
		ids := tensor.FromInts(prompt[:n], n)
		in := tensor.Reshape(ids, []int{1, n})
		release(in, st.m.Forward(in, st.cache)) // only the cache is evaluated
		quantizeCache(st.cache, st.o.QuantizedKVStart, st.o.KVGroupSize, st.o.KVBits)
		releaseGarbage(st.m.Config(), n)
		tensor.Eval(st.cache.state()...)
		st.remember(ids)
		prompt = prompt[n:]
		if progress != nil {
			progress(n)
		}
		tensor.ClearCache()
	}
	return prompt, nil
}

// step feeds ids [L] and returns the next token [1], unevaluated. It
// samples from log-probabilities, as mlx-lm does (argmax of logits minus
// their logsumexp: skipping the subtraction could break rounding ties
// differently), and frees the step's intermediates (see release).
func (st *stepper) step(ids *tensor.Array) *tensor.Array {
	l := ids.Dim(0)
	in := tensor.Reshape(ids, []int{1, l})
	out := st.m.Forward(in, st.cache)
	last := out // a decode step's one position is the last
	if l != 1 {
		last = out.Slice(1, l-1, l, 1)
	}
	logits := tensor.Squeeze(last, tensor.Axis(1)) // [1, vocab]
	release(in, out, last)
	if st.p.active() && l > 0 {
		st.remember(ids)
		logits = replace(logits, st.p.apply(st.tokens, logits))
	}
	quantizeCache(st.cache, st.o.QuantizedKVStart, st.o.KVGroupSize, st.o.KVBits)
	lse := tensor.Logsumexp(logits, tensor.Axis(-1), tensor.KeepDims(true))
	logprobs := tensor.Subtract(logits, lse)
	defer release(logits, lse, logprobs)
	return st.s.sample(logprobs)
}

func (st *stepper) free() {
	st.s.free()
	st.p.free()
	st.tokens.Free()
}

// releaseGarbage lets MLX free a forward pass's intermediates while it
// evaluates them. Go holds a handle on every array the pass made until
// the garbage collector finds it unreachable, and a held intermediate
// stays allocated through the whole evaluation (Python's reference
// counting drops them at once): on a long prompt chunk that is tens of
// megabytes of peak memory. The handles of collected arrays are freed at
// the next MLX call. A collection costs milliseconds, so it is skipped
// when the chunk's intermediates are small (about n tokens × the layers'
// activation widths).
func releaseGarbage(c *models.Config, n int) {
	const worthIt = 8 << 20 // bytes
	if n*c.NumLayers*(6*c.HiddenSize+3*c.IntermediateSize)*4 < worthIt {
		return
	}
	runtime.GC()
	runtime.Gosched() // let the cleanups queue the handles
}
