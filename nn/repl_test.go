package nn_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"

	"github.com/mlx-go/mlx-go/nn"
)

// The module convention from the REPL's interpreter: a struct type the
// interpreter makes (reflect.StructOf, so no promoted methods) embedding
// nn.Base, with tagged and interface fields, is walked, frozen and
// quantized like a compiled one.
func TestModulesDefinedInTheInterpreter(t *testing.T) {
	i := interp.New(interp.Options{})
	if err := i.Use(stdlib.Symbols); err != nil {
		t.Fatal(err)
	}
	exports := interp.Exports{"github.com/mlx-go/mlx-go/nn/nn": {
		"Base":            reflect.ValueOf((*nn.Base)(nil)),
		"Layer":           reflect.ValueOf((*nn.Layer)(nil)),
		"Linear":          reflect.ValueOf((*nn.Linear)(nil)),
		"RMSNorm":         reflect.ValueOf((*nn.RMSNorm)(nil)),
		"NewLinear":       reflect.ValueOf(nn.NewLinear),
		"NewRMSNorm":      reflect.ValueOf(nn.NewRMSNorm),
		"ParameterNames":  reflect.ValueOf(nn.ParameterNames),
		"TrainableNames":  reflect.ValueOf(nn.TrainableNames),
		"Freeze":          reflect.ValueOf(nn.Freeze),
		"Quantize":        reflect.ValueOf(nn.Quantize),
		"CountParameters": reflect.ValueOf(nn.CountParameters),
	}}
	if err := i.Use(exports); err != nil {
		t.Fatal(err)
	}
	_, err := i.Eval(`
import (
	"fmt"
	"strings"

	"github.com/mlx-go/mlx-go/nn"
)

type Block struct {
	nn.Base
	QProj nn.Layer ` + "`nn:\"q_proj\"`" + `
	PostAttentionLayernorm *nn.RMSNorm
	Layers []nn.Layer
}

func run() string {
	b := &Block{QProj: nn.NewLinear(64, 64, true), PostAttentionLayernorm: nn.NewRMSNorm(64, 0),
		Layers: []nn.Layer{nn.NewLinear(64, 32, false)}}
	names := strings.Join(nn.ParameterNames(b), " ")
	nn.Freeze(b, "bias")
	trainable := len(nn.TrainableNames(b))
	if err := nn.Quantize(b, 64, 4, nil); err != nil {
		return err.Error()
	}
	return fmt.Sprintf("%s|%d|%s", names, trainable, strings.Join(nn.ParameterNames(b), " "))
}
`)
	if err != nil {
		t.Fatal(err)
	}
	v, err := i.Eval("run()")
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(v.String(), "|")
	if len(parts) != 3 {
		t.Fatalf("interpreter: %s", v)
	}
	if parts[0] != "q_proj.weight q_proj.bias post_attention_layernorm.weight layers.0.weight" {
		t.Fatalf("names: %s", parts[0])
	}
	if parts[1] != "3" {
		t.Fatalf("freeze(bias) left %s trainable", parts[1])
	}
	if parts[2] != "q_proj.weight q_proj.scales q_proj.biases q_proj.bias post_attention_layernorm.weight layers.0.weight layers.0.scales layers.0.biases" {
		t.Fatalf("after Quantize: %s", parts[2])
	}
}
