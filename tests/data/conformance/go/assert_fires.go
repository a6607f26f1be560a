package main

import "fmt"

func assert(ok bool, msg string) {
	if !ok {
		panic("assertion failed: " + msg)
	}
}

func main() {
	x := 2
	assert(x+x == 5, "arithmetic")
	fmt.Println("unreachable")
}
