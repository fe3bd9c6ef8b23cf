// Package nn is mlx.nn for Go: layers, activations, losses, quantization and
// the module convention that ties them to Hugging Face checkpoints.
//
// A module is a pointer to a struct. Its exported fields are walked by
// reflection: a *tensor.Array field is a parameter, a struct (or pointer to
// one, or an interface holding one) is a sub-module, a slice of those is a
// list of sub-modules (names .0, .1...) and a map from strings to module
// pointers is a dict of them (names .<key>). A field's name is its
// `nn:"name"` tag or the snake_case of its Go name (`nn:"-"` hides it);
// names join with dots, so a Go model exposes the names of the checkpoint
// it loads:
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
