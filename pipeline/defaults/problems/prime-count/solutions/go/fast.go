// Answer prime-counting queries with one bit-packed sieve of Eratosthenes.
package main

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strconv"
)

// bitSet stores one bit per integer.
type bitSet []uint64

func (b bitSet) has(i int) bool { return b[i>>6]>>(uint(i)&63)&1 == 1 }
func (b bitSet) set(i int)      { b[i>>6] |= 1 << (uint(i) & 63) }

// sieve returns a bit set in which bit i is set for every composite i <= limit.
func sieve(limit int) bitSet {
	composite := make(bitSet, limit/64+1)
	for p := 2; p*p <= limit; p++ {
		if composite.has(p) {
			continue
		}
		for multiple := p * p; multiple <= limit; multiple += p {
			composite.set(multiple)
		}
	}
	return composite
}

func main() {
	reader := bufio.NewReader(os.Stdin)
	writer := bufio.NewWriter(os.Stdout)
	defer writer.Flush()

	var q int
	fmt.Fscan(reader, &q)
	queries := make([]int, q)
	order := make([]int, q)
	for i := range queries {
		fmt.Fscan(reader, &queries[i])
		order[i] = i
	}
	// Answer queries in increasing order of n with a single sweep over the sieve.
	sort.Slice(order, func(a, b int) bool { return queries[order[a]] < queries[order[b]] })
	composite := sieve(queries[order[q-1]])
	answers := make([]int, q)
	primesSeen, next := 0, 2
	for _, index := range order {
		for ; next <= queries[index]; next++ {
			if !composite.has(next) {
				primesSeen++
			}
		}
		answers[index] = primesSeen
	}
	for _, answer := range answers {
		writer.WriteString(strconv.Itoa(answer) + "\n")
	}
}
