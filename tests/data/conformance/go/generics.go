package main

import "fmt"

type Number interface{ ~int | ~float64 }

func Sum[T Number](xs []T) T {
	var s T
	for _, x := range xs {
		s += x
	}
	return s
}

func Map[T, U any](xs []T, f func(T) U) []U {
	out := make([]U, 0, len(xs))
	for _, x := range xs {
		out = append(out, f(x))
	}
	return out
}

func main() {
	s := ""
	for _, r := range Map([]int{0, 1, 2}, func(i int) string { return string(rune('a' + i)) }) {
		s += r
	}
	fmt.Println(Sum([]int{1, 2, 3}), s)
}
