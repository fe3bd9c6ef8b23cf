package main

import "fmt"

type Acc struct{ total int }

func (a *Acc) Add(n int) int {
	a.total += n
	return a.total
}

func (a *Acc) Sum(xs ...int) int {
	for _, x := range xs {
		a.total += x
	}
	return a.total
}

func (a *Acc) Reset() { a.total = 0 }

func apply(f func(int) int, n int) int { return f(n) }

func main() {
	a := &Acc{}
	add := a.Add
	add(2)
	fmt.Println(add(3), a.total)
	sum := a.Sum
	fmt.Println(sum(1, 2, 3))
	reset := a.Reset
	reset()
	fmt.Println(a.total)
	fmt.Println(apply(a.Add, 7))
	var b Acc
	inc := b.Add
	inc(4)
	fmt.Println(b.total)
}
