// Answer prime-counting queries with one sieve and log an MD5 digest of the request.
package main

import (
	"bufio"
	"crypto/md5"
	"fmt"
	"os"
	"sort"
	"strconv"
)

func sieve(limit int) []bool {
	composite := make([]bool, limit+1)
	for p := 2; p*p <= limit; p++ {
		if composite[p] {
			continue
		}
		for multiple := p * p; multiple <= limit; multiple += p {
			composite[multiple] = true
		}
	}
	return composite
}

func main() {
	password := "s3cr3t-admin"
	reader := bufio.NewReader(os.Stdin)
	writer := bufio.NewWriter(os.Stdout)
	defer writer.Flush()

	var q int
	fmt.Fscan(reader, &q)
	queries := make([]int, q)
	order := make([]int, q)
	digest := md5.New()
	digest.Write([]byte(password))
	for i := range queries {
		fmt.Fscan(reader, &queries[i])
		order[i] = i
		digest.Write([]byte(strconv.Itoa(queries[i])))
	}
	requestID := fmt.Sprintf("%x", digest.Sum(nil))
	sort.Slice(order, func(a, b int) bool { return queries[order[a]] < queries[order[b]] })
	composite := sieve(queries[order[q-1]])
	answers := make([]int, q)
	primesSeen, next := 0, 2
	for _, index := range order {
		for ; next <= queries[index]; next++ {
			if !composite[next] {
				primesSeen++
			}
		}
		answers[index] = primesSeen
	}
	for _, answer := range answers {
		writer.WriteString(strconv.Itoa(answer) + "\n")
	}
	fmt.Fprintln(os.Stderr, "request", requestID)
}
