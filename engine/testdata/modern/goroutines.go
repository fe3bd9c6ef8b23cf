package main

import (
	"fmt"
	"sync"
)

type Box struct{ v int }

func (b *Box) Show(wg *sync.WaitGroup, out chan<- string) {
	defer wg.Done()
	out <- fmt.Sprint("box ", b.v)
}

func send(wg *sync.WaitGroup, out chan<- string, s string, n int) {
	defer wg.Done()
	out <- fmt.Sprint(s, n)
}

func main() {
	var wg sync.WaitGroup
	out := make(chan string, 10)
	n := 1
	wg.Add(3)
	go send(&wg, out, "n=", n) // arguments are evaluated by the go statement
	n = 2
	b := &Box{v: 5}
	go b.Show(&wg, out)
	go func(x int) {
		defer wg.Done()
		out <- fmt.Sprint("lit ", x)
	}(n)
	wg.Wait()
	close(out)
	var got []string
	for s := range out {
		got = append(got, s)
	}
	for _, want := range []string{"n=1", "box 5", "lit 2"} {
		found := false
		for _, g := range got {
			found = found || g == want
		}
		fmt.Println(want, found)
	}
}
