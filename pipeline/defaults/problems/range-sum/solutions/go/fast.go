// Range sums: answer each query in O(1) from a prefix-sum array.
package main

import (
	"bufio"
	"os"
	"strconv"
)

// prefixSums returns p with p[i] = a_1 + ... + a_i.
func prefixSums(values []int64) []int64 {
	sums := make([]int64, len(values)+1)
	for i, v := range values {
		sums[i+1] = sums[i] + v
	}
	return sums
}

func main() {
	scanner := bufio.NewScanner(bufio.NewReaderSize(os.Stdin, 1<<16))
	scanner.Buffer(make([]byte, 1<<16), 1<<20)
	scanner.Split(bufio.ScanWords)
	nextInt := func() int64 {
		scanner.Scan()
		v, _ := strconv.ParseInt(scanner.Text(), 10, 64)
		return v
	}
	n, q := int(nextInt()), int(nextInt())
	values := make([]int64, n)
	for i := range values {
		values[i] = nextInt()
	}
	sums := prefixSums(values)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for i := 0; i < q; i++ {
		left, right := nextInt(), nextInt()
		out.WriteString(strconv.FormatInt(sums[right]-sums[left-1], 10))
		out.WriteByte('\n')
	}
}
