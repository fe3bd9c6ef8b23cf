// Package fast is mlx.core.fast for Go: fused kernels for the hot spots of
// transformer models (RMS norm, layer norm, rotary embeddings, scaled
// dot-product attention). Each computes exactly what MLX's composed-op
// definition computes; on backends with a fused kernel it is one launch, on
// the CPU MLX falls back to its own composed graph.
//
// Every function is non-generic so the REPL's interpreter can call it. Bad
// input panics with *tensor.Error naming the parameter, like every op.
package fast
