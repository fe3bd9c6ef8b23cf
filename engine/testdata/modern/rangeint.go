package main

import "fmt"

type Count int

func sum(n int) int {
	total := 0
	for i := range n {
		total += i
	}
	return total
}

func main() {
	for i := range 3 {
		fmt.Println("i", i)
	}
	var n Count = 2
	for i := range n {
		fmt.Println(i + 1)
	}
	k := 0
	for range 4 {
		k++
	}
	fmt.Println("k", k)
	for i := range 5 {
		i += 10 // does not change the iteration
		fmt.Print(i, " ")
	}
	fmt.Println()
outer:
	for i := range 3 {
		for j := range 3 {
			if j == 2 {
				continue outer
			}
			if i == 2 {
				break outer
			}
			fmt.Println(i, j)
		}
	}
	fmt.Println(sum(5), sum(0))
	var j int
	for j = range 3 {
	}
	fmt.Println("j", j)
	m := 3
	for i := range m * 2 {
		fmt.Print(i)
	}
	fmt.Println()
}
