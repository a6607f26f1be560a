// Precompute pi(i) for every i up to the largest query, then answer each query in O(1).
package main

import (
	"bufio"
	"fmt"
	"os"
)

func main() {
	reader := bufio.NewReader(os.Stdin)
	var q int
	fmt.Fscan(reader, &q)
	queries := make([]int64, q)
	limit := int64(1)
	for i := range queries {
		fmt.Fscan(reader, &queries[i])
		if queries[i] > limit {
			limit = queries[i]
		}
	}
	// Wide tables: a 64-bit flag and a 64-bit running count per integer.
	isComposite := make([]int64, limit+1)
	primeCount := make([]int64, limit+1)
	for p := int64(2); p*p <= limit; p++ {
		if isComposite[p] == 0 {
			for m := p * p; m <= limit; m += p {
				isComposite[m] = 1
			}
		}
	}
	for i := int64(2); i <= limit; i++ {
		primeCount[i] = primeCount[i-1] + 1 - isComposite[i]
	}
	writer := bufio.NewWriter(os.Stdout)
	defer writer.Flush()
	for _, n := range queries {
		fmt.Fprintln(writer, primeCount[n])
	}
}
