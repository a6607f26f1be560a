// Range sums, naive: each query re-adds the array from the start.
package main

import (
	"bufio"
	"fmt"
	"os"
)

// sumFirst returns the sum of the first count values.
func sumFirst(values []int64, count int) int64 {
	var total int64
	for _, v := range values[:count] {
		total += v
	}
	return total
}

func main() {
	in := bufio.NewReader(os.Stdin)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	var n, q int
	fmt.Fscan(in, &n, &q)
	values := make([]int64, n)
	for i := range values {
		fmt.Fscan(in, &values[i])
	}
	for i := 0; i < q; i++ {
		var left, right int
		fmt.Fscan(in, &left, &right)
		fmt.Fprintln(out, sumFirst(values, right)-sumFirst(values, left-1))
	}
}
