package tokenizer

import (
	"encoding/json"
	"fmt"
	"strings"
)

// The parts of HF's tokenizer.json we read. Components are kept as raw JSON
// and built by type (see pipeline.go) so an unsupported one is an error
// naming it.
type fileJSON struct {
	AddedTokens   []addedTokenJSON `json:"added_tokens"`
	Normalizer    json.RawMessage  `json:"normalizer"`
	PreTokenizer  json.RawMessage  `json:"pre_tokenizer"`
	Model         json.RawMessage  `json:"model"` // decoded after its type is checked
	PostProcessor json.RawMessage  `json:"post_processor"`
	Decoder       json.RawMessage  `json:"decoder"`
}

type addedTokenJSON struct {
	ID         int    `json:"id"`
	Content    string `json:"content"`
	SingleWord bool   `json:"single_word"`
	Lstrip     bool   `json:"lstrip"`
	Rstrip     bool   `json:"rstrip"`
	Normalized bool   `json:"normalized"`
	Special    bool   `json:"special"`
}

type modelJSON struct {
	Type                    string         `json:"type"`
	Vocab                   map[string]int `json:"vocab"`
	Merges                  mergesJSON     `json:"merges"`
	UnkToken                *string        `json:"unk_token"`
	ContinuingSubwordPrefix *string        `json:"continuing_subword_prefix"`
	EndOfWordSuffix         *string        `json:"end_of_word_suffix"`
	FuseUnk                 bool           `json:"fuse_unk"`
	ByteFallback            bool           `json:"byte_fallback"`
	IgnoreMerges            bool           `json:"ignore_merges"`
	Dropout                 *float64       `json:"dropout"`
}

// mergesJSON reads both spellings of the merge list: ["a b", ...] (older
// files) and [["a", "b"], ...] (tokenizers >= 0.20, which allows spaces in
// tokens).
type mergesJSON [][2]string

func (m *mergesJSON) UnmarshalJSON(b []byte) error {
	var pairs [][]string
	if err := json.Unmarshal(b, &pairs); err == nil {
		out := make([][2]string, len(pairs))
		for i, p := range pairs {
			if len(p) != 2 {
				return fmt.Errorf("merge %d has %d parts, want 2", i, len(p))
			}
			out[i] = [2]string{p[0], p[1]}
		}
		*m = out
		return nil
	}
	var lines []string
	if err := json.Unmarshal(b, &lines); err != nil {
		return fmt.Errorf("merges are neither [\"a b\", ...] nor [[a, b], ...]")
	}
	out := make([][2]string, len(lines))
	for i, s := range lines {
		a, c, ok := strings.Cut(s, " ")
		if !ok {
			return fmt.Errorf("merge %d %q has no space", i, s)
		}
		out[i] = [2]string{a, c}
	}
	*m = out
	return nil
}

// component is the common head of every normalizer/pre-tokenizer/... JSON.
type component struct {
	Type string `json:"type"`
}

// patternJSON is {"String": "..."} or {"Regex": "..."}.
type patternJSON struct {
	String *string `json:"String"`
	Regex  *string `json:"Regex"`
}

func isNull(r json.RawMessage) bool { return len(r) == 0 || string(r) == "null" }
