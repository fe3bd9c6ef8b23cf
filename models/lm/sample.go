package lm

import (
	"fmt"
	"math"

	"github.com/mlx-go/mlx-go/tensor"
)

// sampler picks the next token from log-probabilities [B, vocab], as
// mlx-lm's make_sampler: greedy at temperature 0, else the filters top-p,
// min-p and top-k, in that order, then a categorical draw at the
// temperature. Draws use MLX's generator the way mlx-lm does (one split of
// the key per draw), so a seed gives mlx-lm's tokens.
type sampler struct {
	temp    float64
	topP    float64 // (0, 1): nucleus sampling
	minP    float64 // > 0: drop tokens below minP × the top probability
	minKeep int     // tokens min-p always keeps
	topK    int     // > 0: only the k most likely tokens
	key     *tensor.Array
}

// newSampler checks the settings against the vocabulary, with mlx-lm's
// rules. seeded: a private key from seed; else MLX's global generator
// (tensor.Seed seeds it, as mx.random.seed does mlx-lm's).
func newSampler(o *Options, vocab int) (*sampler, error) {
	s := &sampler{temp: o.Temperature, topP: o.TopP, minP: o.MinP, minKeep: max(o.MinTokensToKeep, 1), topK: o.TopK}
	switch {
	case s.temp < 0 || math.IsNaN(s.temp):
		return nil, fmt.Errorf("temperature must be >= 0, got %v", s.temp)
	case s.topK != 0 && (s.topK < 0 || s.topK >= vocab):
		return nil, fmt.Errorf("top_k has to be an integer in the (0, %d) interval, but is %d", vocab, s.topK)
	case s.minP < 0 || s.minP > 1:
		return nil, fmt.Errorf("min_p has to be a float in the [0, 1] interval, but is %v", s.minP)
	case s.topP < 0 || s.topP > 1:
		return nil, fmt.Errorf("top_p has to be a float in the [0, 1] interval, but is %v", s.topP)
	}
	if o.Seed != nil && s.temp != 0 {
		s.key = tensor.RandomKey(*o.Seed)
	}
	return s, nil
}

// sample returns the chosen token of each row, [B] uint32.
func (s *sampler) sample(logprobs *tensor.Array) *tensor.Array {
	if s.temp == 0 {
		return tensor.Argmax(logprobs, tensor.Axis(-1))
	}
	if s.topP > 0 && s.topP < 1 {
		logprobs = applyTopP(logprobs, s.topP)
	}
	if s.minP != 0 {
		logprobs = applyMinP(logprobs, s.minP, s.minKeep)
	}
	if s.topK > 0 {
		logprobs = applyTopK(logprobs, s.topK)
	}
	scaled := tensor.Multiply(logprobs, 1/s.temp)
	if s.key == nil {
		return tensor.RandomCategorical(scaled)
	}
	next, draw := tensor.RandomSplit(s.key)
	s.key.Free()
	s.key = next
	return tensor.RandomCategorical(scaled, tensor.Key(draw))
}

func (s *sampler) free() { s.key.Free() }

var negInf = math.Inf(-1)

// applyTopP keeps the most likely tokens whose probabilities sum to p.
func applyTopP(logprobs *tensor.Array, p float64) *tensor.Array {
	sorted := tensor.Sort(logprobs, tensor.Axis(-1))
	probs := tensor.Exp(tensor.AsType(sorted, tensor.Float32))
	above := tensor.Cumsum(probs, tensor.Axis(-1), tensor.Reverse(true), tensor.Inclusive(false))
	total := tensor.Add(above.Slice(-1, 0, 1, 1), probs.Slice(-1, 0, 1, 1))
	dropped := tensor.Sum(tensor.GreaterEqual(above, tensor.Multiply(total, p)), tensor.Axis(-1), tensor.KeepDims(true))
	threshold := tensor.TakeAlongAxis(sorted, dropped, -1)
	return tensor.Where(tensor.Less(logprobs, threshold), negInf, logprobs)
}

// applyMinP drops tokens less likely than minP times the most likely one,
// keeping at least keep.
func applyMinP(logprobs *tensor.Array, minP float64, keep int) *tensor.Array {
	top := tensor.Max(logprobs, tensor.Axis(-1), tensor.KeepDims(true))
	remove := tensor.Less(logprobs, tensor.Add(top, math.Log(minP)))
	if keep > 1 {
		idx := tensor.Argpartition(logprobs, -keep, tensor.Axis(-1))
		idx = idx.Slice(-1, idx.Dim(-1)-keep, idx.Dim(-1), 1)
		remove = tensor.PutAlongAxis(remove, idx, tensor.FromBools([]bool{false}), -1)
	}
	return tensor.Where(remove, negInf, logprobs)
}

// applyTopK keeps the k most likely tokens.
func applyTopK(logprobs *tensor.Array, k int) *tensor.Array {
	idx := tensor.Argpartition(tensor.Negative(logprobs), k-1, tensor.Axis(-1))
	idx = idx.Slice(-1, k, idx.Dim(-1), 1)
	inf := tensor.AsType(tensor.FromFloat32s([]float32{float32(negInf)}), logprobs.Dtype())
	return tensor.PutAlongAxis(logprobs, idx, inf, -1)
}

// processors are mlx-lm's logits processors: an additive logit bias, then
// a repetition penalty over the last context tokens (prompt included).
type processors struct {
	bias    *tensor.Array // [vocab] in the logits' dtype, or nil
	biasMap map[int]float64
	penalty float64
	context int
}

func newProcessors(o *Options, vocab int) (*processors, error) {
	p := &processors{biasMap: o.LogitBias, penalty: o.RepetitionPenalty, context: o.RepetitionContextSize}
	if p.penalty < 0 || math.IsNaN(p.penalty) {
		return nil, fmt.Errorf("repetition penalty must be a non-negative float, got %v", p.penalty)
	}
	if p.context <= 0 {
		p.context = 20
	}
	for id := range p.biasMap {
		if id < 0 || id >= vocab {
			return nil, fmt.Errorf("logit bias for token %d outside the vocabulary (0..%d)", id, vocab-1)
		}
	}
	return p, nil
}

// active reports whether any processor applies (mlx-lm then also keeps
// the token history).
func (p *processors) active() bool { return len(p.biasMap) > 0 || (p.penalty != 0) }

// apply processes logits [B, vocab] given the tokens so far [T] (or [B, T]).
func (p *processors) apply(tokens, logits *tensor.Array) *tensor.Array {
	if len(p.biasMap) > 0 {
		if p.bias == nil {
			dense := make([]float32, logits.Dim(-1))
			for id, b := range p.biasMap {
				dense[id] = float32(b)
			}
			p.bias = tensor.AsType(tensor.FromFloat32s(dense), logits.Dtype())
		}
		logits = tensor.Add(logits, p.bias)
	}
	if p.penalty != 0 && tokens != nil && tokens.Dim(-1) > 0 {
		n := tokens.Dim(-1)
		recent := tokens.Slice(-1, max(0, n-p.context), n, 1)
		if recent.Ndim() == 1 {
			recent = tensor.BroadcastTo(tensor.Reshape(recent, []int{1, -1}), []int{logits.Dim(0), recent.Dim(0)})
		}
		sel := tensor.TakeAlongAxis(logits, recent, -1)
		sel = tensor.Where(tensor.Less(sel, 0), tensor.Multiply(sel, p.penalty), tensor.Divide(sel, p.penalty))
		logits = tensor.PutAlongAxis(logits, recent, sel, -1)
	}
	return logits
}

func (p *processors) free() { p.bias.Free() }
