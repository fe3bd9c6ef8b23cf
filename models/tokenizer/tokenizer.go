// Package tokenizer encodes and decodes text with a Hugging Face
// tokenizer.json in pure Go: byte-level BPE (Llama 3, Qwen2/3, GPT-2 style)
// and SentencePiece-style BPE with byte fallback (Gemma; Llama 2 and
// Mistral in either their legacy normalizer or Metaspace spelling), with
// the added and special tokens, normalizers, pre-tokenizers,
// post-processors and decoders those models use. Results match HF
// tokenizers id for id and character for character (see the tests).
package tokenizer

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Tokenizer is a loaded tokenizer.json. It is safe for concurrent use.
type Tokenizer struct {
	model    *bpe
	added    *addedTokens // matched in the raw text (normalized=false)
	addedN   *addedTokens // matched in normalized text (normalized=true)
	norm     normalizer
	pre      preTokenizer
	post     postProcessor
	dec      decoder
	idToTok  []string
	special  map[int]bool
	addedIDs map[string]int
	vocabLen int
}

// Load reads a tokenizer.json file, or the tokenizer.json inside a model
// directory.
func Load(path string) (*Tokenizer, error) {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		path = filepath.Join(path, "tokenizer.json")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("tokenizer: %w", err)
	}
	t, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("tokenizer %s: %w", path, err)
	}
	return t, nil
}

// Parse builds a tokenizer from the contents of a tokenizer.json.
func Parse(data []byte) (*Tokenizer, error) {
	var f fileJSON
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	// Check the model type first: other models' vocab has another shape.
	var kind component
	_ = json.Unmarshal(f.Model, &kind)
	if kind.Type != "BPE" {
		return nil, fmt.Errorf("unsupported model type %q (supported: BPE)", kind.Type)
	}
	var model modelJSON
	if err := json.Unmarshal(f.Model, &model); err != nil {
		return nil, fmt.Errorf("invalid BPE model: %w", err)
	}
	if model.Dropout != nil && *model.Dropout > 0 {
		return nil, fmt.Errorf("BPE dropout is not supported")
	}
	t := &Tokenizer{special: map[int]bool{}, addedIDs: map[string]int{}}
	var err error
	if t.model, err = newBPE(model); err != nil {
		return nil, err
	}
	if t.norm, err = buildNormalizer(f.Normalizer); err != nil {
		return nil, err
	}
	if t.pre, err = buildPreTokenizer(f.PreTokenizer); err != nil {
		return nil, err
	}
	if t.post, err = buildPostProcessor(f.PostProcessor); err != nil {
		return nil, err
	}
	if t.dec, err = buildDecoder(f.Decoder); err != nil {
		return nil, err
	}
	// As HF's AddedVocabulary: tokens with normalized=false are found in
	// the raw text; the others in the normalized text, by their own
	// normalized spelling.
	var raw, normed []addedTokenJSON
	for _, a := range f.AddedTokens {
		if a.Normalized && t.norm != nil {
			a.Content = t.norm(a.Content)
			normed = append(normed, a)
		} else {
			raw = append(raw, a)
		}
	}
	t.added, t.addedN = newAddedTokens(raw), newAddedTokens(normed)
	size := 0
	for _, id := range model.Vocab {
		size = max(size, id+1)
	}
	for _, a := range f.AddedTokens {
		size = max(size, a.ID+1)
	}
	t.idToTok = make([]string, size)
	for tok, id := range model.Vocab {
		t.idToTok[id] = tok
	}
	for _, a := range f.AddedTokens {
		t.idToTok[a.ID] = a.Content
		t.addedIDs[a.Content] = a.ID
		if a.Special {
			t.special[a.ID] = true
		}
	}
	t.vocabLen = size
	return t, nil
}

// Encode returns the token ids of text. addSpecial adds what the
// post-processor adds (e.g. the BOS token), as HF's add_special_tokens.
// Special tokens written in the text are recognized. Invalid UTF-8 in text
// is read as U+FFFD.
func (t *Tokenizer) Encode(text string, addSpecial bool) []int {
	text = strings.ToValidUTF8(text, "\uFFFD")
	var ids []int
	for i, seg := range t.added.split(text) {
		if seg.token >= 0 {
			ids = append(ids, seg.token)
			continue
		}
		s := seg.text
		if t.norm != nil {
			s = t.norm(s)
		}
		for j, nseg := range t.addedN.split(s) {
			if nseg.token >= 0 {
				ids = append(ids, nseg.token)
				continue
			}
			for _, p := range t.split(nseg.text, i == 0 && j == 0) {
				if p != "" {
					ids = t.model.encodeWord(ids, p)
				}
			}
		}
	}
	if addSpecial && t.post != nil {
		ids = t.post(ids)
	}
	return ids
}

// preTokenize normalizes and splits plain text (no added tokens) into the
// words the model encodes.
func (t *Tokenizer) preTokenize(s string) []string {
	if t.norm != nil {
		s = t.norm(s)
	}
	return t.split(s, true)
}

// split runs the pre-tokenizer on normalized text; atStart: the text
// begins the input.
func (t *Tokenizer) split(s string, atStart bool) []string {
	if t.pre == nil {
		return []string{s}
	}
	return t.pre([]string{s}, atStart)
}

// Decode returns the text of ids; skipSpecial leaves out special tokens.
// Ids outside the vocabulary are skipped, as HF does.
func (t *Tokenizer) Decode(ids []int, skipSpecial bool) string {
	toks := make([]string, 0, len(ids))
	for _, id := range ids {
		if id < 0 || id >= len(t.idToTok) || (skipSpecial && t.special[id]) {
			continue
		}
		toks = append(toks, t.idToTok[id])
	}
	if t.dec == nil {
		return lossyUTF8(strings.Join(toks, " "))
	}
	return lossyUTF8(strings.Join(t.dec(toks), ""))
}

// TokenID is the id of a token string (vocabulary or added token).
func (t *Tokenizer) TokenID(tok string) (int, bool) {
	if id, ok := t.model.vocab[tok]; ok {
		return id, true
	}
	id, ok := t.addedIDs[tok]
	return id, ok
}

// Token is the string of token id ("" if out of range).
func (t *Tokenizer) Token(id int) string {
	if id < 0 || id >= len(t.idToTok) {
		return ""
	}
	return t.idToTok[id]
}

// VocabSize is one more than the largest token id.
func (t *Tokenizer) VocabSize() int { return t.vocabLen }

// IsSpecial reports whether id is a special added token.
func (t *Tokenizer) IsSpecial(id int) bool { return t.special[id] }

// SpecialTokens lists the special tokens' strings in id order.
func (t *Tokenizer) SpecialTokens() []string {
	ids := make([]int, 0, len(t.special))
	for id := range t.special {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = t.idToTok[id]
	}
	return out
}
