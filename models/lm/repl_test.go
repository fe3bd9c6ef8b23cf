package lm

import (
	"reflect"
	"testing"

	"github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
)

// The REPL's interpreter (yaegi, no generics) generates with the callback
// form and functional options, and gets the tokens the compiled API gives.
func TestGenerateFromTheInterpreter(t *testing.T) {
	l := loadLLM(t, "qwen3-fp32")
	want, err := l.Generate(t.Context(), promptText, MaxTokens(12), Temperature(0.8), Seed(3), StopTokens()).IDs()
	if err != nil {
		t.Fatal(err)
	}
	i := interp.New(interp.Options{})
	if err := i.Use(stdlib.Symbols); err != nil {
		t.Fatal(err)
	}
	if err := i.Use(interp.Exports{"github.com/mlx-go/mlx-go/models/lm/lm": {
		"LLM":         reflect.ValueOf((*LLM)(nil)),
		"Token":       reflect.ValueOf((*Token)(nil)),
		"Generation":  reflect.ValueOf((*Generation)(nil)),
		"Option":      reflect.ValueOf((*Option)(nil)),
		"MaxTokens":   reflect.ValueOf(MaxTokens),
		"Temperature": reflect.ValueOf(Temperature),
		"Seed":        reflect.ValueOf(Seed),
		"StopTokens":  reflect.ValueOf(StopTokens),
	}, "testing/llm/llm": {"Model": reflect.ValueOf(func() *LLM { return l })}}); err != nil {
		t.Fatal(err)
	}
	if _, err := i.Eval(`
import (
	"context"

	"github.com/mlx-go/mlx-go/models/lm"
	"testing/llm"
)

func run(prompt string) ([]int, string, error) {
	var ids []int
	text := ""
	g := llm.Model().Generate(context.Background(), prompt, lm.MaxTokens(12), lm.Temperature(0.8), lm.Seed(3), lm.StopTokens())
	err := g.Each(func(tok lm.Token) bool {
		ids = append(ids, tok.ID)
		text += tok.Text
		return true
	})
	return ids, text, err
}`); err != nil {
		t.Fatal(err)
	}
	v, err := i.Eval("run")
	if err != nil {
		t.Fatal(err)
	}
	out := v.Interface().(func(string) ([]int, string, error))
	ids, text, err := out(promptText)
	if err != nil || !reflect.DeepEqual(ids, want) || text != l.Tokenizer.Decode(want, false) {
		t.Errorf("interpreted: %v %q %v; compiled %v", ids, text, err, want)
	}
}
