// Count pairs summing to a target by checking every pair of positions.
package main

import (
	"bufio"
	"fmt"
	"os"
)

func main() {
	reader := bufio.NewReader(os.Stdin)
	var n int
	var target int64
	fmt.Fscan(reader, &n, &target)
	values := make([]int64, n)
	for i := range values {
		fmt.Fscan(reader, &values[i])
	}
	// Count ordered pairs (i, j), i != j; each unordered pair is seen twice.
	var orderedPairs int64
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			if i != j && values[i]+values[j] == target {
				orderedPairs++
			}
		}
	}
	fmt.Println(orderedPairs / 2)
}
