// Package nn is mlx.nn for Go: layers, activations, losses, quantization and
// the module convention that ties them to Hugging Face checkpoints.
//
// A module is a pointer to a struct. Its exported fields are walked by
// reflection: a *tensor.Array field is a parameter, a struct (or pointer to
// one, or an interface holding one) is a sub-module, a slice of those is a
// list of sub-modules. Names are the snake_case of the field name or the
// `nn:"name"` tag (`nn:"-"` hides a field), joined with dots, so a Go model
// exposes the same names as the checkpoint it loads:
//
//	type Attention struct {
//		nn.Base
//		QProj nn.Layer `nn:"q_proj"` // an interface, so Quantize/LoRA may swap it
//	}
//	// -> "model.layers.3.self_attn.q_proj.weight"
//
// Embedding nn.Base records which parameters are frozen and whether the
// module is training. Fields that Quantize or LoRA should be able to replace
// must have an interface type (nn.Layer): Go cannot store a
// *QuantizedLinear in a *Linear field.
//
// Everything here is non-generic so the REPL's interpreter can call it. Ops
// panic with *tensor.Error on bad input; functions that touch files, or
// take names from outside (Update, LoadWeights), return an error.
package nn
