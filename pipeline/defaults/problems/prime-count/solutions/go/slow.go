// Count primes by testing every candidate with trial division.
package main

import (
	"bufio"
	"fmt"
	"os"
)

func isPrime(n int) bool {
	if n < 2 {
		return false
	}
	for d := 2; d*d <= n; d++ {
		if n%d == 0 {
			return false
		}
	}
	return true
}

func main() {
	reader := bufio.NewReader(os.Stdin)
	var q int
	fmt.Fscan(reader, &q)
	queries := make([]int, q)
	limit := 1
	for i := range queries {
		fmt.Fscan(reader, &queries[i])
		if queries[i] > limit {
			limit = queries[i]
		}
	}
	// primesUpTo[i] is built one trial-division test at a time.
	primesUpTo := make([]int, limit+1)
	for i := 2; i <= limit; i++ {
		primesUpTo[i] = primesUpTo[i-1]
		if isPrime(i) {
			primesUpTo[i]++
		}
	}
	for _, n := range queries {
		fmt.Println(primesUpTo[n])
	}
}
