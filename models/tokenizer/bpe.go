package tokenizer

import (
	"container/heap"
	"fmt"
	"sync"
	"unicode/utf8"
)

// bpe is a byte-pair-encoding model as HF tokenizers' BPE: a word starts
// as one symbol per character and the pair with the lowest merge rank is
// merged until no pair is in the merge table.
type bpe struct {
	vocab       map[string]int
	merges      map[[2]int]merge
	unk         int // -1: no unknown token
	fuseUnk     bool
	byteFall    bool
	ignoreMerge bool // a word that is itself in the vocab is one token (Llama 3)
	byteTokens  [256]int

	mu    sync.RWMutex
	cache map[string][]int
}

type merge struct{ rank, id int }

const bpeCacheSize = 10000

func newBPE(m modelJSON) (*bpe, error) {
	b := &bpe{vocab: m.Vocab, merges: make(map[[2]int]merge, len(m.Merges)), unk: -1,
		fuseUnk: m.FuseUnk, byteFall: m.ByteFallback, ignoreMerge: m.IgnoreMerges, cache: map[string][]int{}}
	if m.ContinuingSubwordPrefix != nil && *m.ContinuingSubwordPrefix != "" ||
		m.EndOfWordSuffix != nil && *m.EndOfWordSuffix != "" {
		return nil, fmt.Errorf("BPE continuing_subword_prefix/end_of_word_suffix are not supported")
	}
	if m.UnkToken != nil {
		id, ok := m.Vocab[*m.UnkToken]
		if !ok {
			return nil, fmt.Errorf("BPE unk_token %q is not in the vocab", *m.UnkToken)
		}
		b.unk = id
	}
	for i := range b.byteTokens {
		b.byteTokens[i] = -1
		if id, ok := m.Vocab[fmt.Sprintf("<0x%02X>", i)]; ok {
			b.byteTokens[i] = id
		}
	}
	for rank, pair := range m.Merges {
		a, ok1 := m.Vocab[pair[0]]
		c, ok2 := m.Vocab[pair[1]]
		id, ok3 := m.Vocab[pair[0]+pair[1]]
		if !ok1 || !ok2 || !ok3 {
			return nil, fmt.Errorf("merge %d (%q %q) uses a token missing from the vocab", rank, pair[0], pair[1])
		}
		if _, dup := b.merges[[2]int{a, c}]; !dup {
			b.merges[[2]int{a, c}] = merge{rank, id}
		}
	}
	return b, nil
}

// encodeWord appends the ids of one pre-tokenized word to ids.
func (b *bpe) encodeWord(ids []int, w string) []int {
	if b.ignoreMerge {
		if id, ok := b.vocab[w]; ok {
			return append(ids, id)
		}
	}
	b.mu.RLock()
	hit, ok := b.cache[w]
	b.mu.RUnlock()
	if ok {
		return append(ids, hit...)
	}
	out := b.merge(b.symbols(w))
	b.mu.Lock()
	if len(b.cache) >= bpeCacheSize {
		clear(b.cache)
	}
	b.cache[w] = out
	b.mu.Unlock()
	return append(ids, out...)
}

type symbol struct{ id, prev, next int }

// symbols are the word's characters as token ids: a character missing from
// the vocab becomes its <0xXX> byte tokens (byte fallback) or the unknown
// token (consecutive ones fused when fuse_unk), or is dropped without one.
func (b *bpe) symbols(w string) []symbol {
	syms := make([]symbol, 0, len(w))
	add := func(id int) { syms = append(syms, symbol{id, len(syms) - 1, len(syms) + 1}) }
	lastUnk := false
	for i := 0; i < len(w); {
		_, size := utf8.DecodeRuneInString(w[i:])
		ch := w[i : i+size]
		i += size
		if id, ok := b.vocab[ch]; ok {
			add(id)
			lastUnk = false
			continue
		}
		if b.byteFall && b.allBytes(ch) {
			for j := 0; j < len(ch); j++ {
				add(b.byteTokens[ch[j]])
			}
			continue
		}
		if b.unk >= 0 {
			if !(b.fuseUnk && lastUnk) {
				add(b.unk)
			}
			lastUnk = true
		}
	}
	if len(syms) > 0 {
		syms[len(syms)-1].next = -1
	}
	return syms
}

func (b *bpe) allBytes(ch string) bool {
	for j := 0; j < len(ch); j++ {
		if b.byteTokens[ch[j]] < 0 {
			return false
		}
	}
	return true
}

// merge applies merges lowest rank first, leftmost first among equal
// ranks, as HF's Word::merge_all does with its priority queue.
func (b *bpe) merge(syms []symbol) []int {
	q := &mergeQueue{}
	for i := 0; i+1 < len(syms); i++ {
		if m, ok := b.merges[[2]int{syms[i].id, syms[i+1].id}]; ok {
			q.items = append(q.items, candidate{i, m.rank, m.id})
		}
	}
	heap.Init(q)
	removed := make([]bool, len(syms))
	for q.Len() > 0 {
		c := heap.Pop(q).(candidate)
		left := &syms[c.pos]
		if removed[c.pos] || left.next < 0 {
			continue
		}
		right := syms[left.next]
		if m, ok := b.merges[[2]int{left.id, right.id}]; !ok || m.id != c.id {
			continue // stale: a neighbour was merged since this was queued
		}
		removed[left.next] = true
		left.id = c.id
		left.next = right.next
		if right.next >= 0 {
			syms[right.next].prev = c.pos
		}
		if left.prev >= 0 {
			if m, ok := b.merges[[2]int{syms[left.prev].id, left.id}]; ok {
				heap.Push(q, candidate{left.prev, m.rank, m.id})
			}
		}
		if left.next >= 0 {
			if m, ok := b.merges[[2]int{left.id, syms[left.next].id}]; ok {
				heap.Push(q, candidate{c.pos, m.rank, m.id})
			}
		}
	}
	if len(syms) == 0 {
		return nil
	}
	out := make([]int, 0, len(syms))
	for i := 0; i >= 0; i = syms[i].next {
		out = append(out, syms[i].id)
	}
	return out
}

type candidate struct{ pos, rank, id int }

type mergeQueue struct{ items []candidate }

func (q *mergeQueue) Len() int { return len(q.items) }
func (q *mergeQueue) Less(i, j int) bool {
	a, b := q.items[i], q.items[j]
	return a.rank < b.rank || a.rank == b.rank && a.pos < b.pos
}
func (q *mergeQueue) Swap(i, j int) { q.items[i], q.items[j] = q.items[j], q.items[i] }
func (q *mergeQueue) Push(x any)    { q.items = append(q.items, x.(candidate)) }
func (q *mergeQueue) Pop() any {
	n := len(q.items) - 1
	x := q.items[n]
	q.items = q.items[:n]
	return x
}
