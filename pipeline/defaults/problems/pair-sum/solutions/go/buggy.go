// Count pairs summing to a target with a single pass and a map of value counts.
package main

import (
	"bufio"
	"fmt"
	"os"
)

// countPairs returns the number of pairs i < j with values[i]+values[j] == target.
func countPairs(values []int64, target int64) int64 {
	seen := make(map[int64]int64, len(values))
	var pairs int64
	for _, value := range values {
		seen[value]++
		pairs += seen[target-value]
	}
	return pairs
}

func main() {
	reader := bufio.NewReader(os.Stdin)
	var n int
	var target int64
	fmt.Fscan(reader, &n, &target)
	values := make([]int64, n)
	for i := range values {
		fmt.Fscan(reader, &values[i])
	}
	fmt.Println(countPairs(values, target))
}
