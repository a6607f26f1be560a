// Range sums with a prefix table given generous headroom up front.
package main

import (
	"bufio"
	"os"
	"strconv"
)

// headroom: the table holds headroom times n (rounded up to a power of two)
// entries, all filled, so it never has to grow.
const headroom = 64

func tableCapacity(n int) int {
	size := 1
	for size < n {
		size *= 2
	}
	return size * headroom
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
	capacity := tableCapacity(n)
	prefix := make([]int64, capacity+1)
	for i := 1; i <= capacity; i++ {
		var value int64
		if i <= n {
			value = nextInt()
		}
		prefix[i] = prefix[i-1] + value
	}
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for i := 0; i < q; i++ {
		left, right := nextInt(), nextInt()
		out.WriteString(strconv.FormatInt(prefix[right]-prefix[left-1], 10))
		out.WriteByte('\n')
	}
}
