package fast

import "github.com/mlx-go/mlx-go/tensor"

// RoPE applies rotary position embeddings to the first dims features of the
// last axis of x ([..., seq, features]); positions start at offset and are
// multiplied by scale. The frequencies are base^(-2i/dims). traditional
// rotates consecutive pairs (x0,x1),(x2,x3)... as the original paper; false
// rotates the two halves (x_i, x_{i+dims/2}), as most Hugging Face models.
func RoPE(x *tensor.Array, dims int, traditional bool, base, scale float64, offset int) *tensor.Array {
	return tensor.FastRope(x, dims, traditional, scale, offset, tensor.Base(base))
}

// RoPEAt is RoPE with the offset given as an array: a scalar, or one offset
// per batch element (shape [batch]) for batches at different positions.
func RoPEAt(x *tensor.Array, dims int, traditional bool, base, scale float64, offset *tensor.Array) *tensor.Array {
	return tensor.FastRopeDynamic(x, dims, traditional, scale, offset, tensor.Base(base))
}

// RoPEWithFreqs is RoPE with custom frequencies (shape [dims/2]) in place of
// base^(-2i/dims), e.g. for Llama-3 style scaled rotary embeddings.
func RoPEWithFreqs(x *tensor.Array, dims int, traditional bool, scale float64, offset int, freqs *tensor.Array) *tensor.Array {
	if freqs == nil {
		panic(&tensor.Error{Op: "fast.RoPEWithFreqs", Msg: "freqs is nil (use RoPE for base frequencies)"})
	}
	return tensor.FastRope(x, dims, traditional, scale, offset, tensor.Freqs(freqs))
}

// RoPEWithFreqsAt is RoPEWithFreqs with an array offset (see RoPEAt).
func RoPEWithFreqsAt(x *tensor.Array, dims int, traditional bool, scale float64, offset, freqs *tensor.Array) *tensor.Array {
	if freqs == nil {
		panic(&tensor.Error{Op: "fast.RoPEWithFreqsAt", Msg: "freqs is nil (use RoPEAt for base frequencies)"})
	}
	return tensor.FastRopeDynamic(x, dims, traditional, scale, offset, tensor.Freqs(freqs))
}
