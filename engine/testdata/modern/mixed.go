package main

import (
	"fmt"
	"iter"
	"strings"
)

type Bag struct {
	items map[string]int
	order []string
}

func (b *Bag) Add(name string, n int) {
	if _, ok := b.items[name]; !ok {
		b.order = append(b.order, name)
	}
	b.items[name] += n
}

// All yields the items in insertion order.
func (b *Bag) All() iter.Seq2[string, int] {
	return func(yield func(string, int) bool) {
		for _, name := range b.order {
			if !yield(name, b.items[name]) {
				return
			}
		}
	}
}

// Largest returns from inside a range over a method's iterator.
func (b *Bag) Largest(min int) (string, bool) {
	for name, n := range b.All() {
		if n >= min {
			return name, true
		}
	}
	return "", false
}

func evens(limit int64) iter.Seq[int64] {
	return func(yield func(int64) bool) {
		for i := range limit {
			if i%2 == 0 && !yield(i) {
				return
			}
		}
	}
}

func main() {
	b := &Bag{items: map[string]int{}}
	add := b.Add
	for i, w := range strings.Fields("apple pear apple fig pear apple") {
		add(w, i+1)
	}
	for name, n := range b.All() {
		fmt.Println(name, n)
	}
	fmt.Println(b.Largest(10))
	fmt.Println(b.Largest(100))
	var n int64 = 7
	for e := range evens(n) {
		fmt.Print(e, " ")
	}
	fmt.Println()
	var total int64
	for i := range n {
		total = max(total, i*3)
	}
	fmt.Println("max", total, min(total, n, 4))
	var funcs []func() string
	for name := range b.All() {
		funcs = append(funcs, func() string { return strings.ToUpper(name) })
	}
	for _, f := range funcs {
		fmt.Print(f(), " ")
	}
	fmt.Println()
	clear(b.items)
	fmt.Println(len(b.items), len(b.order))
	grid := [][]int{{1, 2, 3}, {4, 5, 6}}
	var cells []func() string
rows:
	for r := range len(grid) {
		for c := 0; c < len(grid[r]); c++ {
			if grid[r][c] == 5 {
				continue rows
			}
			cells = append(cells, func() string { return fmt.Sprint(r, c) })
		}
	}
	for _, cell := range cells {
		fmt.Print(cell(), " ")
	}
	fmt.Println()
}
