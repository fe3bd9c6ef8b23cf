// Top-level code that yaegi v0.16 mishandles as written: several
// variables defined from one value inside a block, indexing a slice a
// compiled function returned, var declarations that use earlier
// variables, and function literals with unnamed parameters. Each is run as
// a program and, split, as top-level statements (TestModernGoMatchesGoRun).
package main

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

func apply(f func(int) int) int { return f(3) }

func ignore(int, string) string { label := "ignored"; return label }

func main() {
	// Several variables from one call, map index, assertion or receive,
	// in blocks of the top level.
	if true {
		n, err := strconv.Atoi("12")
		fmt.Println("if:", n, err)
	}
	total := 0
	for i := 0; i < 3; i++ {
		v, err := strconv.Atoi(strconv.Itoa(i * 10))
		if err == nil {
			total += v
		}
	}
	fmt.Println("for:", total)
	ages := map[string]int{"ada": 36, "bob": 41}
	if age, ok := ages["ada"]; ok {
		fmt.Println("if init:", age, ok)
	}
	var anything any = 2.5
	switch f, ok := anything.(float64); {
	case ok:
		fmt.Println("switch init:", f)
	}
	// (Only keys that are there: yaegi keeps the previous value on a
	// miss in a loop, a bug of its own.)
	for _, name := range []string{"ada", "bob"} {
		var age, ok = ages[name]
		fmt.Println("range:", name, age, ok)
	}
	{
		q, r := divmod(17, 5)
		fmt.Println("block:", q, r)
	}

	// The comma-ok forms at the top level itself.
	age, ok := ages["cy"]
	fmt.Println("comma-ok:", age, ok)
	ch := make(chan string, 1)
	ch <- "sent"
	msg, open := <-ch
	fmt.Println("receive:", msg, open)

	// Indexing what a compiled function returned.
	words := strings.Fields("to be or not")
	first := words[0]
	var last = words[len(words)-1]
	shout := strings.ToUpper(words[1]) + "!"
	a, b := words[2], words[3]
	fmt.Println("index:", first, last, shout, a, b)

	// var declarations that use variables declared before them.
	count := len(words)
	var twice = 2 * count
	var half int = count / 2
	fmt.Println("var:", twice, half)

	// Function literals and declarations with unnamed parameters.
	fmt.Println("unnamed:", apply(func(int) int { seven := 7; return seven }), ignore(1, "x"))
	nums := []int{3, 1, 2}
	sort.Slice(nums, func(i, j int) bool { return nums[i] < nums[j] })
	less := func(int, int) bool { keep := false; return keep }
	fmt.Println("sorted:", nums, less(1, 2))
}

func divmod(a, b int) (int, int) { return a / b, a % b }
