package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
)

func main() {
	sc := bufio.NewScanner(bufio.NewReaderSize(os.Stdin, 1<<16))
	sc.Split(bufio.ScanWords)
	var total int64
	for sc.Scan() {
		v, _ := strconv.ParseInt(sc.Text(), 10, 64)
		total += v
	}
	fmt.Println(total)
}
