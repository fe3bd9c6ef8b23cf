package chat

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlx-go/mlx-go/internal/testutil"
)

type chatCase struct {
	Messages            []map[string]any `json:"messages"`
	Tools               []map[string]any `json:"tools,omitempty"`
	AddGenerationPrompt bool             `json:"add_generation_prompt"`
}

func msg(role, content string) map[string]any {
	return map[string]any{"role": role, "content": content}
}

// chatCases cover generation prompts, system messages, multi-turn, odd
// whitespace, non-ASCII, text that looks like template syntax, tools
// (Qwen2) and a conversation the Gemma template rejects.
func chatCases() []chatCase {
	multi := []map[string]any{
		msg("system", "You are terse.\nAnswer in one line."),
		msg("user", "  What is 2+2?  "),
		msg("assistant", "4"),
		msg("user", "And in Français, s'il vous plaît? 🙂"),
	}
	var cases []chatCase
	for _, gen := range []bool{true, false} {
		cases = append(cases,
			chatCase{Messages: []map[string]any{msg("user", "Hello!")}, AddGenerationPrompt: gen},
			chatCase{Messages: []map[string]any{msg("system", "Be brief."), msg("user", "Hi")}, AddGenerationPrompt: gen},
			chatCase{Messages: multi, AddGenerationPrompt: gen},
			chatCase{Messages: multi[1:], AddGenerationPrompt: gen},
			chatCase{Messages: []map[string]any{msg("user", "{{ not a template }} {% raw %} <|eot_id|>\t\n")}, AddGenerationPrompt: gen},
		)
	}
	cases = append(cases,
		chatCase{Messages: []map[string]any{msg("user", "a"), msg("user", "b")}, AddGenerationPrompt: true},
		chatCase{Messages: []map[string]any{msg("user", "Weather in Paris?"), msg("assistant", "Calling."),
			msg("tool", `{"temp": 21}`), msg("tool", `{"unit": "C"}`)}, AddGenerationPrompt: true,
			Tools: []map[string]any{{"type": "function", "function": map[string]any{
				"name": "get_weather", "description": "Weather for a city, in °C",
				"parameters": map[string]any{"type": "object", "properties": map[string]any{
					"city": map[string]any{"type": "string"}}, "required": []any{"city"}}}}}},
	)
	return cases
}

// partsCase has content parts; only the Gemma 3 template handles them (the
// others concatenate content as a string: Python's Jinja raises on a list,
// ardanlabs/jinja stringifies it, so that is not compared).
var partsCase = chatCase{Messages: []map[string]any{{"role": "user", "content": []any{
	map[string]any{"type": "image"}, map[string]any{"type": "text", "text": "  Describe it. "}}}}, AddGenerationPrompt: true}

var families = []string{"llama3", "qwen2", "gemma"}

func TestChatTemplateMatchesTransformers(t *testing.T) {
	cases := append(chatCases(), partsCase)
	data, _ := json.Marshal(cases)
	cpath := filepath.Join(t.TempDir(), "cases.json")
	os.WriteFile(cpath, data, 0o644)
	script, err := os.ReadFile(filepath.Join("testdata", "hf_chat.py"))
	if err != nil {
		t.Fatal(err)
	}
	args := []string{cpath}
	for _, fam := range families {
		args = append(args, assetDir(fam))
	}
	var peer map[string][]struct{ Text, Error *string }
	if err := json.Unmarshal(testutil.RunPython(t, string(script), args...), &peer); err != nil {
		t.Fatal(err)
	}
	for _, fam := range families {
		t.Run(fam, func(t *testing.T) {
			dir := assetDir(fam)
			want := peer[dir]
			if len(want) != len(cases) {
				t.Fatalf("peer gave %d results for %d cases", len(want), len(cases))
			}
			tmpl, err := Load(dir)
			if err != nil {
				t.Fatal(err)
			}
			for i, c := range cases {
				if i == len(cases)-1 && fam != "gemma" {
					continue // partsCase
				}
				got, err := tmpl.RenderConversation(c.Messages, c.Tools, c.AddGenerationPrompt, nil)
				switch {
				case want[i].Error != nil:
					if err == nil || !strings.Contains(err.Error(), *want[i].Error) {
						t.Errorf("case %d: transformers raised %q, we got %q, %v", i, *want[i].Error, got, err)
					}
				case err != nil:
					t.Errorf("case %d: %v", i, err)
				case got != *want[i].Text:
					t.Errorf("case %d:\n got %q\nwant %q", i, got, *want[i].Text)
				}
			}
		})
	}
}

func assetDir(family string) string {
	return filepath.Join(testutil.Root(), "models", "checkpoint", "assets", family)
}

func TestRenderMessages(t *testing.T) {
	tmpl, err := Load(assetDir("qwen2"))
	if err != nil {
		t.Fatal(err)
	}
	a, err := tmpl.Render([]Message{{"user", "Hi"}}, true)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := tmpl.RenderConversation([]map[string]any{msg("user", "Hi")}, nil, true, nil)
	if a != b || !strings.HasSuffix(a, "<|im_start|>assistant\n") {
		t.Errorf("Render = %q, RenderConversation = %q", a, b)
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "no chat template") {
		t.Errorf("empty dir: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "tokenizer_config.json"), []byte(`{"chat_template": "{% for %}"}`), 0o644)
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), dir) {
		t.Errorf("bad template: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "tokenizer_config.json"), []byte(`{"chat_template": [{"name": "default", "template": "{{ bos_token }}x"}], "bos_token": {"content": "<s>"}}`), 0o644)
	tmpl, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := tmpl.Render(nil, false); got != "<s>x" {
		t.Errorf("named template render = %q", got)
	}
}
