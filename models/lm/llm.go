package lm

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/mlx-go/mlx-go/models"
	"github.com/mlx-go/mlx-go/models/chat"
	"github.com/mlx-go/mlx-go/models/tokenizer"
	"github.com/mlx-go/mlx-go/tensor"
)

// LLM is a model with what generating text needs: its tokenizer, chat
// template and stop tokens.
type LLM struct {
	Model     Model
	Tokenizer *tokenizer.Tokenizer
	Template  *chat.Template // nil when the model has no chat template
	EOS       []int          // the ids that end generation (models.EOSTokenIDs)
	Dir       string
	bos       string // the BOS token's text, "" when none
}

// LoadLLM loads the model, tokenizer and chat template in dir.
func LoadLLM(dir string) (*LLM, error) {
	m, err := Load(dir)
	if err != nil {
		return nil, err
	}
	tok, err := tokenizer.Load(dir)
	if err != nil {
		return nil, err
	}
	eos, err := models.EOSTokenIDs(dir)
	if err != nil {
		return nil, err
	}
	l := &LLM{Model: m, Tokenizer: tok, EOS: eos, Dir: dir}
	if gc, err := models.ReadGenerationConfig(dir); err == nil && gc.BOS >= 0 {
		l.bos = tok.Token(gc.BOS)
	}
	if hasTemplate(dir) {
		if l.Template, err = chat.Load(dir); err != nil {
			return nil, err
		}
	}
	return l, nil
}

func hasTemplate(dir string) bool {
	if _, err := os.Stat(filepath.Join(dir, "chat_template.jinja")); err == nil {
		return true
	}
	data, err := os.ReadFile(filepath.Join(dir, "tokenizer_config.json"))
	return err == nil && strings.Contains(string(data), `"chat_template"`)
}

// Encode tokenizes a prompt as mlx-lm's stream_generate does: special
// tokens (BOS) added unless the text already starts with the BOS token.
func (l *LLM) Encode(prompt string) []int {
	return l.Tokenizer.Encode(prompt, l.bos == "" || !strings.HasPrefix(prompt, l.bos))
}

// Generate continues prompt. Nothing runs until the Generation's tokens
// are consumed.
func (l *LLM) Generate(ctx context.Context, prompt string, opts ...Option) *Generation {
	return l.GenerateIDs(ctx, l.Encode(prompt), opts...)
}

// GenerateIDs continues a tokenized prompt.
func (l *LLM) GenerateIDs(ctx context.Context, prompt []int, opts ...Option) *Generation {
	if ctx == nil {
		ctx = context.Background()
	}
	return &Generation{llm: l, ctx: ctx, prompt: prompt, opts: resolve(opts)}
}

// ChatPrompt renders messages with the model's chat template, opening the
// assistant's turn, and tokenizes the result (the template writes any BOS
// itself), as apply_chat_template(add_generation_prompt=True) does.
func (l *LLM) ChatPrompt(messages []chat.Message) ([]int, error) {
	if l.Template == nil {
		return nil, fmt.Errorf("lm: %s has no chat template", l.Dir)
	}
	text, err := l.Template.Render(messages, true)
	if err != nil {
		return nil, err
	}
	return l.Tokenizer.Encode(text, false), nil
}

// Chat generates the assistant's reply to messages.
func (l *LLM) Chat(ctx context.Context, messages []chat.Message, opts ...Option) *Generation {
	ids, err := l.ChatPrompt(messages)
	g := l.GenerateIDs(ctx, ids, opts...)
	g.setup = err
	return g
}

// PromptCache runs ids through the model and returns the filled cache, to
// start several generations from one shared prefix (mlx-lm's
// cache_prompt); pass it with WithCache. MaxKVSize, KVBits and
// PrefillStepSize apply.
func (l *LLM) PromptCache(ctx context.Context, ids []int, opts ...Option) (*Cache, error) {
	o := resolve(opts)
	if err := checkIDs(ids, l.Model.Config().VocabSize); err != nil {
		return nil, err
	}
	st, err := newStepper(l.Model, &o)
	if err != nil {
		return nil, fmt.Errorf("lm: %w", err)
	}
	defer st.free()
	g := &Generation{ctx: ctx}
	if ctx == nil {
		g.ctx = context.Background()
	}
	err = tensor.Try(func() {
		// prefill leaves the last token for the first step; feed it too.
		if _, err = st.prefill(append(slices.Clone(ids), 0), g.interrupted, nil); err == nil {
			tensor.Eval(st.cache.state()...)
		}
	})
	if err != nil {
		if o.Cache == nil {
			st.cache.Free()
		}
		return nil, err
	}
	return st.cache, nil
}
