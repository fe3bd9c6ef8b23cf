package finetune

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/mlx-go/mlx-go/models/chat"
	"github.com/mlx-go/mlx-go/models/lm"
)

// Example is one tokenized training sequence. The loss covers the tokens
// from Offset on (mlx-lm's mask_prompt: the prompt is context, not a
// target); Offset 0 trains on every token.
type Example struct {
	IDs    []int
	Offset int
}

// record is one JSONL line in any of mlx-lm's dataset formats.
type record struct {
	Text       *string        `json:"text"`
	Messages   []chat.Message `json:"messages"`
	Prompt     *string        `json:"prompt"`
	Completion *string        `json:"completion"`
}

// LoadJSONL reads a dataset in mlx-lm's formats, one JSON object a line:
// {"text": ...} (trained on whole, EOS appended), {"messages": [...]} (a
// chat, through the model's template) or {"prompt": ..., "completion":
// ...} (a user and an assistant turn). maskPrompt limits the loss of chat
// and completion examples to the last turn, as mlx-lm's --mask-prompt.
func LoadJSONL(l *lm.LLM, path string, maskPrompt bool) ([]Example, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("finetune: %w", err)
	}
	defer f.Close()
	eos, err := eosTokenID(l)
	if err != nil {
		return nil, err
	}
	var out []Example
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for line := 1; sc.Scan(); line++ {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var r record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("finetune: %s:%d: %w", path, line, err)
		}
		ex, err := r.example(l, eos, maskPrompt)
		if err != nil {
			return nil, fmt.Errorf("finetune: %s:%d: %w", path, line, err)
		}
		out = append(out, ex)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("finetune: %s: %w", path, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("finetune: %s: no examples", path)
	}
	return out, nil
}

func (r record) example(l *lm.LLM, eos int, maskPrompt bool) (Example, error) {
	switch {
	case r.Text != nil:
		ids := l.Tokenizer.Encode(*r.Text, true)
		if len(ids) == 0 || ids[len(ids)-1] != eos {
			ids = append(ids, eos)
		}
		return Example{IDs: ids}, nil
	case r.Messages != nil:
		return chatExample(l, r.Messages, maskPrompt)
	case r.Prompt != nil && r.Completion != nil:
		return chatExample(l, []chat.Message{{Role: "user", Content: *r.Prompt}, {Role: "assistant", Content: *r.Completion}}, maskPrompt)
	}
	return Example{}, errors.New(`want "text", "messages" or "prompt" and "completion"`)
}

// chatExample is mlx-lm's ChatDataset.process.
func chatExample(l *lm.LLM, msgs []chat.Message, maskPrompt bool) (Example, error) {
	if l.Template == nil {
		return Example{}, fmt.Errorf("%s has no chat template", l.Dir)
	}
	if len(msgs) == 0 {
		return Example{}, errors.New("no messages")
	}
	text, err := l.Template.Render(msgs, false)
	if err != nil {
		return Example{}, err
	}
	ex := Example{IDs: l.Tokenizer.Encode(text, false)}
	if maskPrompt {
		prompt, err := l.Template.Render(msgs[:len(msgs)-1], msgs[len(msgs)-1].Role == "assistant")
		if err != nil {
			return Example{}, err
		}
		ex.Offset = len(l.Tokenizer.Encode(prompt, false))
	}
	return ex, nil
}

// eosTokenID is the tokenizer's eos_token (what mlx-lm appends to text
// examples).
func eosTokenID(l *lm.LLM) (int, error) {
	data, err := os.ReadFile(filepath.Join(l.Dir, "tokenizer_config.json"))
	if err != nil {
		return 0, fmt.Errorf("finetune: %w", err)
	}
	var cfg struct {
		EOS json.RawMessage `json:"eos_token"`
	}
	if err := json.Unmarshal(data, &cfg); err != nil {
		return 0, fmt.Errorf("finetune: tokenizer_config.json: %w", err)
	}
	var name string
	if json.Unmarshal(cfg.EOS, &name) != nil {
		var obj struct{ Content string }
		json.Unmarshal(cfg.EOS, &obj)
		name = obj.Content
	}
	id, ok := l.Tokenizer.TokenID(name)
	if !ok {
		return 0, fmt.Errorf("finetune: tokenizer has no eos_token %q", name)
	}
	return id, nil
}
