package main

import (
	"fmt"
	"iter"
	"strings"
)

func Count(n int) iter.Seq[int] {
	return func(yield func(int) bool) {
		for i := 0; i < n; i++ {
			if !yield(i) {
				fmt.Println("  (stopped at", i, ")")
				return
			}
		}
	}
}

func Words(s string) iter.Seq2[int, string] {
	return func(yield func(int, string) bool) {
		for i, w := range strings.Fields(s) {
			if !yield(i, w) {
				return
			}
		}
	}
}

// firstOver returns from inside a range-over-func body.
func firstOver(limit int) (int, bool) {
	for x := range Count(100) {
		if x*x > limit {
			return x, true
		}
	}
	return 0, false
}

func find(word string) string {
	for i, w := range Words("the quick brown fox") {
		if w == word {
			return fmt.Sprint(word, " at ", i)
		}
	}
	return "not found"
}

func main() {
	for x := range Count(3) {
		fmt.Println("x", x)
	}
	for x := range Count(10) {
		if x%2 == 0 {
			continue
		}
		if x > 6 {
			break
		}
		fmt.Println("odd", x)
	}
	fmt.Println(firstOver(50))
	fmt.Println(find("brown"), "/", find("cat"))
	for i, w := range Words("a b c") {
		fmt.Println(i, w)
	}
	for _, w := range Words("d e") {
		fmt.Println(w)
	}
outer:
	for x := range Count(3) {
		for y := range Count(3) {
			if y > x {
				continue outer
			}
			if x == 2 && y == 1 {
				break outer
			}
			fmt.Println("pair", x, y)
		}
	}
	total := 0
	for x := range Count(4) {
		for y := range Count(x) {
			total += y
		}
	}
	fmt.Println("total", total)
	seq := func(yield func(string) bool) {
		_ = yield("lit1") && yield("lit2")
	}
	for s := range seq {
		fmt.Println(s)
	}
	for range Count(2) {
		fmt.Println("tick")
	}
}
