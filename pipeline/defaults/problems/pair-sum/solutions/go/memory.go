// Count pairs summing to a target with a direct-address table indexed by value.
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
	// countOf[v] is how many times v appeared so far (n <= 20000 fits in int32).
	// Values are non-negative, so only v <= target can be part of a pair.
	countOf := make([]int32, target+1)
	var pairs int64
	for _, value := range values {
		if value <= target {
			pairs += int64(countOf[target-value])
			countOf[value]++
		}
	}
	fmt.Println(pairs)
}
