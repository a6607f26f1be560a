// Range sums: answer each query in O(1) from a prefix-sum array.
package main

import (
	"bufio"
	"os"
	"strconv"
)

func main() {
	scanner := bufio.NewScanner(bufio.NewReaderSize(os.Stdin, 1<<16))
	scanner.Buffer(make([]byte, 1<<16), 1<<20)
	scanner.Split(bufio.ScanWords)
	nextInt := func() int32 {
		scanner.Scan()
		v, _ := strconv.Atoi(scanner.Text())
		return int32(v)
	}
	n, q := int(nextInt()), int(nextInt())
	sums := make([]int32, n+1)
	for i := 1; i <= n; i++ {
		sums[i] = sums[i-1] + nextInt()
	}
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for i := 0; i < q; i++ {
		left, right := nextInt(), nextInt()
		out.WriteString(strconv.Itoa(int(sums[right] - sums[left-1])))
		out.WriteByte('\n')
	}
}
