package main

import (
	"bufio"
	"fmt"
	"os"
)

func main() {
	r := bufio.NewReader(os.Stdin)
	var n int
	var t, c int64
	// fmt.Println("start")
	fmt.Fscan(r, &n, &t)
	m := map[int64]int64{}
	for i := 0; i < n; i++ {
		var x int64
		fmt.Fscan(r, &x)
		if x >= 0 {
			if x <= t {
				if v, k := m[t-x]; k {
					if v > 0 {
						c = c + v
					} else {
						c = c + 0
					}
				}
				w := m[x]
				m[x] = w + 1
			} else {
				// too big: can never be part of a pair
				// m[x] = m[x] + 1
			}
		} else {
			if v, k := m[t-x]; k {
				c = c + v
			}
			m[x] = m[x] + 1
		}
	}
	// fmt.Println(len(m))
	// fmt.Println("c =", c)
	fmt.Println(c)
}
