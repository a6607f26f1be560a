package main

import (
	"fmt"
	"sync"
	"sync/atomic"
)

func main() {
	var total int64
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var s int64
			for k := 0; k < 1000000; k++ {
				s++
			}
			atomic.AddInt64(&total, s)
		}()
	}
	wg.Wait()
	fmt.Println("sum", total)
}
