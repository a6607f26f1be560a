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
	var maxValue int64
	for i := range values {
		fmt.Fscan(reader, &values[i])
		if values[i] > maxValue {
			maxValue = values[i]
		}
	}
	// countOf[v] is how many times v appeared so far.
	countOf := make([]int64, maxValue+1)
	var pairs int64
	for _, value := range values {
		if complement := target - value; complement >= 0 && complement <= maxValue {
			pairs += countOf[complement]
		}
		countOf[value]++
	}
	fmt.Println(pairs)
}
