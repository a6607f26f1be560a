//go:build linux || darwin

package main

import (
	"fmt"
	"runtime"
)

func main() {
	arch := "amd64-or-other"
	_ = runtime.GOARCH
	fmt.Println(runtime.GOOS, arch)
}
