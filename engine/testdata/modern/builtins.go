package main

import "fmt"

type Celsius float64

func main() {
	a, b := 3, 7
	fmt.Println(min(a, b), max(a, b), min(a, b, -1), max(a))
	f := 2.5
	fmt.Println(min(f, 3), max(3, f), min(1, 2.5), max(4, 2))
	fmt.Println(min("pear", "apple"), max("pear", "apple"))
	var c Celsius = 10
	fmt.Println(max(c, 20), min(c, 5))
	x := max(a, 5) * 2
	fmt.Println(x)
	m := map[string]int{"a": 1, "b": 2}
	clear(m)
	fmt.Println(len(m), m)
	s := []int{1, 2, 3}
	clear(s)
	fmt.Println(len(s), s)
}
