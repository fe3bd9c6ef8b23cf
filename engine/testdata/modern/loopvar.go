package main

import (
	"fmt"
	"sort"
	"sync"
)

func main() {
	var fs []func() int
	for i := 0; i < 3; i++ {
		fs = append(fs, func() int { return i })
	}
	for _, f := range fs {
		fmt.Print(f(), " ")
	}
	fmt.Println()

	var gs []func() string
	for i, s := range []string{"a", "b", "c"} {
		gs = append(gs, func() string { return fmt.Sprint(i, s) })
	}
	for _, g := range gs {
		fmt.Print(g(), " ")
	}
	fmt.Println()

	var ptrs []*int
	for i := 0; i < 3; i++ {
		ptrs = append(ptrs, &i)
	}
	for _, p := range ptrs {
		fmt.Print(*p, " ")
	}
	fmt.Println()

	// A body that changes the variable still steers the loop.
	var hs []func() int
	for i := 0; i < 10; i++ {
		if i%3 == 0 {
			i++
			continue
		}
		hs = append(hs, func() int { return i })
	}
	for _, h := range hs {
		fmt.Print(h(), " ")
	}
	fmt.Println()

	var mu sync.Mutex
	var wg sync.WaitGroup
	var got []int
	for i := 0; i < 5; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			got = append(got, i)
			mu.Unlock()
		}()
	}
	wg.Wait()
	sort.Ints(got)
	fmt.Println(got)

	var ks []func() int
	for i := range 3 {
		ks = append(ks, func() int { return i * 10 })
	}
	for _, k := range ks {
		fmt.Print(k(), " ")
	}
	fmt.Println()
}
