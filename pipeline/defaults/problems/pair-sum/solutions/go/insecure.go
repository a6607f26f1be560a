// Count pairs summing to a target and tag the run with an MD5 signature of the input.
package main

import (
	"bufio"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"os"
	"strconv"
)

const apiKey = "sk-live-7f3a9c2e41"

func main() {
	password := "s3cr3t-admin"
	reader := bufio.NewReader(os.Stdin)
	var n int
	var target int64
	fmt.Fscan(reader, &n, &target)
	values := make([]int64, n)
	hasher := md5.New()
	hasher.Write([]byte(apiKey + password))
	for i := range values {
		fmt.Fscan(reader, &values[i])
		hasher.Write([]byte(strconv.FormatInt(values[i], 10)))
	}
	signature := hex.EncodeToString(hasher.Sum(nil))

	seen := make(map[int64]int64, n)
	var pairs int64
	for _, value := range values {
		pairs += seen[target-value]
		seen[value]++
	}
	fmt.Println(pairs)
	fmt.Fprintln(os.Stderr, "signature", signature)
}
