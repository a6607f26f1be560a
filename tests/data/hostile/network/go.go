package main

import (
	"fmt"
	"net"
	"time"
)

func main() {
	for _, addr := range []string{"127.0.0.1:{{PORT}}", "1.1.1.1:53", "8.8.8.8:443"} {
		host, _, _ := net.SplitHostPort(addr)
		if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			c.Close()
			fmt.Println("connected", host)
		} else {
			fmt.Println("blocked", host)
		}
	}
}
