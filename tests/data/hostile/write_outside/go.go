package main

import (
	"fmt"
	"os"
)

func main() {
	for _, p := range []string{"{{ESCAPE}}", "/usr/codepref-escape", "/etc/codepref-escape", "/codepref-escape",
		"../../../../codepref-escape"} {
		if err := os.WriteFile(p, []byte("x"), 0o644); err == nil {
			fmt.Println("wrote", p)
		} else {
			fmt.Println("denied", p)
		}
	}
	os.WriteFile("scratch.txt", []byte("ok"), 0o644)
	b, _ := os.ReadFile("scratch.txt")
	fmt.Println("workdir", string(b))
}
