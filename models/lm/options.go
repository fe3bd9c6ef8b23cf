package lm

// Options control generation. The zero value is mlx-lm's default: greedy,
// 256 tokens, stop on the model's end-of-sequence tokens. Options are set
// with the functions below (Generate(ctx, prompt, MaxTokens(64),
// Temperature(0.7))), which the REPL's interpreter can call too.
type Options struct {
	MaxTokens int // tokens to generate; 0: 256; < 0: until a stop token

	Temperature     float64 // 0: greedy
	TopP            float64 // (0, 1): nucleus sampling
	MinP            float64 // > 0: min-p sampling
	MinTokensToKeep int     // min-p keeps at least this many (default 1)
	TopK            int     // > 0: sample among the k most likely
	Seed            *uint64 // set: a private generator; nil: MLX's global one
	LogitBias       map[int]float64
	// RepetitionPenalty > 0 divides positive (multiplies negative) logits
	// of the last RepetitionContextSize tokens (default 20), prompt
	// included.
	RepetitionPenalty     float64
	RepetitionContextSize int

	StopTokens  []int    // nil: the model's EOS ids
	StopStrings []string // generation ends before the first occurrence

	PrefillStepSize  int    // prompt tokens per forward pass; 0: 2048
	MaxKVSize        int    // > 0: bound the cache (rotating, first 4 positions kept; unlike mlx-lm, also for Llama and Gemma 3)
	KVBits           int    // > 0: quantize the cache (mlx-lm uses 4 or 8)
	KVGroupSize      int    // 0: 64
	QuantizedKVStart int    // positions before the cache is quantized; 0: 5000 (mlx-lm's)
	Cache            *Cache // continue this prompt cache (updated in place); nil: a fresh one

	kvStartSet bool
}

// Option sets one generation option.
type Option func(*Options)

// MaxTokens limits the number of generated tokens (< 0: no limit).
func MaxTokens(n int) Option { return func(o *Options) { o.MaxTokens = n } }

// Temperature sets the sampling temperature (0: greedy).
func Temperature(t float64) Option { return func(o *Options) { o.Temperature = t } }

// TopP enables nucleus sampling.
func TopP(p float64) Option { return func(o *Options) { o.TopP = p } }

// MinP enables min-p sampling, keeping at least keep tokens (>= 1).
func MinP(p float64, keep int) Option {
	return func(o *Options) { o.MinP, o.MinTokensToKeep = p, keep }
}

// TopK samples among the k most likely tokens.
func TopK(k int) Option { return func(o *Options) { o.TopK = k } }

// Seed makes sampling reproducible (and equal to mlx-lm's after
// mx.random.seed(seed)).
func Seed(seed uint64) Option { return func(o *Options) { o.Seed = &seed } }

// LogitBias adds bias[id] to token id's logit.
func LogitBias(bias map[int]float64) Option { return func(o *Options) { o.LogitBias = bias } }

// RepetitionPenalty penalizes the last context tokens (0: 20).
func RepetitionPenalty(penalty float64, context int) Option {
	return func(o *Options) { o.RepetitionPenalty, o.RepetitionContextSize = penalty, context }
}

// StopTokens replaces the model's end-of-sequence ids (none: generate
// until MaxTokens or a stop string).
func StopTokens(ids ...int) Option {
	return func(o *Options) { o.StopTokens = append([]int{}, ids...) }
}

// StopStrings ends generation before the first of these strings.
func StopStrings(s ...string) Option { return func(o *Options) { o.StopStrings = s } }

// PrefillStepSize sets how many prompt tokens go through the model at once.
func PrefillStepSize(n int) Option { return func(o *Options) { o.PrefillStepSize = n } }

// MaxKVSize bounds the cache to n positions (a rotating cache).
func MaxKVSize(n int) Option { return func(o *Options) { o.MaxKVSize = n } }

// KVBits quantizes the cache to bits with groupSize (0: 64) once it holds
// start positions (mlx-lm's default start is 5000).
func KVBits(bits, groupSize, start int) Option {
	return func(o *Options) {
		o.KVBits, o.KVGroupSize, o.QuantizedKVStart, o.kvStartSet = bits, groupSize, start, true
	}
}

// WithCache continues (and extends) a prompt cache.
func WithCache(c *Cache) Option { return func(o *Options) { o.Cache = c } }

// resolve applies opts over the defaults.
func resolve(opts []Option) Options {
	var o Options
	for _, f := range opts {
		if f != nil {
			f(&o)
		}
	}
	if o.MaxTokens == 0 {
		o.MaxTokens = 256
	}
	if o.PrefillStepSize <= 0 {
		o.PrefillStepSize = 2048
	}
	if o.KVGroupSize == 0 {
		o.KVGroupSize = 64
	}
	if o.QuantizedKVStart == 0 && !o.kvStartSet {
		o.QuantizedKVStart = 5000
	}
	return o
}
