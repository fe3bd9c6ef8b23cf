// Package chat renders a model's own Jinja chat template (from
// tokenizer_config.json or chat_template.jinja) into the prompt text the
// model was trained on, as transformers' apply_chat_template does.
//
// Rendering uses github.com/ardanlabs/jinja: pure Go, written for HF chat
// templates (it applies transformers' trim_blocks/lstrip_blocks defaults
// and has raise_exception, namespace, tojson, strftime_now). v1.8.0 is the
// newest release that builds with Go 1.26 (later ones need Go 1.27).
package chat

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ardanlabs/jinja"
)

// Message is one turn of a conversation.
type Message struct {
	Role    string // "system", "user", "assistant", "tool"
	Content string
}

// Template is a model's compiled chat template with the special tokens it
// may refer to (bos_token, eos_token, ...).
type Template struct {
	Source  string
	tmpl    *jinja.Template
	special map[string]any
}

// Load reads the chat template of the model in dir: chat_template.jinja if
// present (how recent transformers save it), else the chat_template field
// of tokenizer_config.json (a string, or a list of named templates of which
// "default" is used).
func Load(dir string) (*Template, error) {
	cfgPath := filepath.Join(dir, "tokenizer_config.json")
	var cfg map[string]json.RawMessage
	if data, err := os.ReadFile(cfgPath); err == nil {
		if err := json.Unmarshal(data, &cfg); err != nil {
			return nil, fmt.Errorf("chat: %s: invalid JSON: %w", cfgPath, err)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("chat: %w", err)
	}
	src, err := templateSource(dir, cfg)
	if err != nil {
		return nil, err
	}
	t, err := New(src)
	if err != nil {
		return nil, fmt.Errorf("chat: %s: %w", dir, err)
	}
	for _, name := range []string{"bos_token", "eos_token", "unk_token", "pad_token", "sep_token", "cls_token", "mask_token"} {
		if tok := tokenString(cfg[name]); tok != "" {
			t.special[name] = tok
		}
	}
	return t, nil
}

func templateSource(dir string, cfg map[string]json.RawMessage) (string, error) {
	if data, err := os.ReadFile(filepath.Join(dir, "chat_template.jinja")); err == nil {
		return string(data), nil
	}
	raw, ok := cfg["chat_template"]
	if !ok || string(raw) == "null" {
		return "", fmt.Errorf("chat: %s has no chat template (no chat_template.jinja, no chat_template in tokenizer_config.json)", dir)
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s, nil
	}
	var named []struct{ Name, Template string }
	if err := json.Unmarshal(raw, &named); err != nil {
		return "", fmt.Errorf("chat: %s: chat_template is neither a string nor a list of {name, template}", dir)
	}
	for _, n := range named {
		if n.Name == "default" {
			return n.Template, nil
		}
	}
	return "", fmt.Errorf("chat: %s: chat_template list has no \"default\" entry", dir)
}

// tokenString reads a special token written as "tok" or {"content": "tok"}.
func tokenString(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var obj struct{ Content string }
	if json.Unmarshal(raw, &obj) == nil {
		return obj.Content
	}
	return ""
}

// New compiles a template source.
func New(source string) (*Template, error) {
	tmpl, err := jinja.Compile(source)
	if err != nil {
		return nil, err
	}
	return &Template{Source: source, tmpl: tmpl, special: map[string]any{}}, nil
}

// SetSpecialToken sets a variable such as "bos_token" for rendering.
func (t *Template) SetSpecialToken(name, token string) { t.special[name] = token }

// Render renders messages; addGenerationPrompt appends the opening of the
// assistant's turn (what a model continues from). The text already holds
// any BOS token the template writes: encode it without adding special
// tokens (tokenizer Encode(text, false)), as apply_chat_template does.
func (t *Template) Render(messages []Message, addGenerationPrompt bool) (string, error) {
	conv := make([]map[string]any, len(messages))
	for i, m := range messages {
		conv[i] = map[string]any{"role": m.Role, "content": m.Content}
	}
	return t.RenderConversation(conv, nil, addGenerationPrompt, nil)
}

// RenderConversation renders messages given as maps (for content parts,
// tool calls, ...), with optional tool definitions and extra template
// variables, like apply_chat_template(messages, tools=..., **extra).
func (t *Template) RenderConversation(messages []map[string]any, tools []map[string]any, addGenerationPrompt bool, extra map[string]any) (string, error) {
	data := map[string]any{}
	for k, v := range t.special {
		data[k] = v
	}
	msgs := make([]any, len(messages))
	for i, m := range messages {
		msgs[i] = m
	}
	data["messages"] = msgs
	data["add_generation_prompt"] = addGenerationPrompt
	if tools != nil {
		ts := make([]any, len(tools))
		for i, tool := range tools {
			ts[i] = tool
		}
		data["tools"] = ts
	}
	for k, v := range extra {
		data[k] = v
	}
	out, err := t.tmpl.Render(data)
	if err != nil {
		return "", fmt.Errorf("chat template: %w", err)
	}
	return out, nil
}
